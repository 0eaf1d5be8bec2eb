/** Who an escalation has alarmed so far (staff numbers), for viewers who cannot acknowledge themselves. */
import { useEffect, useState } from 'react';
import { useApi, usePushEvent } from '../../api/ApiContext.tsx';

export function useNotified(escalationId: string, enabled: boolean): string[] {
  const api = useApi();
  const [notified, setNotified] = useState<string[]>([]);
  const [epoch, setEpoch] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void api.call('escalation.get', { escalationId }).then((result) => {
      if (live && result.ok) setNotified(result.value.escalation.notified);
    });
    return () => {
      live = false;
    };
  }, [api, escalationId, enabled, epoch]);
  usePushEvent('escalations.changed', (payload) => {
    if (payload.ids.includes(escalationId)) setEpoch((n) => n + 1);
  });
  return notified;
}
