/**
 * The top bar, one row at 1280 px: where this console is, whether it is connected, sync,
 * who is signed in, and the language. A new indicator goes into `.header-indicators` as
 * one more item.
 */
import { useTranslation } from 'react-i18next';
import type { SystemInfo } from '../../src-shared/api.ts';
import { useConnectionState } from '../api/ApiContext.tsx';
import { SyncIndicator } from '../features/sync/index.ts';
import { UserBar } from '../features/sign-in/index.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

const CONNECTION_ICON = { connecting: '◌', connected: '●', disconnected: '✕' } as const;

export function Header(props: { info: SystemInfo | null; onOpenSync?: () => void }) {
  const { t } = useTranslation();
  const connection = useConnectionState();
  const { info } = props;
  const place = info ? t('app.facilityUnit', { facility: info.facility, unit: info.unit }) : t('app.loadingInfo');
  return (
    <header className="app-header">
      <div className="app-title">
        <span className="app-name">{t('app.name')}</span>
        <span className="app-place" title={place}>
          {place}
        </span>
      </div>
      <div className="header-indicators">
        <span className={`indicator connection-${connection}`} data-testid="connection">
          <span aria-hidden="true">{CONNECTION_ICON[connection]} </span>
          <span className="visually-hidden">{t('connection.label')}: </span>
          {t(`connection.${connection}`)}
        </span>
        <SyncIndicator onOpen={props.onOpenSync} />
        <UserBar />
        <LanguageSwitch />
      </div>
    </header>
  );
}
