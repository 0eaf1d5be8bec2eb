/**
 * The audit page's events: the first page for the current filter, then older pages on
 * request (`beforeSeq`). A new filter starts over: the previous filter's rows leave the page at
 * once (it says it is loading), so they are never shown as the new filter's result; an answer for
 * an older filter is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEntry, AuditQueryInput } from '../../../src-shared/audit.ts';
import type { ApiError } from '../../../src-shared/errors.ts';
import { useApi } from '../../api/ApiContext.tsx';

export const AUDIT_PAGE = 200;
export type AuditQuery = Omit<AuditQueryInput, 'beforeSeq' | 'limit'>;

export function useAuditLog(query: AuditQuery) {
  const api = useApi();
  // Each answer is kept with the filter it answers: rows of an earlier filter are never returned
  // for the current one (the page says it is loading until the current filter's answer is in).
  const [page, setPage] = useState<{ query: AuditQuery; items: AuditEntry[]; next: number | null } | null>(null);
  const [failed, setFailed] = useState<{ query: AuditQuery; error: ApiError } | null>(null);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    void api.call('audit.query', { ...query, limit: AUDIT_PAGE }).then((result) => {
      if (mine !== generation.current) return;
      if (result.ok) {
        setPage({ query, items: result.value.items, next: result.value.nextBeforeSeq });
        setFailed(null);
      } else setFailed({ query, error: result.error });
    });
  }, [api, query]);

  const current = page?.query === query ? page : null;
  const next = current?.next ?? null;
  const loadOlder = useCallback(async () => {
    if (next === null || loading) return;
    const mine = generation.current;
    setLoading(true);
    const result = await api.call('audit.query', { ...query, beforeSeq: next, limit: AUDIT_PAGE });
    setLoading(false);
    if (mine !== generation.current) return;
    if (result.ok) {
      setPage((shown) =>
        shown?.query === query
          ? { query, items: [...shown.items, ...result.value.items], next: result.value.nextBeforeSeq }
          : shown,
      );
    } else setFailed({ query, error: result.error });
  }, [api, query, next, loading]);

  return {
    items: current?.items ?? null,
    hasOlder: next !== null,
    loading,
    error: failed?.query === query ? failed.error : null,
    loadOlder,
  };
}
