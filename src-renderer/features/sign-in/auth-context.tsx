/**
 * The console's auth state as the core tells it: asked once, then kept by `auth.changed`
 * pushes (sign-in, sign-out, user switch, idle lock), and asked again after a reconnect
 * (the host may have restarted, and sessions do not outlive it). While the roster is
 * empty it is also asked on sync progress: an enrolled console's roster arrives by sync,
 * and the core sends no `auth.changed` for that.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AuthState } from '../../../src-shared/staff.ts';
import { useApi, useOnReconnect, usePushEvent } from '../../api/ApiContext.tsx';
import { gateOf, type Gate } from './model/gate.ts';

export interface Auth {
  state: AuthState | null;
  gate: Gate;
  /** Take a state the core answered (sign-in, setup) without waiting for its push. */
  accept(state: AuthState): void;
  /** Quick user switch: show the sign-in screen while the current session still holds. */
  startSwitch(): void;
  cancelSwitch(): void;
  signOut(): Promise<void>;
  lock(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside <AuthProvider>');
  return value;
}

export function AuthProvider(props: { children: ReactNode }) {
  const api = useApi();
  const [state, setState] = useState<AuthState | null>(null);
  const [switching, setSwitching] = useState(false);
  /** Bumped to ask `auth.session` again; an older answer arriving late is ignored. */
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    let live = true;
    void api.call('auth.session', {}).then((result) => {
      if (live && result.ok) setState(result.value);
    });
    return () => {
      live = false;
    };
  }, [api, epoch]);

  const accept = useCallback((next: AuthState) => {
    setState(next);
    setSwitching(false);
  }, []);
  const ask = useCallback(() => setEpoch((n) => n + 1), []);

  usePushEvent('auth.changed', accept);
  usePushEvent('sync.status', () => {
    if (state?.rosterEmpty) ask();
  });
  useOnReconnect(ask);

  const value = useMemo<Auth>(
    () => ({
      state,
      gate: gateOf(state, switching),
      accept,
      startSwitch: () => setSwitching(true),
      cancelSwitch: () => setSwitching(false),
      async signOut() {
        const result = await api.call('auth.signOut', {});
        if (result.ok) accept(result.value);
      },
      async lock() {
        const result = await api.call('auth.lock', {});
        if (result.ok) accept(result.value);
      },
    }),
    [api, state, switching, accept],
  );
  return <AuthContext value={value}>{props.children}</AuthContext>;
}
