/**
 * The top bar, one row at 1280 px: where this console is, whether it is connected, sync,
 * who is signed in, and the language. A new indicator goes into `.header-indicators` as
 * one more item.
 */
import { useTranslation } from 'react-i18next';
import type { SystemInfo } from '../../src-shared/api.ts';
import { useConnectionState } from '../api/ApiContext.tsx';
import { LANGUAGES, setLanguage } from '../i18n/index.ts';
import { SyncIndicator } from '../features/sync/index.ts';
import { UserBar } from '../features/sign-in/index.ts';

const CONNECTION_ICON = { connecting: '◌', connected: '●', disconnected: '✕' } as const;

export function Header(props: { info: SystemInfo | null; onOpenSync?: () => void }) {
  const { t, i18n } = useTranslation();
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
        <div className="language-switch" role="group" aria-label={t('language.label')}>
          {LANGUAGES.map((lng) => (
            <button
              key={lng}
              type="button"
              lang={lng}
              aria-pressed={i18n.language === lng}
              onClick={() => {
                // Loaded already (preloadLanguages): switch in this very event, as before the split.
                if (i18n.hasResourceBundle(lng, 'translation')) void i18n.changeLanguage(lng);
                else void setLanguage(lng);
              }}
            >
              {t(`language.${lng}`)}
            </button>
          ))}
        </div>
      </div>
    </header>
  );
}
