/**
 * `npm run bench mesh` (issue 12, DESIGN §9 "Mesh"):
 *
 * 1. Threat on console A → alarm banner rendered in console B's page over the LAN with the
 *    tracker down: two real browser hosts (separate processes) whose mesh links are mutual
 *    TLS on loopback, enrolled while a tracker ran (so each holds the other's device
 *    record), then the tracker killed. p50/p95 over 50 trials; target p95 < 300 ms. The
 *    clock starts at A's API call and stops when the banner row is painted in B's page (a
 *    MutationObserver in the page, then the next animation frame; both pages share the
 *    browser's clock). On the way each stage is stamped from the pushes each core sends
 *    its page: A committed, B stored the incident from the mesh, B's alarm feed pushed.
 *    Playwright's own sighting is printed too, but it polls with a back-off and so is not
 *    the measure. `GUARDLINE_MESH_BENCH=alarm` runs this part alone (for profiling).
 * 2. Catch-up of 20,000 events between two consoles: a console holding an offline backlog
 *    (this process; its threats escalated, acknowledged and resolved as its runner would have
 *    logged them, so the peer does not escalate them again) meets a console that has none of it (a browser host process): they
 *    pair, and the feed replicates everything; events/s until B's file holds all of A's
 *    events. Beside it, in the same run, the same backlog drained from a copy of the same
 *    console file to a real tracker process (the sync bench's drain). Target: catch-up ≥
 *    the tracker drain. `GUARDLINE_MESH_BENCH=catch-up` runs this part alone, and
 *    `GUARDLINE_MESH_PROFILE=<dir>` has the receiving console write a CPU profile there.
 *    The catch-up runs twice: B preparing A's frames on its worker thread (the default), then
 *    inline on its main thread (`--mesh-prepare inline`, as before issue 12g), as a row beside it.
 *    Warm and cold (round 16ac): the target row compares a warm catch-up with a warm drain. B
 *    and A exchanged events before the partition: A before its outage (its own file, 4,000
 *    earlier events) catches the fresh B process up first, then the backlog is appended to that
 *    file and the same B process takes it, timed. The drain's tracker process likewise takes
 *    another device's 4,000 events first. Each server's count of the warm-up's events is a row;
 *    the runs above (fresh processes) stay as the "cold" rows, the inline one among them.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import type { Alarm } from '../../src-shared/escalation.ts';
import type { MeshPairingCode, SyncStatus } from '../../src-shared/sync.ts';
import { launchChromium, startWebHost } from '../e2e/harness.ts';
import { mustCall } from '../e2e/page-api.ts';
import Database from 'better-sqlite3';
import { enrolmentCode, FACILITY, startTracker } from '../integration/sync/sync-lab.ts';
import { hostCall } from '../support/host-api.ts';
import { openTestConsole } from '../support/consoles.ts';
import { incidentInput } from '../support/incidents.ts';
import { meshAddressFrom, writeMeshConfig } from '../support/mesh-config.ts';
import { percentile, progress, round, type BenchRow } from './report.ts';
import {
  copyConsoleFile,
  extendOfflineConsole,
  guardlineDrain,
  guardlineDrainWarmCold,
  offlineConsole,
} from './sync/guardline-drain.ts';
import { benchCall, openPageSocket, pushArrivedAt, stampWhenPainted } from './page-timing.ts';

const TRIALS = 50;
const WARMUP = 5;
const TARGET_P95_MS = 300;
const CATCH_UP_EVENTS = 20_000;
/** The warm-ups before the warm catch-up and drain (round 16ac): smaller, other events. */
const WARM_UP_EVENTS = 4_000;
const WAIT = { timeout: 30_000 };
const UNIT = 'Avdelning B';
const SUPERVISOR = { staffNumber: 'S1', name: 'Sara Ett', role: 'supervisor', units: [UNIT], pin: '4455' };
const GUARD = { staffNumber: 'G1', name: 'Gustav Vakt', role: 'guard', units: [UNIT], pin: '6677' };
const nowMs = () => performance.timeOrigin + performance.now();

