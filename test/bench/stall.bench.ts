/**
 * Long work never stalls the console (issue 16, DESIGN.md §9: nothing holds the core's
 * thread > 50 ms). On a console holding 100,000 incidents and a year of 200 lines of
 * history (the reports bench's generated year), with a live monitor probing 200 lines
 * every 5 s against SIP responders in another process, each long job runs through
 * dispatch while this measures, on the core's thread:
 *
 * - the longest event-loop stall (`perf_hooks.monitorEventLoopDelay`, 5 ms resolution);
 * - the latest any core timer fired (probe ticks, push flushes, and an escalation-style
 *   deadline timer re-armed every 20 ms, all through the core's injected timers): how
 *   late a probe or an alarm would have been.
 *
 * Baseline in the same run: the same job on the core's own connection and thread, as it
 * ran before (the in-thread reader runs the same job functions). Retention writes, so it
 * stays in the writer, sliced; it has no in-thread baseline (archiving twice is not
 * possible) and runs first, before the console's own first sweep is due.
 */
import { constants as perfConstants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import { createConsoleCore, type ConsoleCore } from '../../src-main/core/console-core.ts';
import { inThreadReadJobs, workerReadJobs, type ReadJobs } from '../../src-main/core/jobs/job-runner.ts';
import { openEventStore } from '../../src-main/core/store/event-store.ts';
import { runProbe, type ProbeRunner } from '../../src-main/core/telephony/index.ts';
import type { Timers } from '../../src-main/core/timers.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { catalogStreamId } from '../../src-shared/figures-catalog.ts';
import { encodeHlc } from '../../src-shared/hlc.ts';
import { incidentInput } from '../support/incidents.ts';
import { tempDir } from '../support/temp.ts';
import { waitFor } from '../lab/line-watch.ts';
import { generateYear, rng, YEAR_FROM, YEAR_TO } from './reports.bench.ts';
import { startResponderChild } from './telephony.bench.ts';
import { costFacilityConfig } from './telephony/cost-lines.ts';
import { progress, round, type BenchOptions, type BenchRow } from './report.ts';

const MONITOR_LINES = 200;
const PROBE_INTERVAL_MS = 5000;
const DEADLINE_EVERY_MS = 20;
const IDLE_MS = 6000;
const TARGET_MS = 50;
const RETENTION_DAYS = 30;
const DEVICE = 'bench-console';

/** Microseconds on the monotonic clock V8's CPU profiles are stamped with. */
const monotonicUs = () => process.hrtime.bigint() / 1000n;
const heapMiB = () => Math.round(process.memoryUsage().heapUsed / 2 ** 20);

/**
 * Tells a stall our code caused from one the machine caused: every 5 ms, how long since
 * the last tick and how much CPU this thread ran meanwhile (`process.threadCpuUsage`).
 * The longest gap's CPU time near the gap means the thread was busy (our code, or GC);
 * near zero means it was runnable but not run (other threads and processes on the cores)
 * or blocked in the kernel (an fsync). On Linux the thread's schedstat splits the two: the
 * time it waited for a core is `waitMs`, the rest of the gap it was idle or blocked.
 * `mostCpuMs` is the most CPU the thread ran between any two ticks: what our code (and GC)
 * held the thread for at most, whatever the machine's load (issue 16g).
 */
function stallWatch() {
  const cpuNow = () => {
    const u = process.threadCpuUsage();
    return (u.user + u.system) / 1000;
  };
  let last = performance.now();
  let lastCpu = cpuNow();
  let lastWait = runqueueWaitMs();
  let mostCpuMs = 0;
  let mostCpuAt = { startedAt: 0, endedAt: 0, endedAtUs: 0 };
  let worst: LongestGap = {
    gapMs: 0,
    cpuMs: 0,
    waitMs: null,
    endedAt: 0,
    endedAtUs: 0,
    mostCpuMs: 0,
    startedAt: 0,
    gcInGap: [],
  };
  // V8's collections on this thread, on performance.now()'s clock (perf_hooks 'gc'
  // entries): which of them fell inside the longest gap (issue 16s).
  const collections: GcPause[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as unknown as { detail: { kind: number; flags: number } }).detail;
      collections.push({
        kind: GC_KINDS[detail.kind] ?? String(detail.kind),
        flags: detail.flags,
        startedAt: entry.startTime,
        ms: entry.duration,
      });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = cpuNow();
    const wait = runqueueWaitMs();
    const gap = now - last - 5;
    if (cpu - lastCpu > mostCpuMs) {
      mostCpuMs = cpu - lastCpu;
      mostCpuAt = { startedAt: last, endedAt: now, endedAtUs: Number(monotonicUs()) };
    }
    if (gap > worst.gapMs)
      worst = {
        gapMs: gap,
        cpuMs: cpu - lastCpu,
        waitMs: wait === null || lastWait === null ? null : wait - lastWait,
        endedAt: now,
        endedAtUs: Number(monotonicUs()),
        mostCpuMs: 0,
        startedAt: last,
        gcInGap: [],
      };
    last = now;
    lastCpu = cpu;
    lastWait = wait;
  }, 5);
  return {
    stop(): LongestGap {
      clearInterval(timer);
      observer.disconnect();
      const gcInGap = collections.filter((c) => c.startedAt + c.ms > worst.startedAt && c.startedAt < worst.endedAt);
      const gcInMostCpu = collections.filter(
        (c) => c.startedAt + c.ms > mostCpuAt.startedAt && c.startedAt < mostCpuAt.endedAt,
      );
      return { ...worst, mostCpuMs, gcInGap, gcPauses: collections, mostCpuAt, gcInMostCpu };
    },
  };
}

