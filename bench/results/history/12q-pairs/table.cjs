// The paired-run table of docs/performance.md "B's helper threads and the garbage of a catch-up,
// round 12q", from the files run.sh wrote here (GUARDLINE_MESH_BENCH=catch-up npm run bench mesh,
// alternately in a copy of the base and of the branch). CPU per 1,000 received events; the worker
// run's B's garbage collections as its main thread saw them (test/bench/gc-preload.ts, whole
// process life: start-up included), and with NVP=1 runs V8's own figures for B's main isolate
// (--trace-gc-nvp: bytes promoted, background marking and scavenging ms, summed over its life).
// Run in this directory: node table.cjs [prefix…] > table.md
const fs = require('fs');
const prefixes = process.argv.slice(2);
const files = fs
  .readdirSync(__dirname)
  .filter((f) => /^[a-z0-9]+-(base|head)-r\d+\.json$/.test(f))
  .filter((f) => prefixes.length === 0 || prefixes.some((p) => f.startsWith(`${p}-`)))
  .sort((a, b) => {
    const k = (f) => f.match(/^([a-z0-9]+)-(base|head)-r(\d+)/);
    const [x, y] = [k(a), k(b)];
    return x[1].localeCompare(y[1]) || Number(x[3]) - Number(y[3]) || x[2].localeCompare(y[2]);
  });
const value = (j, re) => j.rows.find((r) => re.test(r.metric))?.value ?? '';
const cols = [
  ['B main', /per 1,000 events with the worker: B.s main/],
  ['all of B', /per 1,000 events with the worker: all of B/],
  ['B frame worker', /per 1,000 events with the worker: B.s worker threads/],
  ['B V8 helpers', /per 1,000 events with the worker: B.s V8/],
];
/** V8's --trace-gc-nvp lines of the isolate with the most collections (B's main thread's). */
function nvp(file) {
  if (!fs.existsSync(file)) return null;
  const lines = [...new Set(fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes(' pause=')))];
  const by = new Map();
  for (const l of lines) {
    const iso = l.match(/^\[\d+:(0x[0-9a-f]+)/)?.[1] ?? '?';
    const kv = Object.fromEntries([...l.matchAll(/(\S+)=(\S+)/g)].map((m) => [m[1], Number(m[2])]));
    const s = by.get(iso) ?? { n: 0, promotedMB: 0, bgMark: 0, bgScavenge: 0, pause: 0 };
    s.n += 1;
    s.pause += kv.pause || 0;
    s.promotedMB += (kv.promoted || 0) / 1e6;
    s.bgMark += kv['background.mark'] || 0;
    s.bgScavenge += kv['background.scavenge.parallel'] || 0;
    by.set(iso, s);
  }
  return [...by.values()].sort((a, b) => b.promotedMB - a.promotedMB)[0] ?? null;
}
const r1 = (x) => Math.round(x * 10) / 10;
console.log(
  `| run | commit | load (1 min) | ${cols.map(([n]) => `${n} (ms)`).join(' | ')} | catch-up (events/s) | drain (events/s) | catch-up / drain | GC pauses on B's main thread: minor / major (count, ms) | B main isolate (nvp): collections, promoted MB, background marking ms, background scavenging ms |`,
);
console.log(`| ${Array(cols.length + 8).fill('---').join(' | ')} |`);
const sums = {};
for (const f of files) {
  const j = JSON.parse(fs.readFileSync(`${__dirname}/${f}`, 'utf8'));
  const label = f.replace('.json', '');
  const c = j.rows.find((r) => /^catch-up of \d+ events console/.test(r.metric));
  const side = `${label.includes('-base-') ? 'base' : 'branch'} (${j.commit})`;
  const vals = cols.map(([, re]) => value(j, re));
  sums[side] ??= { n: 0, v: cols.map(() => 0), ratio: 0 };
  sums[side].n += 1;
  vals.forEach((v, i) => (sums[side].v[i] += Number(v)));
  sums[side].ratio += c.value / c.baseline.value;
  const gcFile = `${__dirname}/${label}.gc.json`;
  const gc = fs.existsSync(gcFile) ? JSON.parse(fs.readFileSync(gcFile, 'utf8')).totals : null;
  const gcText = gc
    ? `${gc.minor?.count ?? 0}, ${r1(gc.minor?.ms ?? 0)} / ${gc.major?.count ?? 0}, ${r1(gc.major?.ms ?? 0)}`
    : '';
  const n = nvp(`${__dirname}/${label}.b.out`);
  const nvpText = n ? `${n.n}, ${r1(n.promotedMB)}, ${r1(n.bgMark)}, ${r1(n.bgScavenge)}` : '';
  console.log(
    `| ${label} | ${j.commit} | ${j.loadAverage1m.start} → ${j.loadAverage1m.end} | ${vals.join(' | ')} | ${c.value} | ${c.baseline.value} | ${(c.value / c.baseline.value).toFixed(2)} | ${gcText} | ${nvpText} |`,
  );
}
console.log('');
for (const [side, s] of Object.entries(sums)) {
  console.log(
    `- ${side}, mean of ${s.n}: ${cols.map(([n], i) => `${n} ${r1(s.v[i] / s.n)}`).join(', ')} ms per 1,000 events; catch-up / drain ${(s.ratio / s.n).toFixed(2)}`,
  );
}