/** Where the alarm is on its way, each as the time since A's API call started (p50/p95 printed per stage). */
const STAGES = ['aCommitted', 'bStored', 'bAlarm', 'bInserted', 'bPainted'] as const;
type Stage = (typeof STAGES)[number];
const STAGE_NAMES: Record<Stage, string> = {
  aCommitted: "A committed the incident (A's incidents.changed push in A's page)",
  bStored: "B stored it from the mesh (B's incidents.changed push in B's page)",
  bAlarm: "B's alarm feed pushed it (alarm.changed in B's page)",
  bInserted: "banner row in B's DOM",
  bPainted: 'banner row painted in B (next animation frame)',
};

async function lanAlarm(dir: string): Promise<{ wall: number[]; stages: Record<Stage, number[]> }> {
  const configs = ['a', 'b'].map((n) => join(dir, `${n}.config.json`));
  for (const file of configs) writeMeshConfig(file, { listen: '127.0.0.1:0', peers: [] });
  const tracker = await startTracker(join(dir, 'tracker.sqlite'));
  const hosts = await Promise.all([
    startWebHost({
      dataDir: join(dir, 'a'),
      env: { GUARDLINE_FACILITY: FACILITY, GUARDLINE_UNIT: UNIT, GUARDLINE_CONFIG: configs[0]! },
    }),
    startWebHost({
      dataDir: join(dir, 'b'),
      env: { GUARDLINE_FACILITY: FACILITY, GUARDLINE_UNIT: 'Ledningscentral', GUARDLINE_CONFIG: configs[1]! },
    }),
  ]);
  const addresses = hosts.map((h) => meshAddressFrom(h.output()));
  for (const file of configs) writeMeshConfig(file, { peers: addresses });
  const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  let trackerUp = true;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const [a, b] = (await Promise.all([context.newPage(), context.newPage()])) as [Page, Page];
    await Promise.all([a.goto(hosts[0].url), b.goto(hosts[1].url)]);
    await a.getByRole('heading', { name: /Första start/ }).waitFor(WAIT);
    await mustCall(a, 'auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Åsa Admin', pin: '112233' });
    await mustCall(a, 'staff.enroll', SUPERVISOR);
    await mustCall(a, 'staff.enroll', GUARD);
    await mustCall(a, 'sync.enroll', {
      trackerUrl: tracker.url,
      code: await enrolmentCode(tracker.url),
      label: 'A',
      adoptFacility: true,
    });
    await mustCall(b, 'sync.enroll', {
      trackerUrl: tracker.url,
      code: await enrolmentCode(tracker.url),
      label: 'B',
      adoptFacility: true,
    });
    await b.getByRole('heading', { name: 'Logga in', exact: true }).waitFor(WAIT);
    await mustCall(b, 'auth.signIn', { staffNumber: SUPERVISOR.staffNumber, pin: SUPERVISOR.pin });
    await mustCall(a, 'auth.signIn', { staffNumber: GUARD.staffNumber, pin: GUARD.pin });
    for (const page of [a, b]) {
      for (let i = 0; ; i++) {
        const s = await mustCall<SyncStatus>(page, 'sync.status');
        if (s.mesh.peers.some((p) => p.state === 'connected')) break;
        if (i > 600) throw new Error('the consoles never connected over the mesh');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await tracker.kill();
    trackerUp = false;
    await b.getByTestId('mesh-route-header').waitFor(WAIT);
    await openPageSocket(a);
    await openPageSocket(b);

    const wall: number[] = [];
    const stages: Record<Stage, number[]> = { aCommitted: [], bStored: [], bAlarm: [], bInserted: [], bPainted: [] };
    for (let i = 0; i < TRIALS + WARMUP; i++) {
      const title = `LAN-hot ${i}`;
      const selector = '[data-testid=alarm-banner] [data-escalation-id]';
      const stamped = stampWhenPainted(b, selector, title);
      const seen = b.locator(selector, { hasText: title }).first().waitFor(WAIT);
      const start = nowMs();
      const made = await benchCall<{ id: string }>(
        a,
        'incidents.create',
        incidentInput({ unit: UNIT, category: 'threat', title }),
      );
      await seen;
      const w = nowMs() - start;
      const { inserted, painted } = await stamped;
      // Each stage as the time since A's call started, from the pushes each core sent its page.
      const since = async (page: Page, push: string, text: string) => {
        const at = await pushArrivedAt(page, push, text);
        if (at === null) throw new Error(`no ${push} push mentioning ${text}`);
        return at - start;
      };
      const trial: Record<Stage, number> = {
        aCommitted: await since(a, 'incidents.changed', made.id),
        bStored: await since(b, 'incidents.changed', made.id),
        bAlarm: await since(b, 'alarm.changed', title),
        bInserted: inserted - start,
        bPainted: painted - start,
      };
      const { alarms } = await benchCall<{ alarms: Alarm[] }>(b, 'alarms.list', {});
      for (const alarm of alarms) await benchCall(b, 'escalation.acknowledge', { escalationId: alarm.escalationId });
      await b.locator('[data-testid=alarm-banner]').waitFor({ state: 'detached', ...WAIT });
      await a.locator('[data-testid=alarm-banner]').waitFor({ state: 'detached', ...WAIT });
      if (i >= WARMUP) {
        wall.push(w);
        for (const stage of STAGES) stages[stage].push(trial[stage]);
      }
      progress('threat on A → banner in B over the LAN', i + 1, TRIALS + WARMUP);
    }
    return { wall, stages };
  } finally {
    await browser.close();
    await Promise.all(hosts.map((h) => h.stop()));
    if (trackerUp) await tracker.kill();
  }
}

