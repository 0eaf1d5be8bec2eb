/**
 * The console's sync status, live: asked once, then kept current by the `sync.status`
 * push. Asked again after a sign-in change (the core may refuse it to nobody) and after
 * the host connection comes back (pushes may have been missed meanwhile).
 */
import { useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../src-shared/sync.ts';
import { useApi, useOnReconnect, usePushEvent } from '../../api/ApiContext.tsx';

export function useSyncStatus(): SyncStatus | null {
  const api = useApi();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [epoch, setEpoch] = useState(0);
  /** Counts pushes, so an answer to an older question cannot overwrite a newer push. */
  const pushes = useRef(0);

  useEffect(() => {
    let live = true;
    const asked = pushes.current;
    void api.call('sync.status', {}).then((result) => {
      if (live && result.ok && pushes.current === asked) setStatus(result.value);
    });
    return () => {
      live = false;
    };
  }, [api, epoch]);

  usePushEvent('sync.status', (next) => {
    pushes.current += 1;
    setStatus(next);
  });
  usePushEvent('auth.changed', () => setEpoch((n) => n + 1));
  useOnReconnect(() => setEpoch((n) => n + 1));
  return status;
}
