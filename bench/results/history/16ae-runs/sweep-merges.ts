// Diagnostic (round 16ae; 16aa's sweep-merges.ts with the full merge's steps told apart, the
// tombstones counted, and idle measured in time, long enough for the thorough upkeep that
// starts 3 s after the last catch-up). From round 16aa (after 16w's sweep-slices.ts): the retention sweep of the stall bench's
// seeded console (a copy of a GUARDLINE_BENCH_STALL_CACHE seed), alone, in a given tree. Measured:
// each slice's append (the core thread's CPU, process.threadCpuUsage, and the WAL frames its
// commit wrote); every other write transaction of the store (the deferred catch-up, and in this
// round's tree the search index's merge steps), told apart by what ran in it, with its CPU and
// frames; the index's segments per level before the sweep, after it, and once the console had
// been idle until no merge step was left; and what searches find (count and a digest of the
// rowids), so two trees' results can be compared. Run from a worktree's root:
//   node bench/results/history/16ae-runs/sweep-merges.ts <seed dir> <scratch dir>
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';

const [seedDir, scratch] = process.argv.slice(2) as [string, string];
const tree = resolve('.');
const { createConsoleCore } = (await import(join(tree, 'src-main/core/console-core.ts'))) as typeof import('../../../../src-main/core/console-core.ts');
const { walEnd } = (await import(join(tree, 'test/support/wal.ts'))) as typeof import('../../../../test/support/wal.ts');
const { ftsShape } = (await import(join(tree, 'test/support/fts5.ts'))) as typeof import('../../../../test/support/fts5.ts');
const dir = mkdtempSync(join(scratch, 'run-'));
for (const f of readdirSync(seedDir).filter((f) => f.startsWith('console.sqlite'))) copyFileSync(join(seedDir, f), join(dir, f));
const file = join(dir, 'console.sqlite');
const frames = () => Math.max(0, (walEnd(file) - 32) / (4096 + 24));
type Tx = { kind: string; events: number; cpuMs: number; wallMs: number; frames: number; steps?: number };
const txs: Tx[] = [];
let current: { kind: string; cpu0: NodeJS.CpuUsage; t0: number; w0: number; steps?: number } | null = null;
let inSlice = false;
{
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  probe.close();
  for (const method of ['run', 'get', 'all'] as const) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const src = this.source;
      if (src.startsWith('BEGIN') && !inSlice) {
        current = { kind: 'other', cpu0: process.threadCpuUsage(), t0: performance.now(), w0: frames() };
      } else if (current && src.includes("'merge'")) {
        // ('merge', -N): a step of the full merge (this round's thorough upkeep).
        if ((args[0] as number) < 0) current.kind = 'full merge step';
        else if (current.kind !== 'full merge step') current.kind = 'merge step';
        current.steps = (current.steps ?? 0) + 1;
      }
      else if (current && current.kind === 'other' && src.includes('incidents_fts')) current.kind = 'catch-up';
      const out = original.apply(this, args);
      if (src === 'COMMIT' && current && !inSlice) {
        const c = process.threadCpuUsage(current.cpu0);
        txs.push({ kind: current.kind, events: 0, cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - current.t0, frames: frames() - current.w0, steps: current.steps ?? 0 });
        current = null;
      }
      return out;
    };
  }
}
// ARCHIVE=<k>: a period that leaves about the first k closed incidents due (the seed makes one
// incident a minute from 2025-01-01, every tenth closed), so the sweep archives a share of each
// segment under FTS5's deletemerge (10 %); without it, 30 days (all 10,000 due, 10 % exactly).
const days = process.env.ARCHIVE
  ? Math.floor((Date.now() - (Date.UTC(2025, 0, 1) + Number(process.env.ARCHIVE) * 10 * 60_000)) / 86_400_000)
  : 30;
