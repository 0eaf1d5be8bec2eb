/**
 * Who is signed in, to offer supervisor decisions only to supervisors. The core checks
 * the role again on every call; hiding the buttons is a courtesy.
 */
import { useEffect, useState } from 'react';
import type { Session } from '../../../src-shared/staff.ts';
import { useApi, usePushEvent } from '../../api/ApiContext.tsx';

export function useSession(): Session | null {
  const api = useApi();
  const [session, setSession] = useState<Session | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('auth.session', {}).then((result) => {
      if (live && result.ok) setSession(result.value.session);
    });
    return () => {
      live = false;
    };
  }, [api]);
  usePushEvent('auth.changed', (state) => setSession(state.session));
  return session;
}
