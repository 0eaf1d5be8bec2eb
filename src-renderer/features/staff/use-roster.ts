/** The roster for the staff page: `staff.list`, asked again after each change and after a reconnect. */
import { useCallback, useEffect, useState } from 'react';
import type { StaffSummary } from '../../../src-shared/staff.ts';
import type { ApiError } from '../../../src-shared/errors.ts';
import { useApi, useOnReconnect } from '../../api/ApiContext.tsx';

export function useRoster() {
  const api = useApi();
  const [items, setItems] = useState<StaffSummary[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [epoch, setEpoch] = useState(0);
  useEffect(() => {
    let live = true;
    void api.call('staff.list', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setItems(result.value.items);
        setError(null);
      } else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, epoch]);
  const reload = useCallback(() => setEpoch((n) => n + 1), []);
  useOnReconnect(reload);
  return { items, error, reload };
}