const core = createConsoleCore({
  dataFile: file, host: 'test', appVersion: 'bench', facility: 'Bänkanstalten', unit: 'Avdelning 0',
  escalationPolicies: [], sync: { start: false }, retention: { closedIncidentDays: days },
});
await core.ready;
const r = await core.dispatch('auth.bootstrapAdmin', { staffNumber: 'BENCH', name: 'Bench', pin: '2468' }, { origin: 'test' });
if (!r.ok) throw new Error(r.error.message);
const db = core.store.db;
const levels = () => {
  const shape = ftsShape(db);
  const tombstones = shape.levels.flatMap((l) => l.segments).reduce((n, g) => n + g.tombstones, 0);
  return `${shape.levels.map((l) => l.segments.length).join(' ')} (${tombstones} tombstones)`;
};
const automerge = db.prepare("SELECT v FROM incidents_fts_config WHERE k = 'automerge'").pluck().get() ?? 'default (4)';
const store = core.store;
const append = store.append.bind(store);
store.append = ((events: Parameters<typeof append>[0], options?: Parameters<typeof append>[1]) => {
  if (options?.flushLater !== true) return append(events, options);
  const w0 = frames();
  const cpu0 = process.threadCpuUsage();
  const t0 = performance.now();
  inSlice = true;
  try {
    return append(events, options);
  } finally {
    inSlice = false;
    const c = process.threadCpuUsage(cpu0);
    txs.push({ kind: 'slice', events: events.length, cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - t0, frames: frames() - w0 });
  }
}) as typeof store.append;
const searches = ['larm', 'brand', 'hot', 'matsal', 'rök', 'vaktrum dörr', '"telefon kamera"', 'trunk OR kamera'];
const found = () =>
  searches.map((q) => {
    store.catchUpDeferred();
    const statement = db.prepare<[string], number>('SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ? ORDER BY rowid').pluck();
    const ids = statement.all(q);
    // The query's time, median of 21 (the index as the sweep and the idle turns left it).
    const ms: number[] = [];
    for (let k = 0; k < 21; k++) {
      const t = performance.now();
      statement.all(q);
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return `${q}: ${ids.length} (${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 12)}, ${ms[10]!.toFixed(2)} ms)`;
  });
// The seed leaves its incidents unindexed (its process ends before the deferred catch-up), so
// the console indexes 100,000 at start-up: done first, and idle until no write is left, apart.
// Idle until no transaction for 6 s of wall time (the thorough upkeep starts 3 s after the
// last catch-up), at most 600 s; a timer of 20 ms between checks when nothing happened.
const idle = async () => {
  let turns = 0;
  let lastSeen = performance.now();
  const started = lastSeen;
  let n = txs.length;
  while (performance.now() - lastSeen < 6_000 && performance.now() - started < 600_000) {
    turns++;
    if (txs.length !== n) {
      n = txs.length;
      lastSeen = performance.now();
      await nextTurn();
    } else await new Promise((r) => setTimeout(r, 20));
  }
  return turns;
};
store.catchUpDeferred();
const startTurns = await idle();
const startup = txs.splice(0);
console.error(`start-up: ${startup.length} transactions, ${startTurns} turns until idle`);
const shapeBefore = levels();
const t0 = performance.now();
const out = await core.dispatch('retention.run', {}, { origin: 'test' });
const sweepMs = performance.now() - t0;
const shapeAfterSweep = levels();
// Idle: turns of the event loop until a turn brings no merge step (bounded).
const idleTurns = await idle();
const r1 = (x: number) => Math.round(x * 100) / 100;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? r1(s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]!) : null;
};
console.log(`# ${new Date().toISOString()} tree ${tree} load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; automerge ${automerge}; closedIncidentDays ${days}`);
console.log(`sweep ${out.ok ? `archived ${JSON.stringify(out.value)}` : 'failed'} in ${Math.round(sweepMs)} ms`);
console.log(`start-up (indexing the seed, then idle): ${startup.length} transactions, the most CPU ${r1(Math.max(...startup.map((t) => t.cpuMs)))} ms`);
console.log(`index segments per level: before the sweep ${shapeBefore}; after it ${shapeAfterSweep}; idle after ${idleTurns} turns ${levels()}`);
const byKind = (label: string, all: Tx[]) => {
for (const kind of ['slice', 'catch-up', 'merge step', 'full merge step', 'other']) {
  const of = all.filter((t) => t.kind === kind);
  if (of.length === 0) continue;
  const cpu = of.map((t) => t.cpuMs);
  console.log(
    `  ${label} ${kind}: ${of.length} transactions; thread CPU p50 ${pct(cpu, 50)} p90 ${pct(cpu, 90)} p99 ${pct(cpu, 99)} max ${pct(cpu, 100)} ms; ` +
      `WAL frames max ${Math.max(...of.map((t) => t.frames))}; merge statements ${of.reduce((n, t) => n + (t.steps ?? 0), 0)} (most in one transaction ${Math.max(...of.map((t) => t.steps ?? 0))}); CPU in all ${r1(cpu.reduce((a, b) => a + b, 0))} ms; the 5 with most CPU: ` +
      [...of].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 5).map((t) => `${r1(t.cpuMs)} ms (wall ${r1(t.wallMs)}, ${t.frames} frames${t.events ? `, ${t.events} archives` : ''})`).join('; '),
  );
}
};
byKind('start-up', startup);
console.log('the sweep, and idle after it:');
byKind('sweep', txs);
console.log(`searches (rowids, digest, median ms of 21): ${found().join('; ')}`);
await core.close();
await core.store.closed();
// KEEP=<file>: the database as the sweep and the idle turns left it, for search-ab.ts.
// With its WAL (the store leaves it in place at its working size), checkpointed into the copy.
if (process.env.KEEP) {
  for (const suffix of ['', '-wal']) if (existsSync(file + suffix)) copyFileSync(file + suffix, process.env.KEEP + suffix);
  const kept = new Database(process.env.KEEP);
  kept.pragma('wal_checkpoint(TRUNCATE)');
  kept.close();
}
rmSync(dir, { recursive: true, force: true });