interface LongestGap {
  gapMs: number;
  cpuMs: number;
  /** Time the thread waited for a core within the gap (Linux schedstat); null elsewhere. */
  waitMs: number | null;
  endedAt: number;
  /** The same moment on the clock V8's CPU profiles are stamped with (µs). */
  endedAtUs: number;
  /** The most CPU the thread ran between any two ticks of the window. */
  mostCpuMs: number;
  /** When the gap began (the tick before it, performance.now()). */
  startedAt: number;
  /** The garbage collections on this thread that overlapped the gap. */
  gcInGap: GcPause[];
  /** Every collection on this thread in the window. */
  gcPauses?: GcPause[];
  /** Where the tick interval with the most CPU was (performance.now(); µs on the profile's clock). */
  mostCpuAt?: { startedAt: number; endedAt: number; endedAtUs: number };
  /** The collections that overlapped that interval. */
  gcInMostCpu?: GcPause[];
}

/** One garbage collection's pause on this thread (perf_hooks 'gc' entry). */
interface GcPause {
  kind: string;
  /** V8's GC callback flags (perf_hooks constants.NODE_PERFORMANCE_GC_FLAGS_*). */
  flags: number;
  startedAt: number;
  ms: number;
}

const GC_KINDS: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

/** This thread's total time waiting on a run queue (ms), from /proc/thread-self/schedstat; null off Linux. */
function runqueueWaitMs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return null;
  }
}

