// Diagnostic (round 16l, from 16g-runs/slices.ts): the retention sweep of the stall bench's
// seeded console (a copy of GUARDLINE_BENCH_STALL_CACHE's seed), alone, so strace can follow
// the core's thread. Prints the longest event-loop gaps (1 ms interval) with the thread's
// CPU inside each and their window on the monotonic clock (µs), and the main thread's tid.
// Run: node sweep.ts <worktree> <seed dir> <scratch dir>
import { copyFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [tree, seedDir, scratch] = process.argv.slice(2) as [string, string, string];
const { createConsoleCore } = (await import(join(tree, 'src-main/core/console-core.ts'))) as typeof import('../../../../src-main/core/console-core.ts');
const dir = mkdtempSync(join(scratch, 'run-'));
for (const f of readdirSync(seedDir).filter((f) => f.startsWith('console.sqlite'))) copyFileSync(join(seedDir, f), join(dir, f));
const core = createConsoleCore({
  dataFile: join(dir, 'console.sqlite'), host: 'test', appVersion: 'bench', facility: 'Bänkanstalten', unit: 'Avdelning 0',
  escalationPolicies: [], sync: { start: false }, retention: { closedIncidentDays: 30 },
});
await core.ready;
const r = await core.dispatch('auth.bootstrapAdmin', { staffNumber: 'BENCH', name: 'Bench', pin: '2468' }, { origin: 'test' });
if (!r.ok) throw new Error(r.error.message);
const cpu = () => { const u = process.threadCpuUsage(); return (u.user + u.system) / 1000; };
let last = performance.now(); let lastCpu = cpu();
const gaps: { gap: number; cpu: number; window: string }[] = [];
const us = () => process.hrtime.bigint() / 1000n;
const tick = setInterval(() => {
  const now = performance.now(); const c = cpu();
  gaps.push({ gap: now - last, cpu: c - lastCpu, window: `${us() - BigInt(Math.round((now - last) * 1000))}-${us()}` });
  last = now; lastCpu = c;
}, 1);
console.log(`pid ${process.pid}; sweep starts at ${us()} µs (monotonic)`);
const t0 = performance.now();
const out = await core.dispatch('retention.run', {}, { origin: 'test' });
const total = performance.now() - t0;
clearInterval(tick);
console.log(JSON.stringify({ ok: out.ok, totalMs: Math.round(total),
  worstGaps: [...gaps].sort((a, b) => b.gap - a.gap).slice(0, 8).map((g) => ({ ...g, gap: Math.round(g.gap * 10) / 10, cpu: Math.round(g.cpu * 10) / 10 })) }, null, 1));
await core.close();
