import { describe, expect, it } from 'vitest';
import { isLockedOut, lockoutState } from '../../../src-main/core/auth/lockout.ts';

let n = 0;
const ev = (type: string, payload: unknown = {}) => ({
  id: `e${++n}`,
  type: type as never,
  payload,
  hlc: `${String(++n).padStart(15, '0')}-000000-d`,
  deviceId: 'd',
});
const failed = (reason = 'bad_credentials') => ev('auth.sign_in_failed', { staffNumber: 'V1', reason, failures: 1 });

describe('sign-in lockout fold', () => {
  it('counts wrong attempts since the last successful sign-in', () => {
    expect(lockoutState([failed(), failed(), ev('auth.signed_in'), failed()]).failures).toBe(1);
  });

  it('starts counting afresh after a lockout and locks until the recorded time', () => {
    const state = lockoutState([
      failed(),
      ev('auth.locked_out', { staffNumber: 'V1', until: 5000, failures: 5 }),
      failed(),
    ]);
    expect(state).toEqual({ failures: 1, lockedUntil: 5000 });
    expect(isLockedOut(state, 4999)).toBe(true);
    expect(isLockedOut(state, 5000)).toBe(false);
  });

  it('does not count attempts refused during a lockout', () => {
    expect(lockoutState([failed('locked_out'), failed('locked_out'), failed()]).failures).toBe(1);
  });
});
