/**
 * The console's pages besides the incident list, as data: the nav draws one button per
 * entry the signed-in role may see, and the shell draws the chosen entry's page. A
 * feature adds its page here and nowhere else; `labelKey` is in its own namespace.
 */
import type { ComponentType } from 'react';
import type { SystemInfo } from '../../src-shared/api.ts';
import { roleAtLeast, type Role } from '../../src-shared/staff.ts';
import { SyncPage } from '../features/sync/index.ts';
import { PhonesPage } from '../features/status/index.ts';
import { OutagesPage } from '../features/outages/index.ts';
import { ReportsPage } from '../features/reports/index.ts';
import { StaffPage } from '../features/staff/index.ts';
import { AuditPage } from '../features/audit/index.ts';

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
