/**
 * `node test/bench/command-tail.ts` (issue 16, round 16y): what the slowest 1 % of durable
 * incident commands have in common. The store bench's command loop (an `incidents.create`
 * through the dispatch, signing on, synchronous=FULL, an event-loop turn between commands),
 * with per command:
 *  - wall time and the process's CPU time (`process.cpuUsage`: every thread, the checkpoint
 *    worker and V8's helpers too; the thread's own clock, `process.threadCpuUsage`, ticks in
 *    4 ms steps on this kernel: p50 0), and the process's context switches (involuntary: a
 *    thread was preempted; voluntary: one blocked, e.g. in fdatasync) and minor page faults;
 *  - the COMMIT statement's time (SQLite writes the WAL frames and fdatasyncs them inside it),
 *    and the time of every other statement (SQLite's CPU, roughly);
 *  - garbage collections whose pause began inside the command (perf_hooks 'gc' entries), by kind;
 *  - whether a worker checkpoint overlapped it (as the store bench tells);
 *  - WAL frames the command wrote, and frames written between it and the command before
 *    (the deferred search index, synchronous=NORMAL): its fdatasync flushes them too;
 *  - commits inside the command other than its own (work of a timer run within it).
 * Then a table: all commands, the ones above the p99, the ones at or below, what each group
 * averages and how often each cause lands in it, and the slowest commands one by one.
 *
 * Environment: N (commands timed, 2000), WARMUP (100), SYNC=OFF (CPU only: the commit does
 * not wait for the disk), JSON=<file> (every command's record, for later reading),
 * ROUND=<k>: before every k-th command the console is idle for 50 ms and until its checkpoint
 * is done (`store.settled()`), as the store bench leaves it before each of its rounds of 525.
 * V8 flags go on the command line: `node --max-semi-space-size=32 test/bench/command-tail.ts`.
 */
import { closeSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { openWalIndex, walFrames as walIndexFrames } from '../../src-common/sqlite-checkpointer.ts';
import { tempDir } from '../support/temp.ts';
import { incidentCommand, startBenchConsole } from './bench-console.ts';
import { percentile, round } from './report.ts';
import { timeStatements } from './statement-timing.ts';

const N = Number(process.env.N ?? 2000);
const WARMUP = Number(process.env.WARMUP ?? 100);
const SYNC_OFF = process.env.SYNC === 'OFF';
const ROUND = Number(process.env.ROUND ?? 0);

// Statement timing: COMMIT apart (its WAL writes and fdatasync), every other statement summed.
let commitMs = 0;
let commits = 0;
let sqlMs = 0;
timeStatements((source, ms) => {
  if (source === 'COMMIT') {
    commitMs += ms;
    commits += 1;
  } else sqlMs += ms;
});

// Garbage collections, with their start on performance.now()'s clock.
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
const gcs: { start: number; ms: number; kind: string }[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind: number } }).detail?.kind ?? -1;
    gcs.push({ start: e.startTime, ms: e.duration, kind: GC_KINDS[kind] ?? 'other' });
  }
});
observer.observe({ entryTypes: ['gc'] });

interface CommandRecord {
  i: number;
  wallMs: number;
  cpuMs: number;
  preempted: number;
  blocked: number;
  pageFaults: number;
  commitMs: number;
  sqlMs: number;
  otherCommits: number;
  checkpoint: boolean;
  framesOwn: number;
  framesBefore: number;
  gcMs: number;
  gcKinds: string[];
}

