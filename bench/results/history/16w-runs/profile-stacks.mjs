// Diagnostic (round 16w): node profile-stacks.mjs <main thread .cpuprofile> <from µs> <to µs> (profile clock):
// the stacks sampled in that window, innermost 7 frames, with their sampled time.
// node stacks.mjs <profile> <fromUs> <toUs>: the stacks sampled in that window (profile clock), counted.
import { readFileSync } from 'node:fs';
const [file, from, to] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const parent = new Map(), byId = new Map();
for (const n of p.nodes) { byId.set(n.id, n); for (const c of n.children ?? []) parent.set(c, n.id); }
let t = p.startTime; const counts = new Map(); let total = 0;
p.samples.forEach((id, i) => {
  t += p.timeDeltas[i];
  if (t < +from || t > +to) return;
  const stack = [];
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const f = byId.get(x).callFrame;
    stack.push(`${f.functionName || '(anon)'}${f.url ? ' ' + f.url.replace(/.*\/(src-[a-z]+|test)\//, '$1/') + ':' + (f.lineNumber + 1) : ''}`);
  }
  const key = stack.slice(0, 7).join(' < ');
  counts.set(key, (counts.get(key) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / 1000);
  total += 1;
});
console.log(`${total} samples`);
for (const [k, ms] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${ms.toFixed(1)} ms  ${k}`);
