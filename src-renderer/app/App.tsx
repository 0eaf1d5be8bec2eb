/**
 * The shell: header, phone status strip, and behind the sign-in gate one page at a time
 * from the top navigation; on the incidents page one screen at a time (list, new
 * incident, incident detail). List state (filter, selection, loaded pages) lives here
 * so going into an incident and back returns to the same place.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useWindowKeydown } from './use-window-keydown.ts';
import { useTranslation } from 'react-i18next';
import type { SystemInfo } from '../../src-shared/api.ts';
import { useApi, useOnReconnect, usePushEvent } from '../api/ApiContext.tsx';
import { EMPTY_FILTER, createIncidentPages, type ListFilter, type ListSelection } from '../features/incidents/index.ts';
import { ConfigProblemBanner, FallbackBanner, PhoneStatus, UpdateNotice } from '../features/status/index.ts';
import { AuthGate, AuthProvider, useAuth } from '../features/sign-in/index.ts';
import { AlarmBanner } from '../features/alarms/index.ts';
import { preloadLanguages } from '../i18n/index.ts';
import { Header } from './Header.tsx';
import { lazyPage } from './lazy-page.tsx';
import { isNavPageId, loadPhonesPage, navPage } from './nav.ts';
import { Nav, type NavTarget } from './Nav.tsx';

const loadIncidentsScreen = () => import('../features/incidents/IncidentsScreen.tsx').then((m) => m.IncidentsScreen);
const loadIncidentForm = () => import('../features/incidents/IncidentForm.tsx').then((m) => m.IncidentForm);
const loadIncidentDetail = () => import('../features/incidents/IncidentDetail.tsx').then((m) => m.IncidentDetail);
const IncidentsScreen = lazyPage(loadIncidentsScreen);
const IncidentForm = lazyPage(loadIncidentForm);
const IncidentDetail = lazyPage(loadIncidentDetail);

/**
 * The first paint is the sign-in screen. The incident list, the new-incident form (which
 * must open at once when a guard presses N), the detail view and the phone board are
 * fetched as soon as that paint is done, so they are there when the guard has signed in;
 * so is English, so the language switch never waits.
 */
