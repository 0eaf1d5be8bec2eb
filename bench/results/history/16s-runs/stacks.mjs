// node stacks.mjs <profile> <fromSec> <toSec>: the leaf frames (any, natives included) and the leaf+2 chain, time-weighted
import { readFileSync } from 'node:fs';
const [file, from, to] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let t = p.startTime;
const agg = new Map();
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i];
  const s = (t - p.startTime) / 1e6;
  if (s < +from || s > +to) continue;
  const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
  const chain = [];
  let id = p.samples[i];
  while (id !== undefined && chain.length < 7) {
    const n = byId.get(id);
    chain.push(`${n.callFrame.functionName || '(anon)'}${n.callFrame.url ? ':' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber : ''}`);
    id = parent.get(id);
  }
  const key = chain.join(' < ');
  agg.set(key, (agg.get(key) ?? 0) + dt);
}
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(v.toFixed(2).padStart(7), 'ms ', k);
