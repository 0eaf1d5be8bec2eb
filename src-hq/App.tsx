/** HQ's shell: header (who, live state, language, sign out), page navigation, the page. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../src-renderer/app/LanguageSwitch.tsx';
import { startLive, useLiveState } from './live.ts';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { FacilityPage } from './pages/FacilityPage.tsx';
import { IncidentsPage } from './pages/IncidentsPage.tsx';
import { IncidentPage } from './pages/IncidentPage.tsx';
import { OutagesPage } from './pages/OutagesPage.tsx';
import { DevicesPage } from './pages/DevicesPage.tsx';
import { StaffPage } from './pages/StaffPage.tsx';
import { AccountsPage } from './pages/AccountsPage.tsx';
import { href, NAV_PAGES, useRoute, type HqRoute } from './route.ts';
import { useSession } from './session.tsx';

const LIVE_ICON = { connecting: '◌', live: '●', reconnecting: '✕' } as const;

export function App() {
  const { t } = useTranslation();
  const { account, signOut } = useSession();
  const route = useRoute();
  const live = useLiveState();
  useEffect(() => startLive(), []);
  const navPage = route.page === 'facility' ? 'overview' : route.page === 'incident' ? 'incidents' : route.page;

  return (
    <div className="hq-shell">
      <header className="app-header no-print">
        <div className="app-title">
          <span className="app-name">{t('hq.title')}</span>
        </div>
        <div className="header-indicators">
          <span className={`indicator hq-live-${live}`} data-testid="hq-live">
            <span aria-hidden="true">{LIVE_ICON[live]} </span>
            {t(`hq.live.${live}`)}
          </span>
          <span className="hq-account" data-testid="hq-account">
            {account.name} · {t(`hq.role.${account.role}`)}
          </span>
          <button type="button" onClick={() => void signOut()}>
            {t('hq.signOut')}
          </button>
          <LanguageSwitch />
        </div>
      </header>
      <nav className="hq-nav no-print" aria-label={t('hq.nav.label')}>
        <ul>
          {NAV_PAGES.filter((p) => p !== 'accounts' || account.role === 'admin').map((page) => (
            <li key={page}>
              <a href={href({ page } as HqRoute)} aria-current={navPage === page ? 'page' : undefined}>
                {t(`hq.nav.${page}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="hq-main">
        <Page route={route} />
      </main>
    </div>
  );
}

function Page(props: { route: HqRoute }) {
  const { route } = props;
  switch (route.page) {
    case 'facility':
      return <FacilityPage facility={route.facility} />;
    case 'incidents':
      return <IncidentsPage />;
    case 'incident':
      return <IncidentPage facility={route.facility} id={route.id} />;
    case 'outages':
      return <OutagesPage />;
    case 'devices':
      return <DevicesPage />;
    case 'staff':
      return <StaffPage />;
    case 'accounts':
      return <AccountsPage />;
    default:
      return <OverviewPage />;
  }
}