function prefetchAfterPaint() {
  const fetchAll = () => {
    for (const load of [loadIncidentsScreen, loadIncidentForm, loadIncidentDetail, loadPhonesPage])
      void load().catch(() => undefined);
    void preloadLanguages().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(fetchAll, { timeout: 1_000 });
  else setTimeout(fetchAll, 0);
}

type Screen = { kind: 'list' } | { kind: 'new' } | { kind: 'detail'; id: string };

function toListInput(filter: ListFilter) {
  return {
    ...(filter.status.length ? { status: filter.status } : {}),
    ...(filter.category.length ? { category: filter.category } : {}),
    ...(filter.severity.length ? { severity: filter.severity } : {}),
    ...(filter.query.trim() ? { query: filter.query.trim() } : {}),
  };
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function App() {
  return (
    <AuthProvider>
      <Shell />
    </AuthProvider>
  );
}

function Shell() {
  const api = useApi();
  const { gate } = useAuth();
  const signedIn = gate.kind === 'app';
  const signedInAs = gate.kind === 'app' ? gate.session.staffNumber : null;
  // A switch in progress keeps the session: its holder may still acknowledge alarms.
  const holder = gate.kind === 'app' ? gate.session : gate.kind === 'switch' ? gate.from : null;
  const viewer = holder ? { staffNumber: holder.staffNumber, role: holder.role } : null;
  const [route, setRoute] = useState<NavTarget>('list');
  const { t } = useTranslation();
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [screen, setScreen] = useState<Screen>({ kind: 'list' });
  const [filter, setFilter] = useState<ListFilter>(EMPTY_FILTER);
  const [selection, setSelection] = useState<ListSelection>({ index: 0, id: null });
  const pages = useMemo(() => createIncidentPages((input) => api.call('incidents.list', input)), [api]);
  const searchRef = useRef<HTMLInputElement>(null);

  /** Bumped to ask for system.info again (after a reconnect: the host may have restarted). */
  const [infoEpoch, setInfoEpoch] = useState(0);

  useEffect(() => {
    let live = true;
    void api.call('system.info', {}).then((result) => {
      if (live && result.ok) setInfo(result.value);
    });
    return () => {
      live = false;
    };
  }, [api, infoEpoch]);

  useEffect(() => pages.setFilter({}), [pages]);
  useEffect(prefetchAfterPaint, []);

  usePushEvent('incidents.changed', () => pages.refresh());
  // Who is signed in decides what the core lets us read; someone else starts on the list.
  usePushEvent('auth.changed', (state) => {
    pages.refresh();
    if (state.session?.staffNumber !== signedInAs) {
      setRoute('list');
      setScreen({ kind: 'list' });
    }
  });
  useOnReconnect(() => {
    setInfoEpoch((n) => n + 1);
    pages.refresh();
  });

  const onFilter = useCallback(
    (next: ListFilter) => {
      setFilter(next);
      setSelection({ index: 0, id: null });
      pages.setFilter(toListInput(next));
    },
    [pages],
  );

  // N (or Alt+N from anywhere) opens a new report; "/" jumps to search.
  useWindowKeydown((event) => {
    if (!signedIn || route !== 'list' || screen.kind !== 'list') return;
    if (event.defaultPrevented || event.ctrlKey || event.metaKey) return;
    const isN = event.code === 'KeyN' || event.key.toLowerCase() === 'n';
    if (isN && (event.altKey || !isTyping(event.target))) {
      event.preventDefault();
      setScreen({ kind: 'new' });
    } else if (event.key === '/' && !event.altKey && !isTyping(event.target)) {
      event.preventDefault();
      searchRef.current?.focus();
    }
  });

  // Until system.info has answered the form cannot show facility and unit; Esc still leaves.
  useWindowKeydown(
    screen.kind === 'new' && !info
      ? (event) => {
          if (event.key === 'Escape') setScreen({ kind: 'list' });
        }
      : null,
  );

  const back = useCallback(() => setScreen({ kind: 'list' }), []);
  const openIncident = useCallback((id: string) => {
    setRoute('list');
    setScreen({ kind: 'detail', id });
  }, []);
  const Page = route === 'list' ? null : navPage(route).Page;

  return (
    <div className="shell">
      <AlarmBanner viewer={viewer} onOpenIncident={openIncident} />
      <Header info={info} onOpenSync={signedIn ? () => setRoute('sync') : undefined} />
      <FallbackBanner />
      <ConfigProblemBanner role={gate.kind === 'app' ? gate.session.role : null} />
      <UpdateNotice />
      <PhoneStatus unit={info?.unit ?? null} onShowBoard={signedIn ? () => setRoute('phones') : undefined} />
      {gate.kind === 'app' && <Nav role={gate.session.role} current={route} onNavigate={setRoute} />}
      <main className="main">
        <AuthGate>
          {Page ? (
            <Page info={info} onOpenIncident={openIncident} onNavigate={(to) => isNavPageId(to) && setRoute(to)} />
          ) : (
            incidentsPage()
          )}
        </AuthGate>
      </main>
    </div>
  );

  function incidentsPage() {
    return (
      <>
        {screen.kind === 'list' && (
          <IncidentsScreen
            pages={pages}
            filter={filter}
            onFilter={onFilter}
            selection={selection}
            onSelect={setSelection}
            onOpen={(id) => setScreen({ kind: 'detail', id })}
            onNew={() => setScreen({ kind: 'new' })}
            searchRef={searchRef}
          />
        )}
        {screen.kind === 'new' && !info && (
          <p className="detail-loading" role="status">
            {t('app.loadingInfo')}
          </p>
        )}
        {screen.kind === 'new' && info && (
          <IncidentForm
            info={info}
            onCancel={back}
            onSaved={(incident) => {
              // The new incident is the newest: select it at the top of an unfiltered view.
              if (filter === EMPTY_FILTER) setSelection({ index: 0, id: incident.id });
              pages.refresh();
              back();
            }}
          />
        )}
        {screen.kind === 'detail' && <IncidentDetail id={screen.id} onBack={back} />}
      </>
    );
  }
}
