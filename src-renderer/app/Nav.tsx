/** The shell's page switcher: the incident list first, then the pages in `nav.ts` the role may see. */
import { useTranslation } from 'react-i18next';
import type { Role } from '../../src-shared/staff.ts';
import { visiblePages, type NavPageId } from './nav.ts';

export type NavTarget = 'list' | NavPageId;

export function Nav(props: { role: Role; current: NavTarget; onNavigate: (to: NavTarget) => void }) {
  const { t } = useTranslation();
  const entries: { id: NavTarget; label: string }[] = [
    { id: 'list', label: t('nav.incidents') },
    ...visiblePages(props.role).map((p) => ({ id: p.id as NavPageId, label: t(p.labelKey) })),
  ];
  return (
    <nav className="app-nav" aria-label={t('nav.label')}>
      {entries.map((entry) => (
        <button
          key={entry.id}
          type="button"
          aria-current={props.current === entry.id ? 'page' : undefined}
          onClick={() => props.onNavigate(entry.id)}
        >
          {entry.label}
        </button>
      ))}
    </nav>
  );
}
