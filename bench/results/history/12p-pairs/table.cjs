// The paired-run table of docs/performance.md's round 12p section: from the mesh bench JSON
// files and the session timelines' summaries here (run.sh: GUARDLINE_MESH_BENCH=catch-up
// GUARDLINE_MESH_TIMELINE=<dir> npm run bench mesh, alternately in a copy of main (base) and
// of this branch; node test/bench/mesh-timeline.ts <dir>/worker --all). Per 1,000 received events.
// Run in this directory: node table.cjs > table.md
const fs = require('fs');
const files = fs.readdirSync(__dirname).filter((f) => /^p\d+-(base|head)-r\d+\.json$/.test(f));
const key = (f) => {
  const [, p, side, r] = f.match(/^p(\d+)-(base|head)-r(\d+)/);
  return Number(p) * 100 + Number(r) * 2 + (side === 'base' ? 0 : 1);
};
files.sort((a, b) => key(a) - key(b));
const row = (j, re) => j.rows.find((r) => re.test(r.metric));
const cols = [
  ['B main', /per 1,000 events with the worker: B.s main/],
  ['all of B', /per 1,000 events with the worker: all of B/],
  ['B frame worker', /per 1,000 events with the worker: B.s worker threads/],
  ['B V8 helpers', /per 1,000 events with the worker: B.s V8 helper/],
];
console.log(
  `| run | commit | load (1 min) | catch-up (events/s) | drain (events/s) | catch-up / drain | ${cols.map(([n]) => `${n} (ms per 1,000)`).join(' | ')} | B's transactions: n, wall, CPU, off CPU (ms) | B idle between them (ms) | chain guesses taken / not |`,
);
console.log(`| ${Array(cols.length + 9).fill('---').join(' | ')} |`);
const sums = {};
for (const f of files) {
  const j = JSON.parse(fs.readFileSync(`${__dirname}/${f}`, 'utf8'));
  const c = row(j, /^catch-up of \d+ events console/);
  const label = f.replace('.json', '');
  const tl = fs.readFileSync(`${__dirname}/${label}.timeline.txt`, 'utf8');
  const m = tl.match(/B's transactions \(≥ 100 events\): (\d+), ([\d.]+) ms wall, ([\d.]+) ms CPU \(([\d.]+) ms off.*between them ([\d.]+) ms busy, ([\d.]+) ms idle/);
  const [n, wall, cpu, off, , idle] = m ? m.slice(1).map(Number) : [NaN, NaN, NaN, NaN, NaN, NaN];
  const g = tl.match(/(\d+) taken by the append, (\d+) not taken/);
  const source = fs.readFileSync(`${__dirname}/${label}.load`, 'utf8').split(' ')[2];
  const side = `${label.split('-')[0]} ${label.includes('base') ? 'base' : 'branch'} (${source})`;
  const ratio = c.value / c.baseline.value;
  const vals = cols.map(([, re]) => row(j, re)?.value ?? NaN);
  sums[side] ??= { n: 0, v: cols.map(() => 0), ratio: 0, idle: 0, off: 0 };
  sums[side].n += 1;
  vals.forEach((v, i) => (sums[side].v[i] += Number(v)));
  sums[side].ratio += ratio;
  sums[side].idle += idle;
  sums[side].off += off;
  console.log(
    `| ${label} | ${source} | ${j.loadAverage1m.start} → ${j.loadAverage1m.end} | ${c.value} | ${c.baseline.value} | ${ratio.toFixed(2)} | ${vals.join(' | ')} | ${n}, ${wall}, ${cpu}, ${off} | ${idle} | ${g ? `${g[1]} / ${g[2]}` : ''} |`,
  );
}
console.log('');
for (const [side, s] of Object.entries(sums))
  console.log(
    `- ${side}, mean of ${s.n}: catch-up / drain ${(s.ratio / s.n).toFixed(2)}; ${cols.map(([n], i) => `${n} ${(s.v[i] / s.n).toFixed(1)}`).join(', ')} ms per 1,000 events; off B's CPU inside its transactions ${(s.off / s.n).toFixed(1)} ms, idle between them ${(s.idle / s.n).toFixed(1)} ms per catch-up`,
  );
