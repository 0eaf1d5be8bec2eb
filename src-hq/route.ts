/**
 * HQ's pages as hash routes (`#/incidents`, `#/facility/<id>`): the tracker serves one
 * file at /hq, and links, back and reload work without server routes.
 */
import { useSyncExternalStore } from 'react';

export type HqRoute =
  | { page: 'overview' }
  | { page: 'facility'; facility: string }
  | { page: 'incidents' }
  | { page: 'incident'; facility: string; id: string }
  | { page: 'outages' }
  | { page: 'devices' }
  | { page: 'staff' }
  | { page: 'accounts' };

export const NAV_PAGES = ['overview', 'incidents', 'outages', 'devices', 'staff', 'accounts'] as const;

export function parseRoute(hash: string): HqRoute {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'facility':
      return parts[1] ? { page: 'facility', facility: parts[1] } : { page: 'overview' };
    case 'incidents':
      return parts[1] && parts[2] ? { page: 'incident', facility: parts[1], id: parts[2] } : { page: 'incidents' };
    case 'outages':
    case 'devices':
    case 'staff':
    case 'accounts':
      return { page: parts[0] };
    default:
      return { page: 'overview' };
  }
}

export function href(route: HqRoute): string {
  switch (route.page) {
    case 'overview':
      return '#/';
    case 'facility':
      return `#/facility/${encodeURIComponent(route.facility)}`;
    case 'incident':
      return `#/incidents/${encodeURIComponent(route.facility)}/${encodeURIComponent(route.id)}`;
    default:
      return `#/${route.page}`;
  }
}

export function useRoute(): HqRoute {
  const hash = useSyncExternalStore(
    (cb) => {
      window.addEventListener('hashchange', cb);
      return () => window.removeEventListener('hashchange', cb);
    },
    () => window.location.hash,
  );
  return parseRoute(hash);
}