/**
 * CPU time (ms) a process has used, all its threads and its main thread alone, from Linux's
 * /proc (clock ticks of 10 ms); null elsewhere. The catch-up's rate swings with the machine's
 * load; what each side spent on it does much less, so before/after pairs compare these too.
 */
function processCpuMs(pid: number): { all: number; main: number; byName: Record<string, number> } | null {
  const ticks = (stat: string) => {
    // Fields after the command (which may hold spaces) in parentheses: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  try {
    // Each live thread by its name: MainThread, FramePreparer (the frame preparer), WorkerThread (SQLite's checkpointer), V8Worker
    // (V8's helpers: concurrent GC, compilation), libuv-worker… Threads that ended count in
    // `all` only.
    const byName: Record<string, number> = {};
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
        byName[name] = (byName[name] ?? 0) + ticks(readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8'));
      } catch {
        // ended between the listing and the read
      }
    }
    return {
      all: ticks(readFileSync(`/proc/${pid}/stat`, 'utf8')),
      main: ticks(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')),
      byName,
    };
  } catch {
    return null;
  }
}

/** This process's main thread's CPU time (ms): A, the sending console, and the bench's watcher. */
const ownThreadCpuMs = () => {
  const used = process.threadCpuUsage();
  return (used.user + used.system) / 1000;
};

interface CatchUpCpu {
  /** B, the receiving console's process: every thread (main, frame preparer, SQLite's and libuv's). */
  receiverAll: number;
  receiverMain: number;
  /**
   * B's worker threads (the frame preparer, named FramePreparer since round 12x, and SQLite's
   * checkpointer, WorkerThread: one sum, as before) and V8's helper threads (V8Worker: GC, compiling).
   */
  receiverWorker: number;
  /** B's frame preparer's thread alone (FramePreparer; 0 where the tree under test does not name it). */
  receiverPreparer: number;
  receiverV8: number;
  /** A's thread (the sender), with the bench's 50 ms watcher beside it. */
  senderMain: number;
}

/**
 * `prepare`: where B parses and prepares A's frames (`--mesh-prepare`): on its worker thread
 * (the default) or inline on its main thread, as before issue 12g, for comparison in one run.
 */
