// Throwaway (issue 16p, step 0): what taking the incident row out of the command's commit is
// worth. Two consoles in one process, alternating blocks of incidents.create through the
// dispatch: "with" as shipped; "without" folds the incident into a write-back map (the answer
// and the runner's triage read it) and writes the waiting rows in one synchronous=NORMAL
// transaction once 250 ms have passed (as the deferred projector would), outside the timed
// command. Durable (synchronous=FULL) first, then CPU only (synchronous=OFF on both).
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createConsoleCore, type ConsoleCore } from '../../src-main/core/console-core.ts';
import { deferredRows, flushRows } from '../../src-main/core/incidents/projection.ts';
import { incidentInput } from '../support/incidents.ts';
import { tempDir } from '../support/temp.ts';

const BLOCKS = Number(process.env.BLOCKS ?? 20);
const PER_BLOCK = 50;
const dir = tempDir('prize-');
async function core(name: string): Promise<ConsoleCore> {
  const c = createConsoleCore({ dataFile: join(dir.path, `${name}.sqlite`), host: 'test', appVersion: 'bench', facility: 'F', unit: 'U', escalationPolicies: [] });
  const r = await c.dispatch('auth.bootstrapAdmin', { staffNumber: 'BENCH', name: 'Bench', pin: '2468' }, { origin: 'test' });
  if (!r.ok) throw new Error(r.error.message);
  return c;
}
const sides = [
  { name: 'with', core: await core('with'), pending: 0, flushMs: 0, flushes: 0 },
  { name: 'without', core: await core('without'), pending: 0, flushMs: 0, flushes: 0 },
];
deferredRows.set(sides[1]!.core.store.db, new Map());
const turn = () => new Promise<void>((r) => setImmediate(r));
let n = 0;
async function run(side: (typeof sides)[number], into: number[] | null) {
  const t = performance.now();
  const r = await side.core.dispatch('incidents.create', incidentInput({ title: `Prize ${n++}` }), { actor: 'bench', origin: 'test' });
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(r.error.message);
  if (into) into.push(ms);
  await turn();
  if (side.name === 'without') {
    const now = performance.now();
    if (side.pending === 0) side.pending = now;
    else if (now - side.pending >= 250) {
      const f = performance.now();
      flushRows(side.core.store.db);
      side.flushMs += performance.now() - f;
      side.flushes++;
      side.pending = 0;
    }
  }
}
const pct = (xs: number[], q: number) => Number([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!.toFixed(3));
console.log('load average (1 min) at start', loadavg()[0]!.toFixed(2));
for (const mode of ['FULL', 'OFF'] as const) {
  for (const s of sides) s.core.store.db.pragma(`synchronous = ${mode}`);
  const ms = new Map(sides.map((s) => [s.name, [] as number[]]));
  for (const s of sides) for (let i = 0; i < 100; i++) await run(s, null); // warm-up
  for (const s of sides) { s.flushMs = 0; s.flushes = 0; }
  for (let b = 0; b < BLOCKS; b++) {
    const order = b % 2 === 0 ? sides : [...sides].reverse();
    for (const s of order) for (let i = 0; i < PER_BLOCK; i++) await run(s, ms.get(s.name)!);
  }
  for (const s of sides) {
    const xs = ms.get(s.name)!;
    console.log(JSON.stringify({ synchronous: mode, side: s.name, commands: xs.length, p50: pct(xs, 0.5), p90: pct(xs, 0.9), p99: pct(xs, 0.99), mean: Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3)), flushMsPerCommand: Number((s.flushMs / xs.length).toFixed(4)), flushes: s.flushes }));
  }
}
// every incident of "without" is in its table after the last flush (the map's rows land)
flushRows(sides[1]!.core.store.db);
const rows = (s: (typeof sides)[number]) => (s.core.store.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
console.log('incident rows: with', rows(sides[0]!), 'without', rows(sides[1]!));
console.log('load average (1 min) at end', loadavg()[0]!.toFixed(2));
for (const s of sides) await s.core.close?.();
