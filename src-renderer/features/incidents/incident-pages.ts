/**
 * The incident list's data: pages of 200 fetched on demand as rows scroll into view,
 * so 100,000 incidents cost a few small queries, not one huge one. A refresh (after a
 * push or a reconnect) keeps showing the old rows until the new page arrives, and a
 * burst of pushes collapses into at most one extra round of queries.
 */
import type { IncidentListInput, IncidentSummary } from '../../../src-shared/api.ts';
import type { ApiError } from '../../../src-shared/errors.ts';
import type { CallResult } from '../../../src-shared/transport.ts';

export const PAGE_SIZE = 200;

export type IncidentFilter = Omit<IncidentListInput, 'limit' | 'offset'>;
export type ListPage = (input: IncidentListInput) => Promise<CallResult<'incidents.list'>>;

export interface IncidentPages {
  /** The row at `index`, or undefined while its page loads. */
  row(index: number): IncidentSummary | undefined;
  /** Rows in the current filter; null until the first page answered. */
  total(): number | null;
  error(): ApiError | null;
  /** Where a loaded incident sits now, for keeping the selection on the same incident. */
  indexOf(id: string): number;
  /** Make sure rows `first..last` are loaded (plus the neighbouring page). */
  ensure(first: number, last: number): void;
  setFilter(filter: IncidentFilter): void;
  refresh(): void;
  subscribe(listener: () => void): () => void;
  /** Bumps on every change; for useSyncExternalStore. */
  version(): number;
}

/** Page indices covering rows `first..last`, widened by one page each side for smooth scrolling. */
export function pagesFor(first: number, last: number, pageSize = PAGE_SIZE): number[] {
  const from = Math.max(0, Math.floor(Math.max(0, first) / pageSize) - 1);
  const to = Math.floor(Math.max(first, last) / pageSize) + 1;
  const pages: number[] = [];
  for (let p = from; p <= to; p++) pages.push(p);
  return pages;
}

export function createIncidentPages(listPage: ListPage, pageSize = PAGE_SIZE): IncidentPages {
  let filter: IncidentFilter = {};
  let generation = 0;
  let pages = new Map<number, IncidentSummary[]>();
  /** The previous generation's pages, shown until their replacements arrive. */
  let stale = new Map<number, IncidentSummary[]>();
  const inflight = new Set<number>();
  let total: number | null = null;
  let lastError: ApiError | null = null;
  let range: [number, number] = [0, pageSize - 1];
  let refreshAgain = false;
  let version = 0;
  const listeners = new Set<() => void>();

  function changed() {
    version++;
    for (const l of [...listeners]) l();
  }

  function fetchPage(page: number) {
    if (pages.has(page) || inflight.has(page)) return;
    if (total !== null && page * pageSize >= total && page > 0) return;
    const asked = generation;
    inflight.add(page);
    void listPage({ ...filter, offset: page * pageSize, limit: pageSize }).then((result) => {
      if (asked !== generation) return; // a newer filter or refresh owns the list now
      inflight.delete(page);
      if (result.ok) {
        pages.set(page, result.value.items);
        stale.delete(page);
        total = result.value.total;
        lastError = null;
      } else {
        lastError = result.error;
      }
      if (inflight.size === 0) {
        stale.clear();
        if (refreshAgain) {
          refreshAgain = false;
          restart(true);
          return;
        }
      }
      changed();
    });
  }

  function ensure(first: number, last: number) {
    range = [first, last];
    for (const page of pagesFor(first, last, pageSize)) fetchPage(page);
  }

  function restart(keepShowing: boolean) {
    generation++;
    stale = keepShowing ? new Map([...stale, ...pages]) : new Map();
    pages = new Map();
    inflight.clear();
    if (!keepShowing) total = null;
    ensure(range[0], range[1]);
    changed();
  }

  return {
    row(index) {
      const page = Math.floor(index / pageSize);
      const rows = pages.get(page) ?? stale.get(page);
      return rows?.[index - page * pageSize];
    },
    total: () => total,
    error: () => lastError,
    indexOf(id) {
      for (const [page, rows] of pages) {
        const i = rows.findIndex((r) => r.id === id);
        if (i !== -1) return page * pageSize + i;
      }
      return -1;
    },
    ensure,
    setFilter(next) {
      filter = next;
      refreshAgain = false;
      range = [0, pageSize - 1];
      restart(false);
    },
    refresh() {
      if (inflight.size > 0) refreshAgain = true;
      else restart(true);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
  };
}
