import { readFileSync } from 'node:fs';
const snap = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const m = snap.snapshot.meta; const nf = m.node_fields, N = nf.length; const types = m.node_types[0];
const ef = m.edge_fields, E = ef.length, etypes = m.edge_types[0];
const iType = nf.indexOf('type'), iName = nf.indexOf('name'), iSize = nf.indexOf('self_size'), iEdges = nf.indexOf('edge_count');
const nodes = snap.nodes, strings = snap.strings, edges = snap.edges;
// retainer: first retainer of each node
const count = nodes.length / N; const firstRet = new Int32Array(count).fill(-1); const retEdgeName = new Int32Array(count).fill(-1);
let e = 0;
for (let n = 0; n < count; n++) { const ec = nodes[n * N + iEdges]; for (let k = 0; k < ec; k++, e += E) { const to = edges[e + 2] / N; if (firstRet[to] < 0 && etypes[edges[e]] !== 'weak') { firstRet[to] = n; retEdgeName[to] = e; } } }
const desc = (n) => `${types[nodes[n * N + iType]]}:${String(strings[nodes[n * N + iName]]).slice(0, 50)}`;
const chain = (n) => { const out = []; for (let d = 0; d < 6 && n >= 0; d++) { const ed = retEdgeName[n]; const en = ed >= 0 ? (etypes[edges[ed]] === 'element' || etypes[edges[ed]] === 'hidden' ? `[${edges[ed + 1]}]` : strings[edges[ed + 1]]) : ''; out.push(`${desc(n)}${en !== '' ? ' .' + String(en).slice(0, 30) : ''}`); n = firstRet[n]; } return out.join(' <- '); };
const strs = [];
for (let n = 0; n < count; n++) { const t = types[nodes[n * N + iType]]; if (t === 'string' || t === 'native') strs.push([nodes[n * N + iSize], n]); }
strs.sort((a, b) => b[0] - a[0]);
for (const [s, n] of strs.slice(0, 14)) console.log((s / 1024).toFixed(0).padStart(7), 'KB', chain(n));
// group strings by first retainer description
const byRet = new Map();
for (let n = 0; n < count; n++) { if (types[nodes[n * N + iType]] !== 'string') continue; const r = firstRet[n]; const k = r >= 0 ? desc(r) + ' .' + String(strings[edges[retEdgeName[n] + 1]]).slice(0,20) : '?'; const a = byRet.get(k) ?? [0, 0]; a[0]++; a[1] += nodes[n * N + iSize]; byRet.set(k, a); }
console.log('--- strings by retainer');
for (const [k, [c, s]] of [...byRet].sort((a, b) => b[1][1] - a[1][1]).slice(0, 12)) console.log((s / 2 ** 20).toFixed(2).padStart(7), 'MB', String(c).padStart(7), k);
