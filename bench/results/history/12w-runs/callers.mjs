import { readFileSync } from 'node:fs';
const [file, fn] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const ms = (p.endTime - p.startTime) / p.samples.length / 1000;
const out = new Map();
for (const s of p.samples) {
  let id = s; const chain = [];
  while (id !== undefined) { chain.push(byId.get(id).callFrame); id = parent.get(id); }
  const i = chain.findIndex((f) => f.functionName === fn);
  if (i < 0) continue;
  const caller = chain.slice(i).find((f) => f.functionName !== fn);
  const k = caller ? `${caller.functionName} ${caller.url.split('/').pop()}:${caller.lineNumber + 1}` : '?';
  out.set(k, (out.get(k) ?? 0) + 1);
}
for (const [k, v] of [...out].sort((a, b) => b[1] - a[1])) console.log((v * ms).toFixed(1).padStart(8), k);
