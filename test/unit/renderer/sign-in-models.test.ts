import { describe, expect, it } from 'vitest';
import { createActivityThrottle } from '../../../src-renderer/features/sign-in/model/activity-throttle.ts';
import { gateOf } from '../../../src-renderer/features/sign-in/model/gate.ts';
import { setupProblem } from '../../../src-renderer/features/sign-in/model/setup-form.ts';
import { lockedUntil, signInProblem } from '../../../src-renderer/features/sign-in/model/sign-in-error.ts';
import type { AuthState, Session } from '../../../src-shared/staff.ts';

const NOW = Date.parse('2026-11-25T21:14:00.000Z');
const session: Session = { staffNumber: 'S1', name: 'Sara', role: 'supervisor', units: [], signedInAt: NOW };
const state = (over: Partial<AuthState>): AuthState => ({
  session: null,
  locked: null,
  rosterEmpty: false,
  idleLockMs: 600_000,
  ...over,
});

describe('sign-in errors', () => {
  it('reads a wrong PIN and an unknown staff number alike', () => {
    const wrong = signInProblem({ code: 'unauthenticated', message: 'wrong staff number or PIN', field: 'pin' }, NOW);
    expect(wrong).toEqual({ key: 'signIn.error.badCredentials', field: 'pin' });
  });

  it('says how many minutes a lockout has left, rounded up', () => {
    const message = 'locked out after 5 wrong attempts until 2026-11-25T21:18:30.000Z';
    expect(lockedUntil(message)).toBe(Date.parse('2026-11-25T21:18:30.000Z'));
    expect(signInProblem({ code: 'forbidden', message, field: 'staffNumber' }, NOW)).toEqual({
      key: 'signIn.error.lockedOutFor',
      values: { count: 5 },
      field: 'pin',
    });
  });

  it('falls back to a lockout text without minutes when the end cannot be read', () => {
    expect(signInProblem({ code: 'forbidden', message: 'locked out for a while' }, NOW).key).toBe(
      'signIn.error.lockedOut',
    );
  });

  it('tells an awaited roster from a taken one when setup is refused', () => {
    const awaiting = 'this console is enrolled with a tracker but has not received the facility roster yet';
    expect(signInProblem({ code: 'conflict', message: awaiting }, NOW).key).toBe('signIn.error.awaitingRoster');
    expect(signInProblem({ code: 'conflict', message: 'the roster already has staff' }, NOW).key).toBe(
      'signIn.error.rosterNotEmpty',
    );
  });

  it('names the field of an input error and uses the generic text for anything else', () => {
    expect(signInProblem({ code: 'invalid_input', message: 'x', field: 'staffNumber' }, NOW).field).toBe('staffNumber');
    expect(signInProblem({ code: 'disconnected', message: 'x' }, NOW)).toEqual({
      key: 'error.disconnected',
      field: null,
    });
  });
});

describe('setup form', () => {
  const ok = { staffNumber: 'a100', name: 'Maria', pin: '1357', pinRepeat: '1357' };

  it('accepts a complete form, staff number in any case', () => {
    expect(setupProblem(ok)).toBeNull();
  });

  it('names the first problem in field order', () => {
    expect(setupProblem({ ...ok, staffNumber: ' ' })?.field).toBe('staffNumber');
    expect(setupProblem({ ...ok, staffNumber: 'a b' })?.key).toBe('signIn.error.staffNumberFormat');
    expect(setupProblem({ ...ok, name: '' })?.field).toBe('name');
    expect(setupProblem({ ...ok, pin: '12a4', pinRepeat: '12a4' })?.key).toBe('signIn.error.pinFormat');
    expect(setupProblem({ ...ok, pinRepeat: '7531' })).toEqual({ key: 'signIn.error.pinMismatch', field: 'pinRepeat' });
  });
});

describe('gate', () => {
  it('waits for the first answer', () => {
    expect(gateOf(null, false)).toEqual({ kind: 'loading' });
  });

  it('offers setup only while the roster is empty and nobody is signed in', () => {
    expect(gateOf(state({ rosterEmpty: true }), false).kind).toBe('setup');
    expect(gateOf(state({ rosterEmpty: false }), false).kind).toBe('sign-in');
  });

  it('shows the lock screen of whoever was locked out by idleness', () => {
    expect(gateOf(state({ locked: { staffNumber: 'S1', name: 'Sara' } }), false)).toEqual({
      kind: 'locked',
      staffNumber: 'S1',
      name: 'Sara',
    });
  });

  it('opens the app for a session, or the switch screen while switching', () => {
    expect(gateOf(state({ session }), false)).toEqual({ kind: 'app', session });
    expect(gateOf(state({ session }), true)).toEqual({ kind: 'switch', from: session });
    // Switching means nothing without a session.
    expect(gateOf(state({}), true).kind).toBe('sign-in');
  });
});

describe('activity throttle', () => {
  it('reports the first activity, then at most once per interval', () => {
    const throttle = createActivityThrottle(30_000);
    expect(throttle.shouldReport(0)).toBe(true);
    expect(throttle.shouldReport(29_999)).toBe(false);
    expect(throttle.shouldReport(30_000)).toBe(true);
    expect(throttle.shouldReport(30_001)).toBe(false);
    throttle.reset();
    expect(throttle.shouldReport(30_002)).toBe(true);
  });
});