/** Timers that record how late each callback ran (the core's probes, pushes and deadlines use them). */
function latenessTimers() {
  let latest = 0;
  let fired = 0;
  const timers: Timers = {
    setTimeout(callback, ms) {
      const due = performance.now() + ms;
      return setTimeout(() => {
        latest = Math.max(latest, performance.now() - due);
        fired += 1;
        callback();
      }, ms);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  return {
    timers,
    reset() {
      latest = 0;
      fired = 0;
    },
    get latest() {
      return latest;
    },
    get fired() {
      return fired;
    },
  };
}

export async function seed(
  file: string,
  incidents: number,
): Promise<{ events: number; outages: number; closed: number }> {
  const core = createConsoleCore({
    dataFile: file,
    host: 'test',
    appVersion: 'bench',
    facility: 'Bänkanstalten',
    unit: 'Avdelning 0',
    escalationPolicies: [],
    sync: { start: false },
  });
  try {
    const { events: year, catalog, downEpisodes } = generateYear();
    const first = year[0]!;
    core.store.append([
      {
        ...first,
        id: uuidv7(),
        streamId: catalogStreamId(catalog.facilityId),
        type: 'facility.lines_declared',
        payload: catalog,
      },
    ]);
    for (let i = 0; i < year.length; i += 5000) {
      core.store.append(year.slice(i, i + 5000));
      progress('seed a year of 200 lines', Math.min(i + 5000, year.length), year.length);
    }
    const random = rng(13);
    const words = ['telefon', 'matsal', 'brand', 'hot', 'larm', 'trunk', 'vaktrum', 'rök', 'dörr', 'kamera'];
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    let counter = 0;
    const envelope = (type: EventEnvelope['type'], streamId: string, payload: unknown, at: number, actor: string) =>
      ({
        id: uuidv7(),
        streamId,
        type,
        payload,
        actor,
        deviceId: DEVICE,
        deviceTime: at,
        hlc: encodeHlc({ wallMs: at, counter: counter++ % 1_000_000, node: DEVICE }),
      }) as EventEnvelope;
    let closed = 0;
    for (let done = 0; done < incidents; done += 1000) {
      const batch: EventEnvelope[] = [];
      for (let n = done; n < Math.min(done + 1000, incidents); n++) {
        const at = YEAR_FROM + n * 60_000;
        const input = incidentInput({
          category: pick(['medical', 'fire', 'technical', 'other'] as const),
          severity: pick(['low', 'medium', 'high', 'critical'] as const),
          title: `${pick(words)} ${pick(words)} ${n}`,
          description: `${pick(words)} vid ${pick(words)}.`,
          reportedBy: `V${n % 500}`,
        });
        const id = uuidv7();
        batch.push(envelope('incident.created', id, input, at, input.reportedBy));
        // One in ten is closed: due for archiving when retention runs.
        if (n % 10 === 0) {
          closed += 1;
          batch.push(
            envelope('incident.status_changed', id, { from: 'open', to: 'resolved', reason: '' }, at + 1, 'S1'),
          );
          batch.push(
            envelope('incident.status_changed', id, { from: 'resolved', to: 'closed', reason: '' }, at + 2, 'S1'),
          );
        }
      }
      core.store.append(batch);
      progress('seed incidents', Math.min(done + 1000, incidents), incidents);
    }
    const events = (core.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return { events, outages: downEpisodes, closed };
  } finally {
    await core.close();
  }
}

type ControlRow = { job: string; stallMs: number; longestGap: LongestGap };

export async function quietControl(file: string): Promise<ControlRow[]> {
  const store = openEventStore(file);
  const reader = workerReadJobs({ file, log: (m) => console.error(m) });
  const request = {
    facility: { id: 'bench', name: 'Bänkanstalten' },
    args: { from: YEAR_FROM, to: YEAR_TO, noResponseHours: 24, bucket: undefined },
    asOf: Date.now(),
  };
  try {
    const out: ControlRow[] = [];
    for (const [job, run] of [
      // The first job starts the worker: loading its modules and opening its connection
      // are timed on their own, so the chain check's row is the job alone.
      [
        'the background reader starting (a one-row incident list)',
        () => reader.run('incidents', { limit: 1, offset: 0 }),
      ],
      ['chain check', () => reader.run('chain', null)],
      ['a year of report figures (outage count back)', () => reader.run('outageCount', request)],
    ] as const) {
      const h = monitorEventLoopDelay({ resolution: 5 });
      h.enable();
      const watch = stallWatch();
      await new Promise((r) => setTimeout(r, 20));
      const mark0 = monotonicUs();
      await run();
      console.error(`  window control ${job}: ${mark0}-${monotonicUs()}`);
      await new Promise((r) => setTimeout(r, 20));
      h.disable();
      out.push({ job, stallMs: h.max / 1e6, longestGap: watch.stop() });
    }
    return out;
  } finally {
    await reader.close();
    store.close();
  }
}

interface Measured {
  ms: number;
  stallMs: number;
  /**
   * The longest gap between 5 ms ticks, the CPU time the core's thread ran within it, and
   * when it ended (performance.now()); `endedBeforeJobEndMs` places it in the job (0: at
   * its very end, where an export's audit entry is committed).
   */
  longestGap: LongestGap;
  endedBeforeJobEndMs: number;
  timerLateMs: number;
  timersFired: number;
  probes: number;
  /** This process's heap in use (MiB) when the job ended: what a full collection walks. */
  heapInUseMiB: number;
}

export async function stallBench(options: BenchOptions): Promise<{ rows: BenchRow[]; detail: unknown }> {
  const incidents = options.quick ? 10_000 : 100_000;
  const dir = tempDir('guardline-bench-stall-');
  const file = join(dir.path, 'console.sqlite');
  let core: ConsoleCore | null = null;
  let responders: Awaited<ReturnType<typeof startResponderChild>> | null = null;
  let deadline: ReturnType<typeof setTimeout> | null = null;
  try {
    const seedStart = performance.now();
    // GUARDLINE_BENCH_STALL_CACHE=<dir> keeps the seeded file between runs (seeding takes minutes).
    const cacheDir = process.env.GUARDLINE_BENCH_STALL_CACHE;
    const cached = cacheDir ? join(cacheDir, `stall-seed-${incidents}`) : null;
    let seeded: Awaited<ReturnType<typeof seed>>;
    // The store's files: the database, its WAL if one is left, and the device key.
    const storeFiles = (folder: string) => readdirSync(folder).filter((f) => f.startsWith('console.sqlite'));
    if (cached && existsSync(join(cached, 'seed.json'))) {
      for (const f of storeFiles(cached)) copyFileSync(join(cached, f), join(dir.path, f));
      seeded = JSON.parse(readFileSync(join(cached, 'seed.json'), 'utf8')) as typeof seeded;
    } else {
      // In a process of its own (issue 16w): the seed's garbage (~600 MiB of generated events)
      // stays out of the measured console's heap, so a fresh seed and a cached one measure
      // the same console (see stall-seed.ts).
      const seedFile = join(dir.path, 'seed.json');
      const seeding = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(new URL('./stall-seed.ts', import.meta.url)),
          file,
          String(incidents),
          seedFile,
        ],
        { stdio: 'inherit' },
      );
      if (seeding.status !== 0) throw new Error(`the seed's process failed (exit ${seeding.status})`);
      seeded = JSON.parse(readFileSync(seedFile, 'utf8')) as typeof seeded;
      if (cached) {
        mkdirSync(cached, { recursive: true });
        for (const f of storeFiles(dir.path)) copyFileSync(join(dir.path, f), join(cached, f));
        writeFileSync(join(cached, 'seed.json'), JSON.stringify(seeded));
      }
    }
    const seedMs = performance.now() - seedStart;
    console.error(`  seeded ${seeded.events} events in ${round(seedMs / 1000, 1)} s`);

    // Control: the same worker jobs with nothing else on the core's thread (no console, no
    // monitor, no writes): what remains is the machine not running this thread, not our code.
    //
    // In a process of its own (issue 16s): ending its worker hands the pages that worker's heap
    // had freed (~1,400-1,600 pages of 256 KiB after a year's report) to V8's shared page pool,
    // and V8 unmaps them 8 s later in one task on another isolate's thread, this process's main
    // thread: 25-54 ms of munmap (perf record of the core's thread, ReleasePooledChunksTask), which
    // fell in the console's "no long job" window that starts a few seconds later.
    const quietFile = join(dir.path, 'quiet-control.json');
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(new URL('./stall-quiet-control.ts', import.meta.url)), file, quietFile],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) throw new Error(`the quiet control's process failed (exit ${child.status})`);
    const quiet = JSON.parse(readFileSync(quietFile, 'utf8')) as ControlRow[];

    responders = await startResponderChild(MONITOR_LINES);
    const configFile = join(dir.path, 'lines.json');
    writeFileSync(configFile, JSON.stringify(costFacilityConfig(responders.ports, PROBE_INTERVAL_MS)));
    let probes = 0;
    const counting: ProbeRunner = (spec, ctx) => {
      probes += 1;
      return runProbe(spec, ctx);
    };
    const late = latenessTimers();
    const live = createConsoleCore({
      dataFile: file,
      host: 'test',
      appVersion: 'bench',
      facility: 'Bänkanstalten',
      unit: 'Avdelning 0',
      escalationPolicies: [],
      sync: { start: false },
      timers: late.timers,
      telephony: { configFile, runProbe: counting },
      retention: { closedIncidentDays: RETENTION_DAYS },
    });
    core = live;
    await live.ready;
    await waitFor(
      live,
      `all ${MONITOR_LINES} lines UP`,
      () => (live.telephony.board().lines.every((l) => l.state === 'UP') ? true : null),
      PROBE_INTERVAL_MS * 4,
    );
    // An escalation-style deadline: re-armed every 20 ms through the core's timers.
    const arm = () => {
      deadline = late.timers.setTimeout(arm, DEADLINE_EVERY_MS) as ReturnType<typeof setTimeout>;
    };
    arm();
    const signedIn = await live.dispatch(
      'auth.bootstrapAdmin',
      { staffNumber: 'BENCH', name: 'Bench', pin: '2468' },
      { origin: 'test' },
    );
    if (!signedIn.ok) throw new Error(signedIn.error.message);

    const measure = async (label: string, run: () => Promise<unknown>): Promise<Measured> => {
      const h = monitorEventLoopDelay({ resolution: 5 });
      late.reset();
      const probes0 = probes;
      h.enable();
      const watch = stallWatch();
      // The histogram records from its second tick on: let it tick before the job starts.
      await new Promise((r) => setTimeout(r, 20));
      const heapAtStartMiB = heapMiB();
      const t0 = performance.now();
      const mark0 = monotonicUs();
      await run();
      const jobEnd = performance.now();
      const ms = jobEnd - t0;
      // Where this job ran on the clock a CPU profile uses (node --cpu-prof, then
      // test/bench/cpuprofile-stalls.ts --window <from>-<to>): what held the thread then.
      // The heap the collector walks in this process (the bench and the console share it).
      const heapInUseMiB = heapMiB();
      console.error(
        `  window ${label}: ${mark0}-${monotonicUs()} (heap in use ${heapInUseMiB} MiB; ${heapAtStartMiB} MiB at its start)`,
      );
      // A job that held the thread delays the histogram's own timer and the core's timers
      // until it ends: let them fire (and record how late) before reading.
      await new Promise((r) => setTimeout(r, 20));
      h.disable();
      const m = {
        ms,
        stallMs: h.max / 1e6,
        longestGap: watch.stop(),
        endedBeforeJobEndMs: 0,
        timerLateMs: late.latest,
        timersFired: late.fired,
        probes: probes - probes0,
        heapInUseMiB,
      };
      m.endedBeforeJobEndMs = jobEnd - m.longestGap.endedAt;
      // Let timers a baseline held back fire before the next measurement.
      await new Promise((r) => setTimeout(r, 500));
      return m;
    };
    const call = (method: string, input: unknown) => async () => {
      const r = await live.dispatch(method, input, { origin: 'test' });
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value;
    };
    const inThread: ReadJobs = inThreadReadJobs(live.store.db);
    const year = { from: YEAR_FROM, to: YEAR_TO, noResponseHours: 24 };
    const request = {
      facility: { id: 'bench', name: 'Bänkanstalten' },
      args: { ...year, bucket: undefined },
      asOf: Date.now(),
    };
    const anIncident = live.store.db.prepare('SELECT id FROM incidents LIMIT 1').pluck().get() as string;

    // Longer than one probe round, so every line's probe, result and sample write fall inside it.
    const idle = await measure('no long job', () => new Promise((r) => setTimeout(r, IDLE_MS)));
    const gcText = (g: GcPause) =>
      `${g.kind} (flags ${g.flags}) ${round(g.startedAt, 1)}+${round(g.ms, 1)} ms, heap ${heapMiB()} MiB now`;
    console.error(
      `  no long job: longest gap ${round(idle.longestGap.startedAt, 1)}-${round(idle.longestGap.endedAt, 1)} ms on performance.now() (process uptime ${round(process.uptime() * 1000, 0)} ms at ${round(performance.now(), 0)}); collections in it: ${idle.longestGap.gcInGap.map(gcText).join('; ') || 'none'}; the interval with the most CPU ${round(idle.longestGap.mostCpuAt?.startedAt ?? 0, 1)}-${round(idle.longestGap.mostCpuAt?.endedAt ?? 0, 1)} ms (profile clock ..-${idle.longestGap.mostCpuAt?.endedAtUs}), collections in it: ${(idle.longestGap.gcInMostCpu ?? []).map(gcText).join('; ') || 'none'}; pauses ≥ 5 ms in the window: ${
        (idle.longestGap.gcPauses ?? [])
          .filter((g) => g.ms >= 5)
          .map(gcText)
          .join('; ') || 'none'
      }`,
    );
    // GUARDLINE_BENCH_STALL_HEAPSNAPSHOT=<dir>: the heap after the control row, for what it holds.
    const snapshotDir = process.env.GUARDLINE_BENCH_STALL_HEAPSNAPSHOT;
    if (snapshotDir)
      console.error(`  heap snapshot: ${writeHeapSnapshot(join(snapshotDir, `stall-${process.pid}.heapsnapshot`))}`);
    // GUARDLINE_BENCH_STALL_ONLY=control: stop after the control rows (diagnosis runs).
    const controlOnly = process.env.GUARDLINE_BENCH_STALL_ONLY === 'control';
    const retention = controlOnly ? idle : await measure('retention', call('retention.run', {}));
    for (const [label, m] of [
      ['no long job', idle],
      ['retention', retention],
    ] as const) {
      console.error(
        `  ${label}: stall ${round(m.stallMs, 1)} ms; longest gap ${round(m.longestGap.gapMs, 1)} ms with ${round(m.longestGap.cpuMs, 1)} ms CPU, ${m.longestGap.waitMs === null ? '?' : round(m.longestGap.waitMs, 1)} ms waiting for a core; most CPU between ticks ${round(m.longestGap.mostCpuMs, 1)} ms; the gap on the profile's clock ${Math.round(m.longestGap.endedAtUs - (m.longestGap.gapMs + 5) * 1000)}-${m.longestGap.endedAtUs}; collections in the gap: ${m.longestGap.gcInGap.map(gcText).join('; ') || 'none'}; in the busiest tick interval: ${(m.longestGap.gcInMostCpu ?? []).map(gcText).join('; ') || 'none'}`,
      );
    }
    // GUARDLINE_BENCH_STALL_ONLY=retention: stop after the retention row (paired runs, issue 16w).
    const retentionOnly = process.env.GUARDLINE_BENCH_STALL_ONLY === 'retention';
    let shown = { asOf: 0, ledger: { total: 0 } };
    const jobs: { label: string; subject: () => Promise<unknown>; before: (() => Promise<unknown>) | null }[] = [
      {
        label: 'chain check (store.verifyChain)',
        subject: call('store.verifyChain', {}),
        before: () => inThread.run('chain', null),
      },
      {
        label: 'report figures, 1 year × 200 lines (reports.period)',
        subject: async () => {
          shown = (await call('reports.period', year)()) as { asOf: number; ledger: { total: number } };
        },
        before: () => inThread.run('report', request),
      },
      {
        // The reports page reading on through the same report's ledger (the worker keeps it).
        label: 'a ledger page of 500 rows from the middle of that year (reports.ledgerPage)',
        subject: () =>
          call('reports.ledgerPage', {
            ...year,
            asOf: shown.asOf,
            offset: Math.floor(shown.ledger.total / 2),
            limit: 500,
          })(),
        before: null,
      },
      {
        label: 'TMF621 export, 1 year (reports.exportTmf621)',
        subject: call('reports.exportTmf621', year),
        // Its own moment, so it builds its report rather than reuse the one above.
        before: () =>
          inThread.run('tmf621File', {
            request: { ...request, asOf: request.asOf + 1 },
            file: join(dir.path, 'in-thread.tmf621.json'),
          }),
      },
      { label: 'PDF export, 1 year (reports.exportPdf)', subject: call('reports.exportPdf', year), before: null },
      {
        label: 'search for an everyday word (incidents.list)',
        subject: call('incidents.list', { query: 'larm', limit: 200 }),
        before: () => inThread.run('incidents', { query: 'larm', limit: 200, offset: 0 }),
      },
      {
        label: 'audit trail of one incident (audit.query)',
        subject: call('audit.query', { incidentId: anIncident, limit: 100 }),
        before: () => inThread.run('audit', { incidentId: anIncident, limit: 100 }),
      },
    ];
    const results: { label: string; subject: Measured; before: Measured | null }[] = controlOnly
      ? []
      : [
          {
            label: `retention sweep archiving ${seeded.closed} incidents (retention.run)`,
            subject: retention,
            before: null,
          },
        ];
    for (const job of controlOnly || retentionOnly ? [] : jobs) {
      const subject = await measure(job.label, job.subject);
      const before = job.before ? await measure(`${job.label}, in-thread`, job.before) : null;
      results.push({ label: job.label, subject, before });
      const gap = subject.longestGap;
      console.error(
        `  ${job.label}: stall ${round(subject.stallMs, 1)} ms (in-thread ${before ? round(before.stallMs, 1) : '-'} ms);` +
          ` longest gap ${round(gap.gapMs, 1)} ms with ${round(gap.cpuMs, 1)} ms CPU (${gap.waitMs === null ? '?' : round(gap.waitMs, 1)} ms waiting for a core), ending ${round(subject.endedBeforeJobEndMs, 0)} ms before the job did; most CPU between ticks ${round(gap.mostCpuMs, 1)} ms; collections in the busiest tick interval: ${(gap.gcInMostCpu ?? []).map(gcText).join('; ') || 'none'}`,
      );
    }

    // The longest gap between 5 ms ticks, and how much of it the core's thread ran (stallWatch).
    const cpuInGap = (label: string, m: { longestGap: LongestGap }): BenchRow[] => [
      { metric: `${label}: longest gap between 5 ms ticks`, value: round(m.longestGap.gapMs, 1), unit: 'ms' },
      {
        metric: `${label}: CPU time the core's thread ran within that gap`,
        value: round(m.longestGap.cpuMs, 1),
        unit: 'ms',
      },
      ...(m.longestGap.waitMs === null
        ? []
        : [
            {
              metric: `${label}: time the core's thread waited for a core within that gap (schedstat)`,
              value: round(m.longestGap.waitMs, 1),
              unit: 'ms',
            },
          ]),
      {
        metric: `${label}: most CPU time the core's thread ran between two 5 ms ticks`,
        value: round(m.longestGap.mostCpuMs, 1),
        unit: 'ms',
      },
    ];
    const rows: BenchRow[] = [
      ...quiet.flatMap((q) => [
        {
          metric: `control: ${q.job} in the worker with nothing else on the core thread: longest event-loop stall`,
          value: round(q.stallMs, 1),
          unit: 'ms',
        },
        ...cpuInGap(`control: ${q.job}`, q),
      ]),
      {
        metric: `console with no long job, ${IDLE_MS / 1000} s: longest event-loop stall (${MONITOR_LINES} lines probed every ${PROBE_INTERVAL_MS / 1000} s)`,
        value: round(idle.stallMs, 1),
        unit: 'ms',
      },
      { metric: 'console with no long job: latest core timer', value: round(idle.timerLateMs, 1), unit: 'ms' },
      ...cpuInGap('console with no long job', idle),
      {
        metric: "console with no long job: longest garbage collection pause on the core's thread",
        value: round(Math.max(0, ...(idle.longestGap.gcPauses ?? []).map((g) => g.ms)), 1),
        unit: 'ms',
      },
      { metric: 'console with no long job: heap in use at its end', value: idle.heapInUseMiB, unit: 'MiB' },
    ];
    for (const r of results) {
      const base = (pick: (m: Measured) => number) =>
        r.before ? { baseline: { name: 'same job on the core thread (before)', value: round(pick(r.before), 1) } } : {};
      rows.push(
        {
          metric: `${r.label}: longest event-loop stall`,
          value: round(r.subject.stallMs, 1),
          unit: 'ms',
          ...base((m) => m.stallMs),
          target: `≤ ${TARGET_MS} ms`,
          pass: r.subject.stallMs <= TARGET_MS,
        },
        {
          metric: `${r.label}: latest probe tick or deadline timer`,
          value: round(r.subject.timerLateMs, 1),
          unit: 'ms',
          ...base((m) => m.timerLateMs),
          target: `≤ ${TARGET_MS} ms`,
          pass: r.subject.timerLateMs <= TARGET_MS,
        },
        ...cpuInGap(r.label, r.subject),
        { metric: `${r.label}: duration`, value: round(r.subject.ms, 0), unit: 'ms', ...base((m) => m.ms) },
      );
    }
    return {
      rows,
      detail: {
        console: { incidents, events: seeded.events, yearOutages: seeded.outages, closedDue: seeded.closed },
        monitor: { lines: MONITOR_LINES, probeIntervalMs: PROBE_INTERVAL_MS, deadlineTimerEveryMs: DEADLINE_EVERY_MS },
        seedSeconds: round(seedMs / 1000, 1),
        // The control row's longest gap and busiest tick interval, with the collections in each.
        noLongJob: idle,
        eventLoopDelayResolutionMs: 5,
        jobs: results.map((r) => ({
          job: r.label,
          worker: { ...r.subject, probesDuringJob: r.subject.probes },
          inThread: r.before,
        })),
      },
    };
  } finally {
    if (deadline) clearTimeout(deadline);
    await core?.close();
    await responders?.stop();
    dir.cleanup();
  }
}
