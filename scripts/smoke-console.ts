/**
 * The steps of `npm run smoke:electron` (smoke-electron.ts), apart from how the app is
 * started, so the same steps also run in `npm test` against the browser host
 * (test/e2e/smoke-steps.test.ts): there the Electron-only steps (window, tray) are skipped,
 * but every console call, input and check the smoke test makes is exercised for real.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type SmokeCall = <T = Record<string, unknown>>(method: string, input?: unknown) => Promise<T>;

export interface WindowState {
  visible: boolean;
  /** null where it cannot be read (a packaged app driven over CDP). */
  onTop: boolean | null;
  windows: number | null;
}

export interface SmokeTarget {
  host: 'electron' | 'web';
  dataDir: string;
  call: SmokeCall;
  /** Resolves once the console page can call the API; returns its URL. */
  pageReady(): Promise<string>;
  /** The desktop window; absent for the browser host. */
  window?: { state(): Promise<WindowState>; close(): Promise<void> };
  /** Everything the app printed so far. */
  output(): readonly string[];
  /** Quits the app; resolves with its exit code. */
  quit(): Promise<number | null>;
}

export interface SmokeOptions {
  timeoutMs: number;
  say(line: string): void;
}

export const SMOKE_ADMIN = { staffNumber: 'SMOKE1', name: 'Smoke Test', pin: '135790' };

export async function smokeConsole(target: SmokeTarget, options: SmokeOptions): Promise<void> {
  const { call, window } = target;
  const { timeoutMs, say } = options;

  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      const result = await run();
      say(`${name} … ok (${Date.now() - t0} ms)`);
      return result;
    } catch (error) {
      say(`${name} … FAILED: ${(error as Error).message}`);
      throw error;
    }
  };
  /** Polls until `check` gives a value (not undefined/false), within the run's time limit. */
  const until = async <T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const value = await check();
        if (value !== undefined && value !== false) return value;
      } catch (error) {
        last = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ''}`);
  };
  const alarmCount = async () => (await call<{ alarms: unknown[] }>('alarms.list')).alarms.length;

  await step('the console page is up', async () => {
    const url = await target.pageReady();
    if (target.host === 'electron' && !url.startsWith('app://guardline/')) throw new Error(`page is ${url}`);
    if (window) await until('window visible', async () => (await window.state()).visible);
  });

  const info = await step('sign in as the first admin', async () => {
    const session = await call<{ rosterEmpty: boolean }>('auth.session');
    if (!session.rosterEmpty) throw new Error('a fresh data dir should have an empty roster');
    await call('auth.bootstrapAdmin', SMOKE_ADMIN);
    return call<{ unit: string; facility: string; host: string }>('system.info');
  });
  if (info.host !== target.host) throw new Error(`host is ${info.host}, expected ${target.host}`);

  if (window) {
    await step('closing the window hides it; the app keeps running', async () => {
      await window.close();
      await until('window hidden', async () => !(await window.state()).visible);
      const state = await window.state();
      if (state.windows !== null && state.windows !== 1) throw new Error(`${state.windows} windows`);
      await call('system.info'); // the core still answers
    });
  }

  const incident = await step('raise a test alarm (high-severity incident on this unit)', async () => {
    const created = await call<{ id: string }>('incidents.create', {
      facility: info.facility,
      unit: info.unit,
      category: 'threat',
      severity: 'high',
      title: 'Röktest: larm',
      description: 'Skapat av npm run smoke:electron.',
      peopleInvolved: [],
      location: 'Röktest',
      occurredAt: new Date().toISOString(),
      reportedBy: SMOKE_ADMIN.staffNumber,
    });
    await until('the alarm stands', async () => (await alarmCount()) > 0);
    return created;
  });

  if (window) {
    await step('the alarm brings the window back (on top)', async () => {
      const state = await until('window visible again', async () => {
        const s = await window.state();
        return s.visible && (s.onTop === null || s.onTop) ? s : undefined;
      });
      if (state.onTop === null) say('  (on-top state is not readable here)');
    });
  }

  await step('the event log holds the incident and its escalation', async () => {
    const { items } = await call<{ items: { type: string }[] }>('audit.query', { incidentId: incident.id });
    const types = new Set(items.map((e) => e.type));
    for (const type of ['incident.created', 'escalation.started']) {
      if (!types.has(type)) throw new Error(`no ${type} in the log (${[...types].join(', ')})`);
    }
  });

  await step('the app logged no error', async () => {
    const errors = target.output().filter((l) => /\[guardline\].*(fail|error)/i.test(l));
    if (errors.length > 0) throw new Error(errors.slice(0, 5).join(' | '));
  });

  await step('acknowledge the alarm', async () => {
    const { items } = await call<{ items: { escalationId: string; incidentId: string }[] }>('escalation.list', {});
    const escalation = items.find((e) => e.incidentId === incident.id);
    if (!escalation) throw new Error('no escalation for the test incident');
    await call('escalation.acknowledge', { escalationId: escalation.escalationId });
    await until('no alarm stands', async () => (await alarmCount()) === 0);
  });

  const code = await step('quit', () => target.quit());
  if (code !== 0) throw new Error(`the app exited with code ${code}`);

  await step('the data file is intact after quitting', async () => {
    const db = new Database(join(target.dataDir, 'guardline.sqlite'), { readonly: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new Error(`integrity_check: ${String(integrity)}`);
      const { n } = db.prepare("SELECT count(*) AS n FROM events WHERE type = 'incident.created'").get() as {
        n: number;
      };
      if (n !== 1) throw new Error(`${n} incident.created events`);
    } finally {
      db.close();
    }
  });
}
