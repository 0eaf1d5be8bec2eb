// Diagnostic (round 16w): the retention sweep of the stall bench's seeded console (a copy of a
// GUARDLINE_BENCH_STALL_CACHE seed), alone, with each slice's append measured: events, the core
// thread's CPU (user and system, process.threadCpuUsage) inside the append call, and the WAL's
// last frame (mxFrame, from the -shm) before and after its commit. Prints the slices with the
// most CPU and a summary. Run from a worktree: node sweep-slices.ts <worktree> <seed dir> <scratch dir>
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [tree, seedDir, scratch] = process.argv.slice(2) as [string, string, string];
const { createConsoleCore } = (await import(join(tree, 'src-main/core/console-core.ts'))) as typeof import('../../../../src-main/core/console-core.ts');
const { walEnd } = (await import(join(tree, 'test/support/wal.ts'))) as typeof import('../../../../test/support/wal.ts');
const dir = mkdtempSync(join(scratch, 'run-'));
for (const f of readdirSync(seedDir).filter((f) => f.startsWith('console.sqlite'))) copyFileSync(join(seedDir, f), join(dir, f));
const file = join(dir, 'console.sqlite');
const core = createConsoleCore({
  dataFile: file, host: 'test', appVersion: 'bench', facility: 'Bänkanstalten', unit: 'Avdelning 0',
  escalationPolicies: [], sync: { start: false }, retention: { closedIncidentDays: 30 },
});
await core.ready;
const r = await core.dispatch('auth.bootstrapAdmin', { staffNumber: 'BENCH', name: 'Bench', pin: '2468' }, { origin: 'test' });
if (!r.ok) throw new Error(r.error.message);
// FTS_OPTIONS="automerge=0,crisismerge=2000,deletemerge=100": FTS5 options set on the copy before
// the sweep (each as INSERT INTO incidents_fts(incidents_fts, rank) VALUES(name, value)), to tell
// whether a slice's long commit is the search index merging its segments.
for (const option of (process.env.FTS_OPTIONS ?? '').split(',').filter(Boolean)) {
  const [name, value] = option.split('=') as [string, string];
  if (!/^[a-z]+$/.test(name) || !/^\d+$/.test(value)) throw new Error(`bad FTS option ${option}`);
  core.store.db.exec(`INSERT INTO incidents_fts(incidents_fts, rank) VALUES ('${name}', ${value})`);
  console.log(`FTS5 option ${name} = ${value}`);
}
const frames = () => Math.max(0, (walEnd(file) - 32) / (4096 + 24));
type Slice = { n: number; events: number; userMs: number; systemMs: number; wallMs: number; walBefore: number; walAfter: number };
const slices: Slice[] = [];
const merges: Slice[] = [];
const mergeStep = Number(process.env.MERGE_STEP ?? 0);
const store = core.store;
const append = store.append.bind(store);
store.append = ((events: Parameters<typeof append>[0], options?: Parameters<typeof append>[1]) => {
  if (options?.flushLater !== true) return append(events, options);
  const walBefore = frames();
  const cpu0 = process.threadCpuUsage();
  const t0 = performance.now();
  const out = append(events, options);
  const wallMs = performance.now() - t0;
  const cpu = process.threadCpuUsage(cpu0);
  slices.push({ n: slices.length + 1, events: events.length, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, wallMs, walBefore, walAfter: frames() });
  // MERGE_STEP=N: after each slice, one FTS5 'merge' of about N pages in a transaction of its own
  // (a trial of bounded merge steps with automerge off; measured like a slice, listed apart).
  if (mergeStep > 0) {
    const m0 = process.threadCpuUsage();
    const w0 = frames();
    const t1 = performance.now();
    store.db.exec(`INSERT INTO incidents_fts(incidents_fts, rank) VALUES ('merge', ${mergeStep})`);
    const c = process.threadCpuUsage(m0);
    merges.push({ n: merges.length + 1, events: 0, userMs: c.user / 1000, systemMs: c.system / 1000, wallMs: performance.now() - t1, walBefore: w0, walAfter: frames() });
  }
  return out;
}) as typeof store.append;
const t0 = performance.now();
const out = await core.dispatch('retention.run', {}, { origin: 'test' });
const total = performance.now() - t0;
const r1 = (x: number) => Math.round(x * 10) / 10;
const cpuOf = (s: Slice) => s.userMs + s.systemMs;
console.log(`tree ${tree}; sweep ${out.ok ? 'ok' : 'failed'} in ${Math.round(total)} ms; ${slices.length} slices, ${slices.reduce((a, s) => a + s.events, 0)} archives`);
console.log(`slices whose commit found the WAL restarted or checkpointed (frames after < before): ${slices.filter((s) => s.walAfter < s.walBefore).length}`);
console.log('slices with the most CPU in their append (n, events, user ms, system ms, wall ms, WAL frames before -> after):');
for (const s of [...slices].sort((a, b) => cpuOf(b) - cpuOf(a)).slice(0, 12))
  console.log(`  #${s.n}: ${s.events} events, user ${r1(s.userMs)}, system ${r1(s.systemMs)}, wall ${r1(s.wallMs)}, WAL ${s.walBefore} -> ${s.walAfter}`);
const sorted = slices.map(cpuOf).sort((a, b) => a - b);
console.log(`append CPU per slice: p50 ${r1(sorted[Math.floor(sorted.length / 2)]!)} ms, p90 ${r1(sorted[Math.floor(sorted.length * 0.9)]!)} ms, max ${r1(sorted.at(-1)!)} ms; events per slice p50 ${[...slices].sort((a, b) => a.events - b.events)[Math.floor(slices.length / 2)]!.events}`);
if (merges.length > 0) {
  const m = merges.map(cpuOf).sort((a, b) => a - b);
  console.log(`merge steps of ${mergeStep} pages: ${merges.length}, CPU p50 ${r1(m[Math.floor(m.length / 2)]!)} ms, p90 ${r1(m[Math.floor(m.length * 0.9)]!)} ms, max ${r1(m.at(-1)!)} ms; WAL frames per step max ${Math.max(...merges.map((x) => x.walAfter - x.walBefore))}`);
}
const structure = core.store.db.prepare("SELECT count(*) AS n FROM incidents_fts_data").pluck().get();
console.log(`incidents_fts_data rows at the end: ${structure}`);
await core.close();
rmSync(dir, { recursive: true, force: true });
