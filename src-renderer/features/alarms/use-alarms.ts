/**
 * The alarms this console shows: `alarms.list` once (and after a reconnect), then every
 * `alarm.changed` push. A list answer that was asked for before a push arrived is
 * older than the push and is dropped.
 */
import { useEffect, useRef, useState } from 'react';
import type { Alarm } from '../../../src-shared/escalation.ts';
import { useApi, useOnReconnect, usePushEvent } from '../../api/ApiContext.tsx';

export function useAlarms(): Alarm[] {
  const api = useApi();
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const [epoch, setEpoch] = useState(0);
  const pushes = useRef(0);

  useEffect(() => {
    let live = true;
    const seenPushes = pushes.current;
    void api.call('alarms.list', {}).then((result) => {
      if (live && result.ok && pushes.current === seenPushes) setAlarms(result.value.alarms);
    });
    return () => {
      live = false;
    };
  }, [api, epoch]);

  usePushEvent('alarm.changed', (payload) => {
    pushes.current += 1;
    setAlarms(payload.alarms);
  });
  useOnReconnect(() => setEpoch((n) => n + 1));
  return alarms;
}
