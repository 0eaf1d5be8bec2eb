/**
 * Issue 16, round 16aa: where the search index's (FTS5) merge work runs in a burst of
 * incident commands, and what it costs. The command-tail loop (test/bench/command-tail.ts:
 * `incidents.create` through the dispatch, signing on, a turn of the event loop between
 * commands, synchronous=OFF unless SYNC=FULL), N commands after WARMUP, with:
 *  - per command: whether the index's structure record (segments, write counter) changed
 *    inside the command, i.e. whether its commit flushed to the index or merged;
 *  - per transaction of the store that is not a command (the deferred catch-up, the merge
 *    steps): its kind, its time from BEGIN to the end of COMMIT and the COMMIT's own, and
 *    whether the structure's segments changed other than by one new segment (a merge);
 *    (a catch-up's several flushes, or a segment promoted to a higher level, count as merged too);
 *  - the process CPU of each gap between commands (where those transactions run).
 * Run from a tree's root: node <this file> (N=2000 WARMUP=100 SYNC=OFF).
 */
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createConsoleCore } from '../../../../src-main/core/console-core.ts';
import { incidentInput } from '../../../../test/support/incidents.ts';
import { tempDir } from '../../../../test/support/temp.ts';
import { ftsShape, type FtsShape } from '../../../../test/support/fts5.ts';
import { percentile, round } from '../../../../test/bench/report.ts';

const N = Number(process.env.N ?? 2000);
const WARMUP = Number(process.env.WARMUP ?? 100);
const SYNC_FULL = process.env.SYNC === 'FULL';

interface Tx {
  kind: string;
  ms: number;
  /** Process CPU (every thread: an upper bound for the core's), BEGIN to the end of COMMIT. */
  cpuMs: number;
  commitMs: number;
  merged: boolean;
  inCommand: boolean;
}
const txs: Tx[] = [];
let inCommand = false;
let tx: { kind: string; t0: number; cpu0: NodeJS.CpuUsage; shape: string } | null = null;
let shapeOf: (() => FtsShape) | null = null;
const segs = (s: FtsShape) => s.levels.map((l) => l.segments.map((g) => `${g.id}:${g.lastPage}`).join(',')).join('|');
{
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  probe.close();
  for (const method of ['run', 'get', 'all'] as const) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const src = this.source;
      if (src.startsWith('BEGIN') && !inCommand && shapeOf) {
        const shape = segs(shapeOf());
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const r = original.apply(this, args);
        tx = { kind: 'other', t0, cpu0, shape };
        return r;
      }
      if (tx && src.includes("'merge'")) tx.kind = 'merge step';
      else if (tx && tx.kind === 'other' && src.includes('incidents_fts')) tx.kind = 'catch-up';
      if (src === 'COMMIT' && tx) {
        const c0 = performance.now();
        const r = original.apply(this, args);
        const end = performance.now();
        const cpu = process.cpuUsage(tx.cpu0);
        const before = tx.shape.split('|');
        const after = segs(shapeOf!()).split('|');
        // A flush appends one segment to level 0 and changes nothing else; anything else is a merge.
        const flushOnly =
          after.slice(1).join('|') === before.slice(1).join('|') &&
          (after[0] === before[0] || after[0]!.startsWith(before[0]!));
        txs.push({ kind: tx.kind, ms: end - tx.t0, cpuMs: (cpu.user + cpu.system) / 1000, commitMs: end - c0, merged: !flushOnly, inCommand });
        tx = null;
        return r;
      }
      return original.apply(this, args);
    };
  }
}

const dir = tempDir('guardline-fts-');
try {
  const core = createConsoleCore({
    dataFile: join(dir.path, 'console.sqlite'),
    host: 'test',
    appVersion: 'bench',
    facility: 'F',
    unit: 'U',
    escalationPolicies: [],
  });
  const signedIn = await core.dispatch(
    'auth.bootstrapAdmin',
    { staffNumber: 'BENCH', name: 'Bench', pin: '2468' },
    { origin: 'test' },
  );
  if (!signedIn.ok) throw new Error(signedIn.error.message);
  const db = core.store.db;
  if (!SYNC_FULL) db.pragma('synchronous = OFF');
  shapeOf = () => ftsShape(db);
  const automerge = db.prepare("SELECT v FROM incidents_fts_config WHERE k = 'automerge'").pluck().get() ?? 'default (4)';
  const cmd: { wallMs: number; ftsChanged: boolean }[] = [];
  const gaps: number[] = [];
  let lastEnd = process.cpuUsage();
  let txAtStart = 0;
  for (let i = 0; i < N + WARMUP; i++) {
    if (i === WARMUP) txAtStart = txs.length;
    const gapCpu = process.cpuUsage(lastEnd);
    const before = JSON.stringify(ftsShape(db));
    inCommand = true;
    const t0 = performance.now();
    const r = await core.dispatch('incidents.create', incidentInput({ title: `Tail ${i}` }), {
      actor: 'bench',
      origin: 'test',
    });
    const t1 = performance.now();
    inCommand = false;
    if (!r.ok) throw new Error(r.error.message);
    const changed = JSON.stringify(ftsShape(db)) !== before;
    lastEnd = process.cpuUsage();
    if (i >= WARMUP) {
      cmd.push({ wallMs: t1 - t0, ftsChanged: changed });
      if (i > WARMUP) gaps.push((gapCpu.user + gapCpu.system) / 1000);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const ts = txs.slice(txAtStart);
  const shape = ftsShape(db);
  core.close();
  await core.store.closed();

  const q = (xs: number[], p: number) => (xs.length ? round(percentile(xs, p)) : null);
  const kinds = [...new Set(ts.map((t) => t.kind))];
  console.log(
    `fts-commands ${JSON.stringify({
      at: new Date().toISOString(),
      load: os.loadavg().map((l) => round(l, 2)),
      synchronous: SYNC_FULL ? 'FULL' : 'OFF',
      automerge,
      commands: cmd.length,
      'commands whose commit changed the search index': cmd.filter((c) => c.ftsChanged).length,
      'command wall p50 / p99 (ms)': [q(cmd.map((c) => c.wallMs), 50), q(cmd.map((c) => c.wallMs), 99)],
      'gap between commands, process CPU p50 / p99 / max (ms)': [q(gaps, 50), q(gaps, 99), q(gaps, 100)],
      'index at the end: segments per level': shape.levels.map((l) => l.segments.length).join(' '),
    })}`,
  );
  for (const kind of kinds) {
    const of = ts.filter((t) => t.kind === kind);
    const merged = of.filter((t) => t.merged);
    console.log(
      `  ${kind}: ${of.length} transactions (${of.filter((t) => t.inCommand).length} inside a command), ` +
        `${merged.length} merged; BEGIN..COMMIT p50 ${q(of.map((t) => t.ms), 50)} p99 ${q(of.map((t) => t.ms), 99)} max ${q(of.map((t) => t.ms), 100)} ms, ` +
        `COMMIT max ${q(of.map((t) => t.commitMs), 100)} ms; process CPU p50 ${q(of.map((t) => t.cpuMs), 50)} p99 ${q(of.map((t) => t.cpuMs), 99)} max ${q(of.map((t) => t.cpuMs), 100)} ms; the ${Math.min(5, of.length)} longest: ` +
        [...of]
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 5)
          .map((t) => `${round(t.ms)} (CPU ${round(t.cpuMs)}${t.merged ? ', merged' : ''})`)
          .join(', '),
    );
  }
} finally {
  dir.cleanup();
}
