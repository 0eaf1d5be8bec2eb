import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthState } from '../../../src-shared/staff.ts';
import {
  cleanupTestConsoles,
  enrolStandardRoster,
  openTestConsole,
  PINS,
  type TestConsole,
} from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

const T0 = Date.UTC(2026, 10, 25, 20, 0, 0);
let c: TestConsole;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
  c = openTestConsole({ wallClock: () => Date.now(), escalationPolicies: [] });
});

afterEach(async () => {
  await c.close();
  vi.useRealTimers();
  cleanupTestConsoles();
});

const session = async () => (await c.call<AuthState>('auth.session')).session;

describe('first run', () => {
  it('creates the first admin only while the roster is empty, and signs them in', async () => {
    expect(await c.call<AuthState>('auth.session')).toMatchObject({ session: null, rosterEmpty: true });
    const state = await c.call<AuthState>('auth.bootstrapAdmin', { staffNumber: 'a1', name: 'Admin', pin: '1111' });
    expect(state.session).toMatchObject({ staffNumber: 'A1', role: 'admin' });
    expect(state.rosterEmpty).toBe(false);
    const again = await c.fail('auth.bootstrapAdmin', { staffNumber: 'X9', name: 'Intruder', pin: '9999' });
    expect(again.code).toBe('conflict');
    expect((await c.call<{ items: unknown[] }>('staff.list')).items).toHaveLength(1);
  });

  it('lets a new console reach its tracker before anyone is on the roster, and not after', async () => {
    expect((await c.raw('sync.status')).ok).toBe(true);
    expect((await c.fail('incidents.list')).code).toBe('unauthenticated');
    await c.call('auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Admin', pin: '1111' });
    await c.call('auth.signOut');
    expect((await c.fail('sync.status')).code).toBe('unauthenticated');
    expect((await c.fail('sync.enroll', { trackerUrl: 'http://127.0.0.1:9/', code: 'x' })).code).toBe(
      'unauthenticated',
    );
  });

  it('refuses a PIN that is not 4 to 8 digits, naming the field', async () => {
    for (const pin of ['123', '123456789', '12a4']) {
      const error = await c.fail('auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Admin', pin });
      expect(error).toMatchObject({ code: 'invalid_input', field: 'pin' });
    }
  });
});