const dir = tempDir('guardline-tail-');
try {
  const dataFile = join(dir.path, 'console.sqlite');
  const core = await startBenchConsole(dataFile);
  if (SYNC_OFF) core.store.db.pragma('synchronous = OFF');

  // Held open until every connection is closed: closing a descriptor of the wal-index drops
  // SQLite's locks on it (see walFrames in src-common/sqlite-checkpointer.ts).
  const shm = openWalIndex(dataFile);
  if (shm === null) throw new Error('no wal-index');
  const walFrames = () => walIndexFrames(shm)?.frames ?? 0;
  const records: CommandRecord[] = [];
  const windows: { t0: number; t1: number }[] = [];
  let framesAfterLast = walFrames();
  for (let i = 0; i < N + WARMUP; i++) {
    if (ROUND > 0 && i % ROUND === 0) {
      await new Promise<void>((resolve) => setTimeout(resolve, 50));
      await core.store.settled();
      framesAfterLast = walFrames();
    }
    const framesStart = walFrames();
    const before = core.store.checkpoints();
    const c0 = commitMs;
    const n0 = commits;
    const s0 = sqlMs;
    const cpu0 = process.cpuUsage();
    const ru0 = process.resourceUsage();
    const t0 = performance.now();
    const r = await incidentCommand(core, `Tail ${i}`);
    const t1 = performance.now();
    const ru = process.resourceUsage();
    const cpu = process.cpuUsage(cpu0);
    if (!r.ok) throw new Error(r.error.message);
    const after = core.store.checkpoints();
    const framesEnd = walFrames();
    if (i >= WARMUP) {
      windows.push({ t0, t1 });
      records.push({
        i,
        wallMs: t1 - t0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        preempted: ru.involuntaryContextSwitches - ru0.involuntaryContextSwitches,
        blocked: ru.voluntaryContextSwitches - ru0.voluntaryContextSwitches,
        pageFaults: ru.minorPageFault - ru0.minorPageFault,
        commitMs: commitMs - c0,
        sqlMs: sqlMs - s0,
        otherCommits: commits - n0 - 1,
        checkpoint: !!before && !!after && (before.running || after.running || after.completed !== before.completed),
        // A restart of the WAL (after a checkpoint caught up) begins counting from 0 again.
        framesOwn: framesEnd >= framesStart ? framesEnd - framesStart : framesEnd,
        framesBefore: framesStart >= framesAfterLast ? framesStart - framesAfterLast : framesStart,
        gcMs: 0,
        gcKinds: [],
      });
    }
    framesAfterLast = framesEnd;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Let the observer deliver the last entries.
  await new Promise<void>((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  core.close();
  await core.store.closed();
  closeSync(shm);

  // A collection belongs to a command when its pause began inside the command's window.
  gcs.sort((a, b) => a.start - b.start);
  let g = 0;
  for (let k = 0; k < records.length; k++) {
    const w = windows[k]!;
    while (g < gcs.length && gcs[g]!.start < w.t0) g++;
    for (let h = g; h < gcs.length && gcs[h]!.start <= w.t1; h++) {
      records[k]!.gcMs += gcs[h]!.ms;
      records[k]!.gcKinds.push(gcs[h]!.kind);
    }
  }

  const p99 = percentile(
    records.map((r) => r.wallMs),
    99,
  );
  const slow = records.filter((r) => r.wallMs > p99);
  const rest = records.filter((r) => r.wallMs <= p99);
  const mean = (rs: CommandRecord[], f: (r: CommandRecord) => number) =>
    rs.length === 0 ? 0 : rs.reduce((s, r) => s + f(r), 0) / rs.length;
  const share = (rs: CommandRecord[], f: (r: CommandRecord) => boolean) =>
    rs.length === 0 ? 0 : (100 * rs.filter(f).length) / rs.length;
  const column = (rs: CommandRecord[]) => ({
    commands: rs.length,
    'wall p50 (ms)': round(
      percentile(
        rs.map((r) => r.wallMs),
        50,
      ),
    ),
    'wall mean (ms)': round(mean(rs, (r) => r.wallMs)),
    'process CPU mean (ms)': round(mean(rs, (r) => r.cpuMs)),
    'wall − process CPU mean (ms)': round(mean(rs, (r) => r.wallMs - r.cpuMs)),
    'preempted (an involuntary context switch inside, %)': round(
      share(rs, (r) => r.preempted > 0),
      1,
    ),
    'blocked (a voluntary context switch inside, %)': round(
      share(rs, (r) => r.blocked > 0),
      1,
    ),
    'minor page faults, mean': round(
      mean(rs, (r) => r.pageFaults),
      2,
    ),
    'COMMIT mean (ms)': round(mean(rs, (r) => r.commitMs)),
    'other SQL mean (ms)': round(mean(rs, (r) => r.sqlMs)),
    'wall − COMMIT − other SQL mean (JS, ms)': round(mean(rs, (r) => r.wallMs - r.commitMs - r.sqlMs)),
    'with a GC pause inside (%)': round(
      share(rs, (r) => r.gcMs > 0),
      1,
    ),
    'with a scavenge inside (%)': round(
      share(rs, (r) => r.gcKinds.includes('scavenge')),
      1,
    ),
    'with a mark-compact inside (%)': round(
      share(rs, (r) => r.gcKinds.includes('mark-compact')),
      1,
    ),
    'GC pause mean (ms)': round(mean(rs, (r) => r.gcMs)),
    'overlapping a worker checkpoint (%)': round(
      share(rs, (r) => r.checkpoint),
      1,
    ),
    'another commit inside (%)': round(
      share(rs, (r) => r.otherCommits > 0),
      1,
    ),
    'WAL frames of its own, mean': round(
      mean(rs, (r) => r.framesOwn),
      2,
    ),
    'WAL frames written since the command before, mean': round(
      mean(rs, (r) => r.framesBefore),
      2,
    ),
    'with frames written since the command before (%)': round(
      share(rs, (r) => r.framesBefore > 0),
      1,
    ),
  });
  const all = column(records);
  const groups = { all, 'above the p99': column(slow), 'at or below the p99': column(rest) };
  const header = {
    at: new Date().toISOString(),
    load: os.loadavg().map((l) => round(l, 2)),
    node: process.version,
    execArgv: process.execArgv.join(' '),
    synchronous: SYNC_OFF ? 'OFF' : 'FULL',
    'idle before every k-th command': ROUND,
    commands: records.length,
    'wall p50 (ms)': round(
      percentile(
        records.map((r) => r.wallMs),
        50,
      ),
    ),
    'wall p99 (ms)': round(p99),
    'wall p99, no GC inside (ms)': round(
      percentile(
        records.filter((r) => r.gcMs === 0).map((r) => r.wallMs),
        99,
      ),
    ),
    'wall p99, no checkpoint overlapping (ms)': round(
      percentile(
        records.filter((r) => !r.checkpoint).map((r) => r.wallMs),
        99,
      ),
    ),
    'wall p99, neither (ms)': round(
      percentile(
        records.filter((r) => !r.checkpoint && r.gcMs === 0).map((r) => r.wallMs),
        99,
      ),
    ),
    'COMMIT p50 (ms)': round(
      percentile(
        records.map((r) => r.commitMs),
        50,
      ),
    ),
    'COMMIT p99 (ms)': round(
      percentile(
        records.map((r) => r.commitMs),
        99,
      ),
    ),
    'process CPU p50 (ms)': round(
      percentile(
        records.map((r) => r.cpuMs),
        50,
      ),
    ),
    'process CPU p99 (ms)': round(
      percentile(
        records.map((r) => r.cpuMs),
        99,
      ),
    ),
    'wall p99, not preempted (ms)': round(
      percentile(
        records.filter((r) => r.preempted === 0).map((r) => r.wallMs),
        99,
      ),
    ),
    'scavenges in the timed loop': gcs.filter((x) => x.kind === 'scavenge' && x.start >= windows[0]!.t0).length,
    'GC pauses inside commands': records.reduce((s, r) => s + r.gcKinds.length, 0),
    'young generation (new_space) size at the end (KiB)': round(
      (getHeapSpaceStatistics().find((x) => x.space_name === 'new_space')?.space_size ?? 0) / 1024,
      0,
    ),
  };
  console.log(`command-tail ${JSON.stringify(header)}`);
  console.table(
    Object.fromEntries(
      Object.keys(all).map((k) => [
        k,
        Object.fromEntries(Object.entries(groups).map(([g, c]) => [g, c[k as keyof typeof c]])),
      ]),
    ),
  );
  console.log('the slowest commands, slowest first:');
  console.table(
    [...slow]
      .sort((a, b) => b.wallMs - a.wallMs)
      .map((r) => ({
        command: r.i,
        'wall ms': round(r.wallMs),
        'CPU ms': round(r.cpuMs),
        preempted: r.preempted,
        blocked: r.blocked,
        faults: r.pageFaults,
        'COMMIT ms': round(r.commitMs),
        'other SQL ms': round(r.sqlMs),
        'GC ms': round(r.gcMs),
        GC: r.gcKinds.join(' '),
        checkpoint: r.checkpoint ? 'yes' : '',
        'frames own': r.framesOwn,
        'frames before': r.framesBefore,
        'other commits': r.otherCommits,
      })),
  );
  if (process.env.JSON) writeFileSync(process.env.JSON, JSON.stringify({ header, groups, records }, null, 1));
} finally {
  dir.cleanup();
}
