/**
 * Which screen the console shows, from the core's auth state: first run (create the
 * first admin), sign-in, the lock screen of whoever was signed in, a user switch in
 * progress, or the app itself.
 */
import type { AuthState, Session } from '../../../../src-shared/staff.ts';

export type Gate =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'sign-in' }
  | { kind: 'locked'; staffNumber: string; name: string }
  | { kind: 'switch'; from: Session }
  | { kind: 'app'; session: Session };

export function gateOf(state: AuthState | null, switching: boolean): Gate {
  if (!state) return { kind: 'loading' };
  if (state.session) {
    return switching ? { kind: 'switch', from: state.session } : { kind: 'app', session: state.session };
  }
  if (state.rosterEmpty) return { kind: 'setup' };
  if (state.locked) return { kind: 'locked', ...state.locked };
  return { kind: 'sign-in' };
}
