// Diagnostic (not committed): per-slice cost of a retention sweep on the stall bench's seed.
import { copyFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createConsoleCore } from '/work/wt/issue-16g/src-main/core/console-core.ts';

const seedDir = '/tmp/16g/cache/stall-seed-100000';
const dir = mkdtempSync('/tmp/16g/diag/run-');
for (const f of readdirSync(seedDir).filter((f) => f.startsWith('console.sqlite'))) copyFileSync(join(seedDir, f), join(dir, f));
const core = createConsoleCore({
  dataFile: join(dir, 'console.sqlite'), host: 'test', appVersion: 'bench', facility: 'Bänkanstalten', unit: 'Avdelning 0',
  escalationPolicies: [], sync: { start: false }, retention: { closedIncidentDays: 30, ...(process.env.BUDGET ? { sliceBudgetMs: Number(process.env.BUDGET) } : {}) },
});
await core.ready;
const r = await core.dispatch('auth.bootstrapAdmin', { staffNumber: 'BENCH', name: 'Bench', pin: '2468' }, { origin: 'test' });
if (!r.ok) throw new Error(r.error.message);
const cpu = () => { const u = process.threadCpuUsage(); return (u.user + u.system) / 1000; };
const store = core.store;
const append = store.append.bind(store);
const slices: { n: number; wall: number; cpu: number }[] = [];
(store as { append: typeof append }).append = (events, options) => {
  const t = performance.now(); const c = cpu();
  const out = append(events, options);
  slices.push({ n: events.length, wall: performance.now() - t, cpu: cpu() - c });
  return out;
};
// Loop gaps: a 1 ms interval, worst gaps with CPU inside.
let last = performance.now(); let lastCpu = cpu();
const gaps: { gap: number; cpu: number; at: string }[] = [];
const tick = setInterval(() => { const now = performance.now(); const c = cpu(); gaps.push({ gap: now - last, cpu: c - lastCpu, at: `${(process.hrtime.bigint() / 1000n) - BigInt(Math.round((now - last) * 1000))}-${process.hrtime.bigint() / 1000n}` }); last = now; lastCpu = c; }, 1);
const t0 = performance.now();
const out = await core.dispatch('retention.run', {}, { origin: 'test' });
const total = performance.now() - t0;
clearInterval(tick);
const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
const walls = slices.map((s) => s.wall); const off = slices.map((s) => s.wall - s.cpu);
console.log(JSON.stringify({ ok: out.ok, total: Math.round(total), slices: slices.length,
  sizes: { p50: q(slices.map((s) => s.n), 0.5), max: Math.max(...slices.map((s) => s.n)) },
  appendWall: { p50: q(walls, 0.5), p99: q(walls, 0.99), max: Math.max(...walls) },
  appendOffCpu: { p50: q(off, 0.5), p99: q(off, 0.99), max: Math.max(...off) },
  worstSlices: [...slices].sort((a, b) => b.wall - a.wall).slice(0, 5),
  worstGaps: [...gaps].sort((a, b) => b.gap - a.gap).slice(0, 5), mostCpu: [...gaps].sort((a, b) => b.cpu - a.cpu).slice(0, 5) }, (k, v) => typeof v === 'number' ? Math.round(v * 10) / 10 : v, 1));
await core.close();
