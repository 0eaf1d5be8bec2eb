// node windows.mjs <B's main-thread .cpuprofile>: the timed catch-up's window (from the first to the
// last sample under mesh.ts's accept after the longest gap between two such samples, i.e. after the
// warm-up's catch-up) and, inside it and in the 1.5 s after it, the busy ms and the ms under the
// deferred views' catch-up (catchUpSlice), their upkeep (tidyOnce), the escalation runner (observe)
// and the incident projection (extend, project in incidents/projection.ts).
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stackHas = (id, fn, part) => {
  for (let n = byId.get(id); n; n = byId.get(parent.get(n.id)))
    if (n.callFrame.functionName === fn && n.callFrame.url.includes(part)) return true;
  return false;
};
let t = p.startTime;
const samples = p.samples.map((id, i) => {
  t += p.timeDeltas[i];
  const n = byId.get(id);
  const idle = n.callFrame.functionName === '(idle)';
  return { id, t, dt: (p.timeDeltas[i + 1] ?? 0) / 1000, idle };
});
const accepts = samples.filter((s) => stackHas(s.id, 'accept', 'mesh/mesh.ts'));
let gapAt = 1;
for (let i = 1; i < accepts.length; i++) if (accepts[i].t - accepts[i - 1].t > accepts[gapAt].t - accepts[gapAt - 1].t) gapAt = i;
const from = accepts[gapAt].t, to = accepts.at(-1).t;
const parts = [
  ['deferred views (catchUpSlice)', 'catchUpSlice', 'event-store.ts'],
  ['their upkeep (tidyOnce)', 'tidyOnce', 'event-store.ts'],
  ['escalation runner (observe)', 'observe', 'runner.ts'],
  ['incident projection extend', 'extend', 'incidents/projection.ts'],
  ['incident projection project', 'project', 'incidents/projection.ts'],
];
for (const [label, a, b] of [['timed catch-up window', from, to], ['1.5 s after it', to, to + 1.5e6]]) {
  const inWin = samples.filter((s) => s.t >= a && s.t <= b && !s.idle);
  const busy = inWin.reduce((x, s) => x + s.dt, 0);
  const out = parts.map(([name, fn, part]) => `${name} ${inWin.filter((s) => stackHas(s.id, fn, part)).reduce((x, s) => x + s.dt, 0).toFixed(1)} ms`);
  console.log(`${label}: ${((b - a) / 1000).toFixed(0)} ms wall, busy ${busy.toFixed(1)} ms; ${out.join('; ')}`);
}
