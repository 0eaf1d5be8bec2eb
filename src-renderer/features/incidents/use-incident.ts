/** One incident with its timeline, kept fresh by pushes and after a reconnect. */
import { useCallback, useEffect, useState } from 'react';
import type { MethodOutput } from '../../../src-shared/api.ts';
import type { ApiError } from '../../../src-shared/errors.ts';
import { useApi, useOnReconnect, usePushEvent } from '../../api/ApiContext.tsx';

export type IncidentWithTimeline = MethodOutput<'incidents.get'>;

export function useIncident(id: string) {
  const api = useApi();
  const [data, setData] = useState<IncidentWithTimeline | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  /** Bumped to load again; an older answer arriving late is ignored. */
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    let live = true;
    void api.call('incidents.get', { id }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setData(result.value);
        setError(null);
      } else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, id, epoch]);

  const reload = useCallback(() => setEpoch((n) => n + 1), []);
  usePushEvent('incidents.changed', (payload) => {
    if (payload.ids.includes(id)) reload();
  });
  useOnReconnect(reload);

  return { data, error, reload, replace: setData };
}
