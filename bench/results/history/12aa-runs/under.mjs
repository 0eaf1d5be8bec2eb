// node under.mjs <file.cpuprofile> <function name> [file part]: the samples whose stack holds that
// function (e.g. observe runner.ts), charged to the innermost project (src-*) frame, by function and
// line; ms from the sample deltas. Prints the total under it first.
import { readFileSync } from 'node:fs';
const [file, fn, part = ''] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const isProject = (n) => /src-(main|common|shared)/.test(n.callFrame.url);
const charged = new Map();
let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
  let id = p.samples[i];
  let innermost = null;
  let hit = false;
  for (let n = byId.get(id); n; n = byId.get(parent.get(n.id))) {
    if (!innermost && isProject(n)) innermost = n;
    if (n.callFrame.functionName === fn && n.callFrame.url.includes(part)) hit = true;
  }
  if (!hit) continue;
  total += dt;
  const leaf = byId.get(id);
  const key = innermost ? `${name(innermost)}${isProject(leaf) ? '' : ' <' + (leaf.callFrame.functionName || leaf.callFrame.url.split('/').pop() || '?') + '>'}` : name(leaf);
  charged.set(key, (charged.get(key) ?? 0) + dt);
}
console.log(`${file}: under ${fn} ${part}: ${total.toFixed(1)} ms`);
for (const [k, v] of [...charged].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