describe('sign-in', () => {
  beforeEach(async () => {
    await enrolStandardRoster(c);
    await c.call('auth.signOut');
  });

  it('signs in with staff number and PIN and reports the session from the roster', async () => {
    const state = await c.call<AuthState>('auth.signIn', { staffNumber: 's1', pin: PINS.S1 });
    expect(state.session).toEqual({
      staffNumber: 'S1',
      name: 'Sara Ett',
      role: 'supervisor',
      units: ['Avdelning B'],
      signedInAt: T0,
    });
    expect(c.events('auth.signed_in').at(-1)).toMatchObject({ actor: 'S1', payload: { staffNumber: 'S1' } });
  });

  it('refuses a wrong PIN with an error and logs the attempt', async () => {
    const error = await c.fail('auth.signIn', { staffNumber: 'S1', pin: '0000' });
    expect(error).toEqual({ code: 'unauthenticated', message: 'wrong staff number or PIN', field: 'pin' });
    expect(await session()).toBeNull();
    expect(c.events('auth.sign_in_failed').map((e) => e.payload)).toEqual([
      { staffNumber: 'S1', reason: 'bad_credentials', failures: 1 },
    ]);
  });

  it('answers an unknown staff number exactly like a wrong PIN', async () => {
    const wrongPin = await c.fail('auth.signIn', { staffNumber: 'S1', pin: '0000' });
    const unknown = await c.fail('auth.signIn', { staffNumber: 'NOBODY', pin: '0000' });
    expect(unknown).toEqual(wrongPin);
  });

  it('locks a staff number out for five minutes after five wrong PINs, and logs it', async () => {
    const errors = [];
    for (let i = 0; i < 5; i++) errors.push(await c.fail('auth.signIn', { staffNumber: 'S1', pin: '0000' }));
    expect(errors.slice(0, 4).every((e) => e.code === 'unauthenticated')).toBe(true);
    expect(errors[4]).toMatchObject({ code: 'forbidden', field: 'staffNumber' });
    expect(errors[4]!.message).toMatch(/locked out/);
    expect(c.events('auth.locked_out').map((e) => e.payload)).toEqual([
      { staffNumber: 'S1', until: T0 + 5 * 60_000, failures: 5 },
    ]);

    // The right PIN does not help during the lockout, and the refusal is logged too.
    expect((await c.fail('auth.signIn', { staffNumber: 'S1', pin: PINS.S1 })).code).toBe('forbidden');
    expect(c.events('auth.sign_in_failed').at(-1)!.payload).toMatchObject({ reason: 'locked_out' });
    // Other staff are not affected.
    await c.signIn('S3');

    vi.setSystemTime(T0 + 5 * 60_000);
    await c.signIn('S1');
    expect((await session())?.staffNumber).toBe('S1');
  });

  it('locks out an unknown staff number the same way, so lockouts reveal nobody', async () => {
    for (let i = 0; i < 4; i++) await c.fail('auth.signIn', { staffNumber: 'NOBODY', pin: '0000' });
    const fifth = await c.fail('auth.signIn', { staffNumber: 'NOBODY', pin: '0000' });
    expect(fifth.code).toBe('forbidden');
  });

  it('keeps the lockout across a restart, because it is in the log', async () => {
    for (let i = 0; i < 5; i++) await c.fail('auth.signIn', { staffNumber: 'S1', pin: '0000' });
    await c.close();
    c = openTestConsole({ file: c.file, wallClock: () => Date.now(), escalationPolicies: [] });
    expect((await c.fail('auth.signIn', { staffNumber: 'S1', pin: PINS.S1 })).code).toBe('forbidden');
  });

  it('switches user by signing in as someone else, and logs both sides', async () => {
    await c.signIn('S1');
    const state = await c.call<AuthState>('auth.signIn', { staffNumber: 'G1', pin: PINS.G1 });
    expect(state.session?.staffNumber).toBe('G1');
    expect(c.events('auth.signed_out').at(-1)).toMatchObject({
      actor: 'S1',
      payload: { staffNumber: 'S1', reason: 'switched' },
    });
    expect(c.events('auth.signed_in').at(-1)!.payload).toEqual({ staffNumber: 'G1', replaced: 'S1' });
  });

  it('keeps the current session when a switch attempt has the wrong PIN', async () => {
    await c.signIn('S1');
    await c.fail('auth.signIn', { staffNumber: 'G1', pin: '0000' });
    expect((await session())?.staffNumber).toBe('S1');
  });

  it('records the signed-in staff member as actor, whatever actor the host claims', async () => {
    await c.signIn('G1');
    const r = await c.core.dispatch('incidents.create', incidentInput(), { actor: 'operator', origin: 'web' });
    expect(r.ok).toBe(true);
    expect(c.events('incident.created').at(-1)!.actor).toBe('G1');
  });

  it('ends the session at once when another console’s admin deactivates the staff member', async () => {
    await c.signIn('S1');
    // The admin's event arrives by sync, as any pulled event: appended to the log.
    c.core.store.append([
      {
        id: '019ab000-0000-7000-8000-00000000d001',
        streamId: 'staff:S1',
        type: 'staff.updated',
        payload: { staffNumber: 'S1', patch: { active: false } },
        actor: 'A1',
        deviceId: 'other-console',
        deviceTime: T0,
        hlc: `${String(T0 + 1).padStart(15, '0')}-000000-other-console`,
      },
    ]);
    expect((await c.fail('incidents.list')).code).toBe('unauthenticated');
    expect(c.events('auth.signed_out').at(-1)!.payload).toEqual({ staffNumber: 'S1', reason: 'deactivated' });
    expect((await c.fail('auth.signIn', { staffNumber: 'S1', pin: PINS.S1 })).code).toBe('unauthenticated');
  });

  it('changes one’s own PIN only with the current one', async () => {
    await c.signIn('G1');
    expect((await c.fail('auth.changePin', { currentPin: '0000', newPin: '8642' })).field).toBe('currentPin');
    await c.call('auth.changePin', { currentPin: PINS.G1, newPin: '8642' });
    await c.call('auth.signOut');
    await c.signIn('G1', '8642');
    expect((await session())?.staffNumber).toBe('G1');
  });
});

describe('idle lock', () => {
  beforeEach(async () => {
    await enrolStandardRoster(c);
    await c.signIn('G1');
  });

  it('locks the session after ten idle minutes and logs it', async () => {
    await vi.advanceTimersByTimeAsync(10 * 60_000 - 1);
    expect((await session())?.staffNumber).toBe('G1');
    await vi.advanceTimersByTimeAsync(1);
    const state = await c.call<AuthState>('auth.session');
    expect(state).toMatchObject({ session: null, locked: { staffNumber: 'G1', name: 'Gustav Vakt' } });
    expect(c.events('auth.session_locked').map((e) => e.payload)).toEqual([
      { staffNumber: 'G1', reason: 'idle', idleMs: 10 * 60_000 },
    ]);
    expect(c.pushes.filter((p) => p.name === 'auth.changed').at(-1)!.payload).toMatchObject({ session: null });
    expect((await c.fail('incidents.list')).code).toBe('unauthenticated');
  });

  it('postpones the lock while the console is used, but not for passive reads', async () => {
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    await c.call('incidents.list');
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    await c.call('auth.touch');
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    expect((await session())?.staffNumber).toBe('G1');
    await c.call('alarms.list');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await session()).toBeNull();
  });

  it('takes the idle time from the core config', async () => {
    await c.close();
    c = openTestConsole({ file: c.file, wallClock: () => Date.now(), escalationPolicies: [], idleLockMs: 30_000 });
    await c.signIn('G1');
    await vi.advanceTimersByTimeAsync(30_000);
    expect((await c.call<AuthState>('auth.session')).locked?.staffNumber).toBe('G1');
  });

  it('locks at once on request, and unlocks with the PIN', async () => {
    await c.call('auth.lock');
    expect(c.events('auth.session_locked').at(-1)!.payload).toMatchObject({ reason: 'manual' });
    await c.signIn('G1');
    expect(await c.call<AuthState>('auth.session')).toMatchObject({ locked: null, session: { staffNumber: 'G1' } });
  });
});
