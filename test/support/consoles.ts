/**
 * A real console core on a real SQLite file, for tests that drive it through dispatch:
 * typed-ish call helpers, the pushes it sent, its log, and a standard roster.
 * Time: pass `wallClock: () => Date.now()` under vitest fake timers (the core's default
 * timers look up the global ones at call time, so fake timers apply).
 */
import { join } from 'node:path';
import { createConsoleCore, type ConsoleCore, type ConsoleCoreConfig } from '../../src-main/core/console-core.ts';
import type { StoredEvent } from '../../src-shared/events.ts';
import type { ApiError } from '../../src-shared/errors.ts';
import type { CallResult } from '../../src-shared/transport.ts';
import { tempDir } from './temp.ts';

/** Cheap scrypt for tests that sign in often; pin-hash tests cover the default cost. */
export const FAST_PINS = { N: 1024, r: 8, p: 1 };

export interface TestConsole {
  core: ConsoleCore;
  file: string;
  pushes: { name: string; payload: unknown }[];
  /** Call and return the value; throws with the error code and message on failure. */
  call<T = unknown>(method: string, input?: unknown): Promise<T>;
  /** Call and return the error (throws if the call succeeded). */
  fail(method: string, input?: unknown): Promise<ApiError>;
  raw(method: string, input?: unknown): Promise<CallResult>;
  signIn(staffNumber: string, pin?: string): Promise<void>;
  events(type?: string): StoredEvent[];
  close(): Promise<void>;
}

export type TestConsoleOptions = Partial<Omit<ConsoleCoreConfig, 'dataFile' | 'host' | 'appVersion'>> & {
  file?: string;
};

const cleanups: (() => void)[] = [];

/** Remove every temp dir made by openTestConsole (call in afterAll/afterEach after closing). */
export function cleanupTestConsoles(): void {
  for (const c of cleanups.splice(0)) c();
}

export function openTestConsole(options: TestConsoleOptions = {}): TestConsole {
  let file = options.file;
  if (!file) {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    file = join(dir.path, 'console.sqlite');
  }
  const { file: _file, ...rest } = options;
  const core = createConsoleCore({
    dataFile: file,
    host: 'test',
    appVersion: '0.0.0-test',
    facility: 'Märsta',
    unit: 'Avdelning B',
    pinParams: FAST_PINS,
    sync: { start: false },
    ...rest,
  });
  const pushes: TestConsole['pushes'] = [];
  core.subscribe((name, payload) => pushes.push({ name, payload }));
  const raw = (method: string, input: unknown = {}) => core.dispatch(method, input, { origin: 'test' });
  const self: TestConsole = {
    core,
    file,
    pushes,
    raw,
    async call<T>(method: string, input?: unknown) {
      const r = await raw(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    },
    async fail(method, input) {
      const r = await raw(method, input);
      if (r.ok) throw new Error(`${method} succeeded but should have failed`);
      return r.error;
    },
    async signIn(staffNumber, pin = PINS[staffNumber] ?? '0000') {
      await self.call('auth.signIn', { staffNumber, pin });
    },
    events(type) {
      const rows = core.store.db
        .prepare(`SELECT id FROM events ${type ? 'WHERE type = ?' : ''} ORDER BY seq`)
        .all(...(type ? [type] : [])) as { id: string }[];
      return rows.map((r) => core.store.getEvent(r.id)!);
    },
    close: () => core.close(),
  };
  return self;
}

/**
 * The standard roster: admin A1, supervisors S1 (Avdelning B), S2 (Avdelning C),
 * S3 (Avdelning B), guard G1 (Avdelning B). Leaves A1 signed in.
 */
export const PINS: Record<string, string> = { A1: '1111', S1: '2222', S2: '3333', S3: '4444', G1: '5555' };

export async function enrolStandardRoster(c: TestConsole): Promise<void> {
  await c.call('auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Admin Ett', pin: PINS.A1 });
  const staff = [
    { staffNumber: 'S1', name: 'Sara Ett', role: 'supervisor', units: ['Avdelning B'] },
    { staffNumber: 'S2', name: 'Sven Två', role: 'supervisor', units: ['Avdelning C'] },
    { staffNumber: 'S3', name: 'Stina Tre', role: 'supervisor', units: ['Avdelning B'] },
    { staffNumber: 'G1', name: 'Gustav Vakt', role: 'guard', units: ['Avdelning B'] },
  ];
  for (const s of staff) await c.call('staff.enroll', { ...s, pin: PINS[s.staffNumber] });
}
