/**
 * Sign-in and the console's one session (a console is a workstation: signing in as
 * someone else replaces the session, and says so in the log). Every attempt, lockout,
 * sign-out and idle lock is an event, so the audit trail and other consoles see them.
 *
 * The session is re-checked against the roster on every call: a staff member whom an
 * admin deactivates or demotes (here or on another console) loses that access at once.
 */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { staffStreamId, type AuthState, type Role, type Session } from '../../../src-shared/staff.ts';
import type { StaffRecord } from '../../../src-shared/staff-fold.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import { ANONYMOUS_ACTOR } from '../event-factory.ts';
import type { Timers } from '../timers.ts';
import { DEFAULT_PIN_PARAMS, hashPin, verifyPin, type ScryptParams } from '../../../src-common/pin-hash.ts';
import { isLockedOut, lockoutState, LOCKOUT_AFTER_FAILURES, LOCKOUT_MS } from './lockout.ts';
import type { Roster } from './roster.ts';

export const DEFAULT_IDLE_LOCK_MS = 10 * 60 * 1000;

export interface AuthDeps {
  store: EventStore;
  roster: Roster;
  event: EventFactory;
  wallClock: () => number;
  timers: Timers;
  idleLockMs?: number;
  pinParams?: ScryptParams;
  /**
   * Why creating a first admin is not allowed right now, or null when it is. A console
   * enrolled with a tracker takes its roster from there: it may only create a first admin
   * once it has synced and the facility really has nobody.
   */
  bootstrapBlocked?: () => string | null;
  logError?: (message: string, detail?: unknown) => void;
}

export interface AuthService {
  state(): AuthState;
  rosterEmpty(): boolean;
  /** The signed-in staff member as the roster knows them now; null when signed out, locked or deactivated. */
  session(): Session | null;
  signIn(staffNumber: string, pin: string): Promise<AuthState>;
  signOut(): AuthState;
  bootstrapAdmin(staffNumber: string, name: string, pin: string): Promise<AuthState>;
  lock(): AuthState;
  /** Someone used the console: postpones the idle lock. */
  touch(): void;
  hashPin(pin: string): Promise<string>;
  verifyOwnPin(pin: string): Promise<boolean>;
  recordDenied(staffNumber: string, method: string, required: Role): void;
  onChange(listener: (state: AuthState) => void): () => void;
  stop(): void;
}

const badCredentials = () => new ApiFailure(apiError('unauthenticated', 'wrong staff number or PIN', 'pin'));

