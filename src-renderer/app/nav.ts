/**
 * The console's pages besides the incident list, as data: the nav draws one button per
 * entry the signed-in role may see, and the shell draws the chosen entry's page. A
 * feature adds its page here and nowhere else; `labelKey` is in its own namespace. A page
 * not needed at first paint is wrapped in `lazyPage` and imported only from here.
 */
import type { ComponentType } from 'react';
import type { SystemInfo } from '../../src-shared/api.ts';
import { roleAtLeast, type Role } from '../../src-shared/staff.ts';
import { lazyPage } from './lazy-page.tsx';

// Pages load on first use, so the first paint does not wait for uPlot, the audit table &
// co.; the phone board, the console's most used page after the list, is fetched right after
// the first paint (see prefetchAfterPaint in App.tsx).
export const loadPhonesPage = () => import('../features/status/PhonesPage.tsx').then((m) => m.PhonesPage);
const PhonesPage = lazyPage<PageProps>(loadPhonesPage);
const OutagesPage = lazyPage<PageProps>(() => import('../features/outages/OutagesPage.tsx').then((m) => m.OutagesPage));
const ReportsPage = lazyPage<PageProps>(() => import('../features/reports/index.ts').then((m) => m.ReportsPage));
const SyncPage = lazyPage<PageProps>(() => import('../features/sync/SyncPage.tsx').then((m) => m.SyncPage));
const StaffPage = lazyPage<PageProps>(() => import('../features/staff/index.ts').then((m) => m.StaffPage));
const AuditPage = lazyPage<PageProps>(() => import('../features/audit/index.ts').then((m) => m.AuditPage));

/** What every page gets from the shell. */
export interface PageProps {
  info: SystemInfo | null;
  /** Leave the page for one incident's detail view. */
  onOpenIncident: (id: string) => void;
  /** Go to another page (e.g. from a line's detail to its outage); ids of NAV_PAGES. */
  onNavigate?: (page: string) => void;
}

export interface NavPage {
  id: string;
  labelKey: string;
  /** The lowest role that sees the entry (the core checks every call again). */
  minRole: Role;
  Page: ComponentType<PageProps>;
}

export const NAV_PAGES = [
  { id: 'phones', labelKey: 'status.nav', minRole: 'guard', Page: PhonesPage },
  { id: 'outages', labelKey: 'outage.nav', minRole: 'guard', Page: OutagesPage },
  { id: 'reports', labelKey: 'reports.nav', minRole: 'guard', Page: ReportsPage },
  { id: 'sync', labelKey: 'sync.nav', minRole: 'guard', Page: SyncPage },
  { id: 'staff', labelKey: 'staff.nav', minRole: 'admin', Page: StaffPage },
  { id: 'audit', labelKey: 'audit.nav', minRole: 'admin', Page: AuditPage },
] as const satisfies readonly NavPage[];

export type NavPageId = (typeof NAV_PAGES)[number]['id'];

export function isNavPageId(id: string): id is NavPageId {
  return NAV_PAGES.some((p) => p.id === id);
}

export function navPage(id: NavPageId): NavPage {
  return NAV_PAGES.find((p) => p.id === id)!;
}

export function visiblePages(role: Role): NavPage[] {
  return NAV_PAGES.filter((p) => roleAtLeast(role, p.minRole));
}
