/**
 * The audit page's events: the first page for the current filter, then older pages on
 * request (`beforeSeq`). A new filter starts over; an answer for an older filter is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEntry, AuditQueryInput } from '../../../src-shared/audit.ts';
import type { ApiError } from '../../../src-shared/errors.ts';
import { useApi } from '../../api/ApiContext.tsx';

export const AUDIT_PAGE = 200;
export type AuditQuery = Omit<AuditQueryInput, 'beforeSeq' | 'limit'>;

export function useAuditLog(query: AuditQuery) {
  const api = useApi();
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    void api.call('audit.query', { ...query, limit: AUDIT_PAGE }).then((result) => {
      if (mine !== generation.current) return;
      if (result.ok) {
        setItems(result.value.items);
        setNext(result.value.nextBeforeSeq);
        setError(null);
      } else setError(result.error);
    });
  }, [api, query]);

  const loadOlder = useCallback(async () => {
    if (next === null || loading) return;
    const mine = generation.current;
    setLoading(true);
    const result = await api.call('audit.query', { ...query, beforeSeq: next, limit: AUDIT_PAGE });
    setLoading(false);
    if (mine !== generation.current) return;
    if (result.ok) {
      setItems((list) => [...(list ?? []), ...result.value.items]);
      setNext(result.value.nextBeforeSeq);
    } else setError(result.error);
  }, [api, query, next, loading]);

  return { items, hasOlder: next !== null, loading, error, loadOlder };
}