export function createAuthService(deps: AuthDeps): AuthService {
  const { store, roster, event, wallClock, timers } = deps;
  const idleLockMs = deps.idleLockMs ?? DEFAULT_IDLE_LOCK_MS;
  const pinParams = deps.pinParams ?? DEFAULT_PIN_PARAMS;
  const listeners = new Set<(state: AuthState) => void>();

  let current: { staffNumber: string; signedInAt: number } | null = null;
  let locked: { staffNumber: string; name: string } | null = null;
  let lastActivity = 0;
  let idleTimer: unknown = null;
  // Unknown staff numbers are checked against this, so a wrong number costs the same as a wrong PIN.
  let decoyHash: Promise<string> | null = null;

  const authEvents = recentSignInEvents(store);

  function toSession(record: StaffRecord, signedInAt: number): Session {
    return { staffNumber: record.staffNumber, name: record.name, role: record.role, units: record.units, signedInAt };
  }

  function session(): Session | null {
    if (!current) return null;
    const record = roster.get(current.staffNumber);
    if (record && record.active) return toSession(record, current.signedInAt);
    // Deactivated (or removed) while signed in: the session ends here, on the record.
    const ended = current.staffNumber;
    end();
    store.append([
      event('auth.signed_out', staffStreamId(ended), { staffNumber: ended, reason: 'deactivated' }, ended),
    ]);
    changed();
    return null;
  }

  function state(): AuthState {
    return { session: session(), locked, rosterEmpty: roster.isEmpty(), idleLockMs };
  }

  function changed() {
    const snapshot = state();
    for (const listener of listeners) listener(snapshot);
  }

  function end() {
    current = null;
    if (idleTimer !== null) timers.clearTimeout(idleTimer);
    idleTimer = null;
  }

  function scheduleIdleCheck(delay: number) {
    if (idleTimer !== null) timers.clearTimeout(idleTimer);
    idleTimer = timers.setTimeout(onIdleCheck, Math.max(0, delay));
  }

  function onIdleCheck() {
    idleTimer = null;
    if (!current) return;
    const idle = wallClock() - lastActivity;
    if (idle < idleLockMs) {
      scheduleIdleCheck(idleLockMs - idle);
      return;
    }
    try {
      lockNow('idle', idle);
    } catch (error) {
      // A timer callback has nobody to answer: report it rather than take the process down.
      (deps.logError ?? console.error)('auth: idle lock failed', error);
    }
  }

  function lockNow(reason: 'idle' | 'manual', idleMs: number): AuthState {
    if (!current) return state();
    const who = current.staffNumber;
    const record = roster.get(who);
    end();
    locked = { staffNumber: who, name: record?.name ?? who };
    store.append([
      event('auth.session_locked', staffStreamId(who), { staffNumber: who, reason, idleMs: Math.floor(idleMs) }, who),
    ]);
    changed();
    return state();
  }

  function begin(record: StaffRecord): AuthState {
    const previous = current?.staffNumber ?? null;
    const replaced = previous !== null && previous !== record.staffNumber ? previous : null;
    const events: EventEnvelope[] = [];
    if (replaced) {
      events.push(
        event('auth.signed_out', staffStreamId(replaced), { staffNumber: replaced, reason: 'switched' }, replaced),
      );
    }
    events.push(
      event(
        'auth.signed_in',
        staffStreamId(record.staffNumber),
        { staffNumber: record.staffNumber, replaced },
        record.staffNumber,
      ),
    );
    store.append(events);
    const now = wallClock();
    current = { staffNumber: record.staffNumber, signedInAt: Math.floor(now) };
    locked = null;
    lastActivity = now;
    scheduleIdleCheck(idleLockMs);
    changed();
    return state();
  }

  async function signIn(staffNumber: string, pin: string): Promise<AuthState> {
    const actor = current?.staffNumber ?? ANONYMOUS_ACTOR;
    const stream = staffStreamId(staffNumber);
    const before = lockoutState(authEvents(stream));
    if (isLockedOut(before, wallClock())) {
      store.append([
        event('auth.sign_in_failed', stream, { staffNumber, reason: 'locked_out', failures: before.failures }, actor),
      ]);
      throw lockedOut(before.lockedUntil!);
    }
    const record = roster.get(staffNumber);
    const usable = record !== null && record.active && record.pinHash !== null;
    decoyHash ??= hashPin('decoy-never-a-pin', pinParams);
    const matches = await verifyPin(pin, usable ? record.pinHash! : await decoyHash);
    if (usable && matches) return begin(record);

    // Counted after the PIN check: another attempt may have been logged meanwhile.
    const failures = lockoutState(authEvents(stream)).failures + 1;
    const events = [event('auth.sign_in_failed', stream, { staffNumber, reason: 'bad_credentials', failures }, actor)];
    const until = Math.floor(wallClock()) + LOCKOUT_MS;
    if (failures >= LOCKOUT_AFTER_FAILURES) {
      events.push(event('auth.locked_out', stream, { staffNumber, until, failures }, actor));
    }
    store.append(events);
    throw failures >= LOCKOUT_AFTER_FAILURES ? lockedOut(until) : badCredentials();
  }

  return {
    state,
    rosterEmpty: () => roster.isEmpty(),
    session,
    signIn,
    signOut() {
      const who = current?.staffNumber;
      if (who) {
        end();
        store.append([event('auth.signed_out', staffStreamId(who), { staffNumber: who, reason: 'user' }, who)]);
      }
      locked = null;
      changed();
      return state();
    },
    async bootstrapAdmin(staffNumber, name, pin) {
      const pinHash = await hashPin(pin, pinParams);
      // Checked after hashing, right before the append: no await in between, so two
      // setup screens racing cannot both create a first admin.
      if (!roster.isEmpty()) {
        throw new ApiFailure(apiError('conflict', 'the roster already has staff: ask an admin to enrol you'));
      }
      const blocked = deps.bootstrapBlocked?.() ?? null;
      if (blocked) throw new ApiFailure(apiError('conflict', blocked));
      const stream = staffStreamId(staffNumber);
      const role: Role = 'admin';
      store.append([
        event('staff.enrolled', stream, { staffNumber, name, role, units: [] }, staffNumber),
        event('staff.pin_set', stream, { staffNumber, pinHash }, staffNumber),
      ]);
      return begin(roster.get(staffNumber)!);
    },
    lock: () => lockNow('manual', current ? wallClock() - lastActivity : 0),
    touch() {
      if (current) lastActivity = wallClock();
    },
    hashPin: (pin) => hashPin(pin, pinParams),
    async verifyOwnPin(pin) {
      const record = current ? roster.get(current.staffNumber) : null;
      return record?.pinHash ? verifyPin(pin, record.pinHash) : false;
    },
    recordDenied(staffNumber, method, required) {
      const payload = { staffNumber, method, required };
      store.append([event('access.denied', staffStreamId(staffNumber), payload, staffNumber)]);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      end();
      listeners.clear();
    },
  };
}

function lockedOut(until: number): ApiFailure {
  return new ApiFailure(
    apiError(
      'forbidden',
      `locked out after ${LOCKOUT_AFTER_FAILURES} wrong attempts until ${new Date(until).toISOString()}`,
      'staffNumber',
    ),
  );
}

/**
 * The recent sign-in facts of one staff stream. Twenty suffice: at most five wrong
 * attempts can follow the last success or lockout before another lockout. Attempts
 * refused during a lockout are left out, so a flood of them cannot push the lockout
 * itself out of view.
 */
function recentSignInEvents(store: EventStore) {
  const q = store.db.prepare<[string], { id: string; type: string; payload: string; hlc: string; device_id: string }>(
    `SELECT id, type, payload, hlc, device_id FROM events
      WHERE stream_id = ?
        AND (type IN ('auth.signed_in', 'auth.locked_out')
             OR (type = 'auth.sign_in_failed' AND json_extract(payload, '$.reason') = 'bad_credentials'))
      ORDER BY hlc DESC, device_id DESC, id DESC LIMIT 20`,
  );
  return (stream: string): Pick<EventEnvelope, 'id' | 'type' | 'payload' | 'hlc' | 'deviceId'>[] =>
    q.all(stream).map((r) => ({
      id: r.id,
      type: r.type as EventEnvelope['type'],
      payload: JSON.parse(r.payload) as unknown,
      hlc: r.hlc,
      deviceId: r.device_id,
    }));
}
