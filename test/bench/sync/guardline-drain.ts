/**
 * Guardline's drain: a real console core holding an offline backlog, its real sync
 * engine pushing over HTTP to a real tracker process (validation, device-token auth
 * and idempotency all on, as in production, logging at its default level). Timed
 * from `sync.start()` until the outbox is empty; the time until the engine is live
 * again (it pulls the facility's events back afterwards) is reported beside it.
 *
 * The backlog is written once into a template console file; each run drains a copy
 * into a fresh tracker, so runs can be repeated without rebuilding 50,000 events.
 *
 * `guardlineDrainWarmCold` (issue 16, round 16ac): one tracker process takes two drains, a
 * warm-up console's backlog (another device, other events) first and then the measured one,
 * so the second meets the tracker (and this process's sync code) warm, as a tracker in service
 * is when a console drains after an outage. The first drain is the cold figure: fresh process.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { SyncStatus } from '../../../src-shared/sync.ts';
import { enrolmentCode, FACILITY, syncConsole } from '../../integration/sync/sync-lab.ts';
import { openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { progress } from '../report.ts';
import { offlineBacklog } from './offline-events.ts';
import { startTrackerProcess, type TrackerProcess } from './tracker-process.ts';

const APPEND_CHUNK = 1_000;
const DRAIN_TIMEOUT_MS = 300_000;
const ADMIN = { staffNumber: 'A-drain', pin: '1111' };
const CONSOLE_OPTIONS = { unit: 'Avdelning B', escalationPolicies: [] };

export interface DrainResult {
  /** Events in the outbox when the drain started (the backlog plus the admin's own few). */
  events: number;
  drainMs: number;
  untilLiveMs: number;
  /** Events the tracker holds afterwards, read from its file. */
  trackerEvents: number;
  /** CPU time the tracker process spent from the drain's start to its end, all threads (null without /proc). */
  trackerCpuMs: number | null;
  /** The same for the tracker's main thread alone (its event loop). */
  trackerMainCpuMs: number | null;
  /** The tracker's CPU over the drain by thread name (tracker-process.ts `threadCpuMs`), or null. */
  trackerThreadsCpuMs: Record<string, number> | null;
  /**
   * CPU time this process (the console: its core thread and its helper threads) spent over
   * the same span. The bench's own part in it is the status callbacks, a few per push.
   */
  consoleCpuMs: number;
  /** Bytes the tracker process wrote to disk over the drain (tracker-process.ts `diskBytes`), or null. */
  trackerDiskBytes: number | null;
}

/** Writes the backlog into a console file that is not enrolled yet; returns the file. */
export async function offlineConsole(
  dir: string,
  count: number,
  /**
   * `name`: the console's file and its admin (`A-<name>`, PIN 1111), 'drain' unless told: another
   * name is another device. `startMs`: the first event's wall clock (default: `count` ms ago).
   */
  options: { escalations?: boolean; name?: string; startMs?: number } = {},
): Promise<string> {
  const name = options.name ?? 'drain';
  const c = await syncConsole(dir, name, CONSOLE_OPTIONS);
  try {
    appendOfflineBacklog(c, count, { ...options, actor: `A-${name}` });
  } finally {
    await c.close();
  }
  return c.file;
}

/**
 * Appends a further offline backlog to a copy of a console file made by `offlineConsole`
 * (its device and key): the same console after an outage (mesh.bench.ts's warm catch-up).
 */
export async function extendOfflineConsole(
  from: string,
  file: string,
  count: number,
  options: { escalations?: boolean; name?: string; startMs?: number } = {},
): Promise<string> {
  copyConsoleFile(from, file);
  const c = openTestConsole({ file, ...CONSOLE_OPTIONS, sync: { start: false } });
  try {
    appendOfflineBacklog(c, count, { ...options, actor: `A-${options.name ?? 'drain'}` });
  } finally {
    await c.close();
  }
  return file;
}

/** The store and its device key travel together (identity/device-key-file.ts). */
export function copyConsoleFile(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm', '-device-key.pem']) {
    if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
  }
}

function appendOfflineBacklog(
  c: TestConsole,
  count: number,
  options: { escalations?: boolean; actor: string; startMs?: number },
): void {
  const deviceId = c.core.store.getMeta('device_id')!;
  const backlog = offlineBacklog({
    count,
    deviceId,
    facility: FACILITY,
    unit: 'Avdelning B',
    actor: options.actor,
    startMs: options.startMs ?? Date.now() - count,
    escalations: options.escalations ?? false,
  });
  const total = backlog.events.length;
  for (let i = 0; i < total; i += APPEND_CHUNK) {
    c.core.store.append(backlog.events.slice(i, i + APPEND_CHUNK));
    progress('offline backlog appended', Math.min(i + APPEND_CHUNK, total), total);
  }
  // A console that logged these over a long outage kept its search index current (it catches
  // up within moments of each command); appended in bulk here, the index would otherwise catch
  // up during the timed drain, on the console thread the drain needs: not the state being measured.
  c.core.store.catchUpDeferred();
}

/** One drain into a fresh tracker process (the cold state: its first drain). */
export async function guardlineDrain(dir: string, run: number, template: string): Promise<DrainResult> {
  const trackerFile = join(dir, `drain-tracker-${run}.sqlite`);
  const tracker = await startTrackerProcess(trackerFile, join(dir, `drain-tracker-${run}.log`));
  try {
    return await drainInto(tracker, trackerFile, join(dir, `drain-${run}.sqlite`), template, ADMIN.staffNumber);
  } finally {
    await tracker.kill();
  }
}

