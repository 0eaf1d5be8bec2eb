/**
 * Who is signed in, as far as this feature needs it: whether to offer enrolment and
 * "Släpp". The core checks the role again on every call; hiding a button is a courtesy.
 */
import { useEffect, useState } from 'react';
import type { AuthState } from '../../../src-shared/staff.ts';
import { roleAtLeast } from '../../../src-shared/staff.ts';
import { useApi, usePushEvent } from '../../api/ApiContext.tsx';

export function useAuthState(): AuthState | null {
  const api = useApi();
  const [auth, setAuth] = useState<AuthState | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('auth.session', {}).then((result) => {
      if (live && result.ok) setAuth(result.value);
    });
    return () => {
      live = false;
    };
  }, [api]);
  usePushEvent('auth.changed', setAuth);
  return auth;
}

export function isAdmin(auth: AuthState | null): boolean {
  return auth?.session ? roleAtLeast(auth.session.role, 'admin') : false;
}

/** Enrolment is for admins, and for anyone on a console whose roster is still empty (first run). */
export function mayEnrol(auth: AuthState | null): boolean {
  return isAdmin(auth) || (auth !== null && auth.session === null && auth.rosterEmpty);
}
