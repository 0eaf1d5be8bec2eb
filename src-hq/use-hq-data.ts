/** Fetches an HQ read endpoint, and again whenever the live stream says it may have changed. */
import { useCallback, useEffect, useState } from 'react';
import { hqApi } from './api.ts';
import { useLiveRefresh } from './live.ts';

export interface HqData<T> {
  data: T | null;
  error: string | null;
  reload(): void;
}

/** `path` null: nothing to fetch yet. `facility`: refresh only for that facility's changes. */
export function useHqData<T>(path: string | null, options: { facility?: string; live?: boolean } = {}): HqData<T> {
  const [answer, setAnswer] = useState<{ path: string; data: T | null; error: string | null } | null>(null);
  const [epoch, setEpoch] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    hqApi.get<T>(path).then(
      (data) => current && setAnswer({ path, data, error: null }),
      (failure: unknown) =>
        current &&
        setAnswer((prior) => ({
          path,
          data: prior?.path === path ? prior.data : null,
          error: failure instanceof Error ? failure.message : String(failure),
        })),
    );
    return () => {
      current = false;
    };
  }, [path, epoch]);
  const reload = useCallback(() => setEpoch((n) => n + 1), []);
  useLiveRefresh(options.live === false ? () => {} : reload, options.facility);
  // An answer for an earlier path (the filter changed) is not shown as this one's.
  const mine = answer?.path === path ? answer : null;
  return { data: mine?.data ?? null, error: mine?.error ?? null, reload };
}

/** A clock for durations ("open 2 h 5 min") that ticks every `everyMs`. */
export function useNow(everyMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
