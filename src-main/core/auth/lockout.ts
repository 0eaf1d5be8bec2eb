/**
 * Sign-in lockout, folded from the log: five wrong attempts in a row for one staff
 * number refuse sign-in for five minutes. The count lives in the event log (per staff
 * number, whether or not anyone has that number), so it survives a restart, syncs to
 * other consoles, and an unknown number behaves exactly like a known one.
 */
import { compareEvents, type EventEnvelope } from '../../../src-shared/events.ts';
import { AuthLockedOutPayload, AuthSignInFailedPayload } from '../../../src-shared/staff.ts';

export const LOCKOUT_AFTER_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60 * 1000;

export interface LockoutState {
  /** Wrong attempts since the last successful sign-in or the last lockout. */
  failures: number;
  /** Wall-clock ms until which sign-in is refused; null when never locked out. */
  lockedUntil: number | null;
}

export function lockoutState(
  events: readonly Pick<EventEnvelope, 'id' | 'type' | 'payload' | 'hlc' | 'deviceId'>[],
): LockoutState {
  let failures = 0;
  let lockedUntil: number | null = null;
  for (const event of [...events].sort(compareEvents)) {
    if (event.type === 'auth.signed_in') failures = 0;
    else if (event.type === 'auth.sign_in_failed') {
      const p = AuthSignInFailedPayload.safeParse(event.payload);
      // Attempts refused during a lockout do not extend it: nobody checked their PIN.
      if (p.success && p.data.reason === 'bad_credentials') failures += 1;
    } else if (event.type === 'auth.locked_out') {
      const p = AuthLockedOutPayload.safeParse(event.payload);
      if (p.success) lockedUntil = Math.max(lockedUntil ?? 0, p.data.until);
      failures = 0;
    }
  }
  return { failures, lockedUntil };
}

export function isLockedOut(state: LockoutState, now: number): boolean {
  return state.lockedUntil !== null && now < state.lockedUntil;
}