/**
 * `warmUp` (round 16ac): `past` is the console before its outage (its device and key), holding
 * only the events it had logged then. It pairs with the fresh B and catches it up (timed apart:
 * the warm-up), and is closed; then the backlog is appended to that same file (the outage: the
 * console's own history goes on from where B saw it, so no event of the device is told twice
 * with different contents) and the console, now A, pairs with the same B process: the timed
 * catch-up moves only what B does not hold. A and B exchanged events before the partition, as
 * in the scenario. `template` is then unused.
 */
async function catchUp(
  dir: string,
  template: string,
  prepare: 'worker' | 'inline',
  warmUp?: { past: string; backlog: number },
): Promise<CatchUpResult> {
  const run = `${prepare}${warmUp ? '-warm' : ''}`;
  const file = join(dir, `catch-up-a-${run}.sqlite`);
  // A (the backlog) in this process, like the drain's console; B, the console catching up,
  // is a browser host of its own, as the drain's tracker is a process of its own.
  const openA = () =>
    openTestConsole({
      file,
      unit: 'Avdelning B',
      escalationPolicies: [],
      sync: { start: false },
      mesh: { listen: '127.0.0.1:0' },
    });
  let a: ReturnType<typeof openA> | null = null;
  if (!warmUp) {
    copyConsoleFile(template, file);
    a = openA();
  }
  const dataB = join(dir, `catch-up-b-${run}`);
  const fileB = join(dataB, 'guardline.sqlite');
  // GUARDLINE_MESH_PROFILE=<dir>: the receiving console writes a CPU profile there when it
  // stops (read it with test/bench/cpuprofile-top.ts --by-caller).
  // Only the default (worker) run is profiled: its B writes the first .cpuprofile.
  const profileDir = prepare === 'worker' && !warmUp ? process.env.GUARDLINE_MESH_PROFILE : undefined;
  // GUARDLINE_MESH_B_NODE_OPTIONS="<flags>": V8/Node flags for the worker run's B alone, e.g.
  // `--single-threaded-gc` or `--no-concurrent-recompilation` to see which of V8's helper
  // threads' work is garbage collection and which is compiling (round 12q).
  const bFlags = prepare === 'worker' && !warmUp ? (process.env.GUARDLINE_MESH_B_NODE_OPTIONS ?? '') : '';
  const nodeOptions = [
    ...(process.env.NODE_OPTIONS ? [process.env.NODE_OPTIONS] : []),
    ...(profileDir ? [`--cpu-prof --cpu-prof-dir=${profileDir}`] : []),
    ...(bFlags ? [bFlags] : []),
  ];
  // GUARDLINE_MESH_TIMELINE=<dir>: both consoles' peer sessions write their timelines to
  // <dir>/<prepare> (core/mesh/session-timeline.ts; read with test/bench/mesh-timeline.ts).
  const timelineRoot = process.env.GUARDLINE_MESH_TIMELINE_ROOT ?? process.env.GUARDLINE_MESH_TIMELINE;
  if (timelineRoot) {
    process.env.GUARDLINE_MESH_TIMELINE_ROOT = timelineRoot;
    process.env.GUARDLINE_MESH_TIMELINE = join(timelineRoot, run);
  }
  const b = await startWebHost({
    dataDir: dataB,
    env: {
      GUARDLINE_FACILITY: FACILITY,
      GUARDLINE_UNIT: 'Ledningscentral',
      GUARDLINE_MESH_LISTEN: '127.0.0.1:0',
      GUARDLINE_MESH_PREPARE: prepare,
      ...(nodeOptions.length > 0 ? { NODE_OPTIONS: nodeOptions.join(' ') } : {}),
    },
  });
  // A's signed feed, counted on the author index (events_by_author covers signed events only):
  // without `device_seq IS NOT NULL` the watcher scanned B's whole table every 50 ms.
  const feed = 'SELECT count(*) AS n FROM events WHERE device_id = ? AND device_seq IS NOT NULL';
  try {
    await hostCall(b.url, 'auth.bootstrapAdmin', { staffNumber: 'B1', name: 'Bo Admin', pin: '123456' });
    let warmed: CatchUpResult['warmUp'] = null;
    if (warmUp) {
      const { file: pastFile, ...w } = await warmUpB(dir, run, warmUp.past, b, fileB, feed);
      warmed = w;
      await extendOfflineConsole(pastFile, file, warmUp.backlog, { escalations: true });
      a = openA();
    }
    if (!a) throw new Error('no console A');
    await a.signIn('A-drain', '1111');
    a.core.sync.start();
    await a.core.ready;
    await a.core.mesh.listening();
    const author = a.core.info().deviceId;
    const events = (a.core.store.db.prepare(feed).get(author) as { n: number }).n;
    // One read-only connection, polled every 50 ms: the watcher must not compete with the catch-up.
    const watch = new Database(fileB, { readonly: true, fileMustExist: true });
    const countHeld = watch.prepare(feed);
    // An escalation step B recorded itself before A's copy arrived (a frame ended between a
    // threat's acknowledgement and its resolution, say) has the same deterministic id as A's,
    // so A's copy is a duplicate there: B holds that event as its own. Counted too.
    const feedIds = new Set(
      (a.core.store.db.prepare('SELECT id FROM events WHERE device_id = ?').all(author) as { id: string }[]).map(
        (r) => r.id,
      ),
    );
    const ownOfB = watch.prepare(
      "SELECT id FROM events WHERE device_id = (SELECT value FROM meta WHERE key = 'device_id') AND device_seq IS NOT NULL",
    );
    const held = () =>
      (countHeld.get(author) as { n: number }).n +
      (ownOfB.all() as { id: string }[]).filter((r) => feedIds.has(r.id)).length;
    const shown = await a.call<MeshPairingCode>('mesh.pairingCode');
    // What B held of A's feed before the timed catch-up (the warm-up's events; none when cold).
    const heldBefore = held();
    const receiverBefore = processCpuMs(b.pid);
    const senderBefore = ownThreadCpuMs();
    const start = performance.now();
    await hostCall(b.url, 'mesh.pair', { address: shown.address, code: shown.code });
    let reported = 0;
    for (;;) {
      const n = held();
      if (n >= events) break;
      if (n - reported >= events / 10) {
        reported = n;
        process.stderr.write(`  mesh catch-up: ${n}/${events}\n`);
      }
      if (performance.now() - start > 300_000) throw new Error(`catch-up stalled at ${n}/${events}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = performance.now() - start;
    const receiverAfter = processCpuMs(b.pid);
    const cpu =
      receiverBefore && receiverAfter
        ? {
            receiverAll: receiverAfter.all - receiverBefore.all,
            receiverMain: receiverAfter.main - receiverBefore.main,
            receiverWorker:
              (receiverAfter.byName.WorkerThread ?? 0) +
              (receiverAfter.byName.FramePreparer ?? 0) -
              (receiverBefore.byName.WorkerThread ?? 0) -
              (receiverBefore.byName.FramePreparer ?? 0),
            receiverPreparer: (receiverAfter.byName.FramePreparer ?? 0) - (receiverBefore.byName.FramePreparer ?? 0),
            receiverV8: (receiverAfter.byName.V8Worker ?? 0) - (receiverBefore.byName.V8Worker ?? 0),
            senderMain: Math.round(ownThreadCpuMs() - senderBefore),
          }
        : null;
    watch.close();
    await b.stop();
    // GUARDLINE_MESH_B_OUTPUT=<file>: the worker run's B's stdout and stderr go there (with
    // GUARDLINE_MESH_B_NODE_OPTIONS="--trace-gc-nvp", V8's line per garbage collection).
    const outputFile = process.env.GUARDLINE_MESH_B_OUTPUT;
    if (outputFile && prepare === 'worker' && !warmUp) writeFileSync(outputFile, b.output());
    // The backlog holds A's escalations of its threats (logged with the runner on), so B, whose
    // default policies match them, should find them escalated and start none itself; one
    // started only where a frame ended between a threat's creation and its escalation.
    const after = new Database(fileB, { readonly: true, fileMustExist: true });
    const escalations = (
      after
        .prepare(
          `SELECT count(*) AS n FROM events WHERE type = 'escalation.started'
             AND device_id = (SELECT value FROM meta WHERE key = 'device_id')`,
        )
        .get() as { n: number }
    ).n;
    after.close();
    return { events: events - heldBefore, ms, escalations, cpu, warmUp: warmed };
  } finally {
    await a?.close();
    await b.stop();
  }
}

interface CatchUpResult {
  /** Events of A's feed the timed catch-up moved to B (those B did not hold at its start). */
  events: number;
  ms: number;
  escalations: number;
  cpu: CatchUpCpu | null;
  /**
   * The warm-up catch-up before it: A's past self's events B stored (B's file), those B held
   * as its own copies instead (escalation steps it logged first, same ids), and its time.
   */
  warmUp: { stored: number; ownCopies: number; events: number; ms: number } | null;
}

/** The warm-up: `past` (A before its outage) pairs with B and catches it up, then is closed. */
async function warmUpB(
  dir: string,
  run: string,
  past: string,
  b: { url: string },
  fileB: string,
  feed: string,
): Promise<{ stored: number; ownCopies: number; events: number; ms: number; file: string }> {
  const file = join(dir, `catch-up-past-${run}.sqlite`);
  copyConsoleFile(past, file);
  const c = openTestConsole({
    file,
    unit: 'Avdelning B',
    escalationPolicies: [],
    sync: { start: false },
    mesh: { listen: '127.0.0.1:0' },
  });
  try {
    await c.signIn('A-drain', '1111');
    c.core.sync.start();
    await c.core.ready;
    await c.core.mesh.listening();
    const author = c.core.info().deviceId;
    const events = (c.core.store.db.prepare(feed).get(author) as { n: number }).n;
    const watch = new Database(fileB, { readonly: true, fileMustExist: true });
    const countHeld = watch.prepare(feed);
    // As in the timed catch-up: an escalation step B logged itself first is held as B's own.
    const feedIds = new Set(
      (c.core.store.db.prepare('SELECT id FROM events WHERE device_id = ?').all(author) as { id: string }[]).map(
        (r) => r.id,
      ),
    );
    const ownOfB = watch.prepare(
      "SELECT id FROM events WHERE device_id = (SELECT value FROM meta WHERE key = 'device_id') AND device_seq IS NOT NULL",
    );
    const shown = await c.call<MeshPairingCode>('mesh.pairingCode');
    const start = performance.now();
    await hostCall(b.url, 'mesh.pair', { address: shown.address, code: shown.code });
    let stored = 0;
    let ownCopies = 0;
    for (;;) {
      stored = (countHeld.get(author) as { n: number }).n;
      ownCopies = (ownOfB.all() as { id: string }[]).filter((r) => feedIds.has(r.id)).length;
      if (stored + ownCopies >= events) break;
      if (performance.now() - start > 300_000) throw new Error(`warm-up catch-up stalled at ${stored}/${events}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = performance.now() - start;
    watch.close();
    return { stored, ownCopies, events, ms, file };
  } finally {
    await c.close();
  }
}

function alarmTable(alarm: { wall: number[]; stages: Record<Stage, number[]> }): BenchRow[] {
  const p = (xs: number[], q: number) => round(percentile(xs, q), 1);
  const p95 = p(alarm.stages.bPainted, 95);
  return [
    ...STAGES.flatMap((stage): BenchRow[] =>
      stage === 'bPainted'
        ? []
        : [50, 95].map((q) => ({
            metric: `threat on A → alarm on B, LAN, tracker down: stage ${STAGE_NAMES[stage]} p${q}`,
            value: p(alarm.stages[stage], q),
            unit: 'ms',
          })),
    ),
    {
      metric: `threat on A → banner painted in B over the LAN, tracker down p50`,
      value: p(alarm.stages.bPainted, 50),
      unit: 'ms',
    },
    {
      metric: `threat on A → banner painted in B over the LAN, tracker down p95`,
      value: p95,
      unit: 'ms',
      target: `p95 < ${TARGET_P95_MS} ms on loopback`,
      pass: p95 < TARGET_P95_MS,
    },
    {
      // Playwright's locator.waitFor polls with a back-off (0, 20, 50, 100, 100, 500 ms), so
      // this figure is the test driver's view, quantised by its polling: not the target's.
      metric: 'threat on A → banner seen by the test driver (Playwright polling) p95',
      value: p(alarm.wall, 95),
      unit: 'ms',
    },
  ];
}

export async function meshBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-bench-mesh-'));
  try {
    // GUARDLINE_MESH_BENCH=alarm runs the LAN alarm alone, =catch-up the catch-up and drain alone.
    const only = process.env.GUARDLINE_MESH_BENCH;
    const alarmRows = only === 'catch-up' ? [] : alarmTable(await lanAlarm(dir));
    if (only === 'alarm') return alarmRows;
    const template = await offlineConsole(dir, CATCH_UP_EVENTS, { escalations: true });
    // Warm (round 16ac): the console before its outage (another device than the template's,
    // its own smaller backlog, logged earlier); catchUp appends the backlog to it after the
    // warm-up. The drain's warm-up: a third device's smaller backlog.
    mkdirSync(join(dir, 'past'));
    const past = await offlineConsole(join(dir, 'past'), WARM_UP_EVENTS, {
      escalations: true,
      startMs: Date.now() - 10 * CATCH_UP_EVENTS,
    });
    const drainWarmUp = { name: 'drain-warm-up', template: '' };
    drainWarmUp.template = await offlineConsole(dir, WARM_UP_EVENTS, { escalations: true, name: drainWarmUp.name });

    // Cold first (fresh processes, as before 16ac), then warm; the inline row stays cold.
    const drain = await guardlineDrain(dir, 0, template);
    const caught = await catchUp(dir, template, 'worker');
    const inline = await catchUp(dir, template, 'inline');
    const warmDrain = await guardlineDrainWarmCold(dir, 1, drainWarmUp, template);
    const warmCaught = await catchUp(dir, template, 'worker', { past, backlog: CATCH_UP_EVENTS });
    if (
      warmDrain.cold.trackerEvents !== warmDrain.cold.events ||
      warmDrain.warm.trackerEvents !== warmDrain.warm.events
    )
      throw new Error(
        `the warm drain's tracker holds ${warmDrain.cold.trackerEvents} + ${warmDrain.warm.trackerEvents} events`,
      );

    const rate = (events: number, ms: number) => round(events / (ms / 1000), 0);
    const drainRate = rate(drain.events, drain.drainMs);
    const catchUpRate = rate(caught.events, caught.ms);
    const inlineRate = rate(inline.events, inline.ms);
    const warmDrainRate = rate(warmDrain.warm.events, warmDrain.warm.drainMs);
    const warmCatchUpRate = rate(warmCaught.events, warmCaught.ms);
    const catchUpWarmUp = warmCaught.warmUp!;
    return [
      ...alarmRows,
      {
        metric: `warm-up before the timed catch-up: A's earlier events (before its outage) the same B process stored (catch-up of ${catchUpWarmUp.events} in ${round(catchUpWarmUp.ms / 1000, 2)} s; ${catchUpWarmUp.ownCopies} more held as B's own copies)`,
        value: catchUpWarmUp.stored,
        unit: 'events',
      },
      {
        metric: `warm-up before the timed drain: another device's events the same tracker process stored (drain of ${warmDrain.cold.events} in ${round(warmDrain.cold.drainMs / 1000, 2)} s)`,
        value: warmDrain.cold.trackerEvents,
        unit: 'events',
      },
      {
        metric: `catch-up of ${warmCaught.events} events console → console over the mesh, warm (B caught up with A before)`,
        value: warmCatchUpRate,
        unit: 'events/s',
        baseline: {
          name: `console → tracker drain of ${warmDrain.warm.events} events, warm tracker`,
          value: warmDrainRate,
        },
        target: '≥ the tracker drain',
        pass: warmCatchUpRate >= warmDrainRate,
      },
      {
        metric: `cold: fresh processes: catch-up of ${caught.events} events console → console over the mesh`,
        value: catchUpRate,
        unit: 'events/s',
        baseline: {
          name: `console → tracker drain of the same ${drain.events} events, fresh tracker`,
          value: drainRate,
        },
        target: `for comparison: ${round(catchUpRate / drainRate, 2)}x the drain (target row: warm, above)`,
      },
      {
        // The same catch-up right after, B preparing every frame on its main thread (issue 12g's
        // comparison: the worker pays only where a core is free for it).
        metric: `cold: fresh processes: catch-up of ${inline.events} events, B preparing frames on its main thread (--mesh-prepare inline)`,
        value: inlineRate,
        unit: 'events/s',
        baseline: { name: 'the same catch-up with the frame preparer’s worker, cold (above)', value: catchUpRate },
      },
      ...[warmDrain.warm, drain].flatMap((d, i): BenchRow[] =>
        d.trackerCpuMs === null
          ? []
          : [
              {
                metric: `${i === 0 ? 'warm' : 'cold: fresh processes'}: the drain's tracker CPU per 1,000 events`,
                value: round((d.trackerCpuMs * 1000) / d.events, 1),
                unit: 'ms',
              },
            ],
      ),
      // What each side spent (the rate swings with the machine's load, these much less).
      ...[warmCaught, caught, inline].flatMap(({ cpu, events }, i): BenchRow[] => {
        if (!cpu) return [];
        const run = ['warm, with the worker', 'cold, with the worker', 'cold, inline'][i]!;
        const per1000 = (ms: number) => round((ms * 1000) / events, 1);
        return [
          { metric: `CPU of the catch-up ${run}: B's main thread`, value: cpu.receiverMain, unit: 'ms' },
          { metric: `CPU of the catch-up ${run}: all of B's threads`, value: cpu.receiverAll, unit: 'ms' },
          {
            metric: `CPU per 1,000 events ${run}: B's main thread`,
            value: per1000(cpu.receiverMain),
            unit: 'ms',
          },
          {
            metric: `CPU per 1,000 events ${run}: all of B's threads`,
            value: per1000(cpu.receiverAll),
            unit: 'ms',
          },
          ...(i < 2
            ? [
                {
                  metric: `CPU per 1,000 events ${run}: B's worker threads (the frame preparer)`,
                  value: per1000(cpu.receiverWorker),
                  unit: 'ms',
                },
                {
                  // The row above includes SQLite's checkpointer's worker (its checkpoints); this is the preparer alone.
                  metric: `CPU per 1,000 events ${run}: B's frame preparer thread alone`,
                  value: per1000(cpu.receiverPreparer),
                  unit: 'ms',
                },
              ]
            : []),
          {
            metric: `CPU per 1,000 events ${run}: B's V8 helper threads (GC, compiling)`,
            value: per1000(cpu.receiverV8),
            unit: 'ms',
          },
          {
            metric: `CPU of the catch-up ${run}: A's main thread (the sender, and the bench's watcher)`,
            value: cpu.senderMain,
            unit: 'ms',
          },
        ];
      }),
      {
        metric: 'escalations the catching-up console started itself, cold (the backlog holds A’s own)',
        value: caught.escalations,
        unit: 'escalations',
      },
      {
        metric: 'escalations the catching-up console started itself, warm (warm-up and timed catch-up)',
        value: warmCaught.escalations,
        unit: 'escalations',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