export interface WarmColdDrain {
  /** The warm-up: the first drain the fresh tracker process took (another device's backlog). */
  cold: DrainResult;
  /** The measured drain, into the same tracker process right after the warm-up. */
  warm: DrainResult;
}

/**
 * Two drains into one tracker process: `warmUp` (a console file of another device, from
 * `offlineConsole(…, { name })`) first, then `template`. Each result's `trackerEvents` counts
 * the events of its own console's device the tracker file holds at the end: the warm-up's
 * count is the server's proof that the warm-up happened and how large it was.
 */
export async function guardlineDrainWarmCold(
  dir: string,
  run: number,
  warmUp: { template: string; name: string },
  template: string,
): Promise<WarmColdDrain> {
  const trackerFile = join(dir, `drain-tracker-${run}.sqlite`);
  const tracker = await startTrackerProcess(trackerFile, join(dir, `drain-tracker-${run}.log`));
  try {
    const cold = await drainInto(
      tracker,
      trackerFile,
      join(dir, `drain-${run}-warm-up.sqlite`),
      warmUp.template,
      `A-${warmUp.name}`,
    );
    const warm = await drainInto(tracker, trackerFile, join(dir, `drain-${run}.sqlite`), template, ADMIN.staffNumber);
    return { cold, warm };
  } finally {
    await tracker.kill();
  }
}

async function drainInto(
  tracker: TrackerProcess,
  trackerFile: string,
  file: string,
  template: string,
  staffNumber: string,
): Promise<DrainResult> {
  copyConsoleFile(template, file);
  const c = openTestConsole({ file, ...CONSOLE_OPTIONS, sync: { start: false } });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await c.close();
  };
  try {
    await c.signIn(staffNumber, ADMIN.pin);
    await c.call('sync.enroll', { trackerUrl: tracker.url, code: await enrolmentCode(tracker.url), label: 'drain' });
    const events = c.core.sync.status().pending;
    let reported = 0;
    const stopProgress = c.core.subscribe((name, payload) => {
      if (name !== 'sync.status') return;
      const done = events - (payload as SyncStatus).pending;
      if (done - reported >= events / 10 || (done === events && reported !== events)) {
        reported = done;
        process.stderr.write(`  guardline drain: ${done}/${events}\n`);
      }
    });
    const cpuBefore = tracker.cpuMs();
    const mainBefore = tracker.mainThreadCpuMs();
    const threadsBefore = tracker.threadCpuMs();
    const bytesBefore = tracker.diskBytes();
    const consoleBefore = process.cpuUsage();
    const start = performance.now();
    const drained = statusReached(c, (s) => s.pending === 0, 'the outbox to drain');
    const live = statusReached(c, (s) => s.pending === 0 && s.state === 'live', 'sync to be live again');
    c.core.sync.start();
    const drainMs = (await drained) - start;
    const cpuAfter = tracker.cpuMs();
    const mainAfter = tracker.mainThreadCpuMs();
    const threadsAfter = tracker.threadCpuMs();
    const bytesAfter = tracker.diskBytes();
    const consoleCpu = process.cpuUsage(consoleBefore);
    const untilLiveMs = (await live) - start;
    stopProgress();
    const deviceId = c.core.store.getMeta('device_id')!;
    await close();
    // The console's events (its device's), not the device record the tracker wrote at enrolment;
    // read while the tracker runs (WAL: a reader sees every committed push).
    const db = new Database(trackerFile, { readonly: true, fileMustExist: true });
    const held = db
      .prepare("SELECT count(*) AS n FROM events WHERE device_id = ? AND type != 'device.enrolled'")
      .get(deviceId) as { n: number };
    db.close();
    const trackerCpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    const trackerMainCpuMs = mainBefore === null || mainAfter === null ? null : mainAfter - mainBefore;
    const trackerThreadsCpuMs =
      threadsBefore === null || threadsAfter === null
        ? null
        : Object.fromEntries(
            Object.entries(threadsAfter).map(([name, ms]) => [name, ms - (threadsBefore[name] ?? 0)] as const),
          );
    const consoleCpuMs = (consoleCpu.user + consoleCpu.system) / 1000;
    const trackerDiskBytes = bytesBefore === null || bytesAfter === null ? null : bytesAfter - bytesBefore;
    return {
      events,
      drainMs,
      untilLiveMs,
      trackerEvents: held.n,
      trackerCpuMs,
      trackerMainCpuMs,
      trackerThreadsCpuMs,
      consoleCpuMs,
      trackerDiskBytes,
    };
  } finally {
    await close();
  }
}

/**
 * When the engine first pushes a status that satisfies `predicate`. Reads the pushed
 * status rather than asking for a fresh one, which would recount the outbox on every
 * batch and slow the drain being measured.
 */
function statusReached(c: TestConsole, predicate: (s: SyncStatus) => boolean, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, DRAIN_TIMEOUT_MS);
    const stop = c.core.subscribe((name, payload) => {
      if (name !== 'sync.status' || !predicate(payload as SyncStatus)) return;
      const at = performance.now();
      clearTimeout(timer);
      stop();
      resolve(at);
    });
  });
}
