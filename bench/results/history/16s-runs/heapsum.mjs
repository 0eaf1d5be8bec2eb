// node heapsum.mjs <file.heapsnapshot>: self size and count by (type, name), top 40; and the largest EphemeronHashTables
import { readFileSync } from 'node:fs';
const snap = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const m = snap.snapshot.meta;
const nf = m.node_fields, N = nf.length;
const types = m.node_types[0];
const iType = nf.indexOf('type'), iName = nf.indexOf('name'), iSize = nf.indexOf('self_size');
const nodes = snap.nodes, strings = snap.strings;
const agg = new Map();
let total = 0;
const eph = [];
for (let i = 0; i < nodes.length; i += N) {
  const t = types[nodes[i + iType]], name = strings[nodes[i + iName]], size = nodes[i + iSize];
  total += size;
  const key = t === 'object' || t === 'native' || t === 'closure' || t === 'hidden' || t === 'array' ? `${t}:${name.slice(0, 60)}` : t;
  const a = agg.get(key) ?? { n: 0, size: 0 };
  a.n++; a.size += size; agg.set(key, a);
  if (name.includes('EphemeronHashTable') || name.includes('system / EphemeronHashTable')) eph.push(size);
}
console.log('total MB', (total / 2 ** 20).toFixed(1), 'nodes', nodes.length / N);
for (const [k, v] of [...agg].sort((a, b) => b[1].size - a[1].size).slice(0, 40)) console.log((v.size / 2 ** 20).toFixed(2).padStart(8), 'MB', String(v.n).padStart(9), k);
eph.sort((a, b) => b - a);
console.log('ephemeron tables', eph.length, 'largest KB', eph.slice(0, 10).map((s) => (s / 1024).toFixed(0)).join(' '));
