// The paired-run table of docs/performance.md's round 12o section: from the mesh bench JSON
// files and the session timelines' summaries here (run.sh: GUARDLINE_MESH_BENCH=catch-up
// GUARDLINE_MESH_TIMELINE=<dir> npm run bench mesh, alternately in a copy of issue-12m's tip
// and of this branch; node test/bench/mesh-timeline.ts <dir>/worker). Per 1,000 received events.
// Run in this directory: node table.cjs > table.md
const fs = require('fs');
const files = fs.readdirSync(__dirname).filter((f) => /^(base|head)-r\d+\.json$/.test(f));
const key = (f) => {
  const [, side, r] = f.match(/^(base|head)-r(\d+)/);
  return Number(r) * 2 + (side === 'base' ? 0 : 1);
};
files.sort((a, b) => key(a) - key(b));
const value = (j, re) => j.rows.find((r) => re.test(r.metric))?.value ?? '';
const cols = [
  ['B main, worker', /per 1,000 events with the worker: B.s main/],
  ['all of B, worker', /per 1,000 events with the worker: all of B/],
  ['B main, inline', /per 1,000 events inline: B.s main/],
  ['all of B, inline', /per 1,000 events inline: all of B/],
];
console.log(
  `| run | commit | load (1 min) | ${cols.map(([n]) => `${n} (ms)`).join(' | ')} | B's transactions (timeline, worker run): n, wall, CPU, off CPU (ms) | off CPU per transaction (ms) | catch-up, worker (events/s) | catch-up, inline (events/s) |`,
);
console.log(`| ${Array(cols.length + 7).fill('---').join(' | ')} |`);
const sums = {};
for (const f of files) {
  const j = JSON.parse(fs.readFileSync(`${__dirname}/${f}`, 'utf8'));
  const c = j.rows.find((r) => /^catch-up of \d+ events console/.test(r.metric));
  const inline = j.rows.find((r) => /B preparing frames on its main thread/.test(r.metric));
  const label = f.replace('.json', '');
  const tl = fs.readFileSync(`${__dirname}/${label}.timeline.txt`, 'utf8');
  const m = tl.match(/B's transactions \(≥ 100 events\): (\d+), ([\d.]+) ms wall, ([\d.]+) ms CPU \(([\d.]+) ms off/);
  const [n, wall, cpu, off] = m ? m.slice(1).map(Number) : [NaN, NaN, NaN, NaN];
  // The copy's own commit is a fresh one (run.sh): the source commit is in the .load line.
  const source = fs.readFileSync(`${__dirname}/${label}.load`, 'utf8').split(' ')[2];
  const side = f.startsWith('base') ? `base (${source})` : `branch (${source})`;
  const vals = cols.map(([, re]) => value(j, re));
  sums[side] ??= { n: 0, v: cols.map(() => 0), off: 0, offPer: 0 };
  sums[side].n += 1;
  vals.forEach((v, i) => (sums[side].v[i] += Number(v)));
  sums[side].off += off;
  sums[side].offPer += off / n;
  console.log(
    `| ${label} | ${source} | ${j.loadAverage1m.start} → ${j.loadAverage1m.end} | ${vals.join(' | ')} | ${n}, ${wall}, ${cpu}, ${off} | ${(off / n).toFixed(1)} | ${c.value} | ${inline.value} |`,
  );
}
console.log('');
for (const [side, s] of Object.entries(sums))
  console.log(
    `- ${side}, mean of ${s.n}: ${cols.map(([n], i) => `${n} ${(s.v[i] / s.n).toFixed(1)}`).join(', ')} ms per 1,000 events; off B's CPU inside its transactions ${(s.off / s.n).toFixed(1)} ms per catch-up, ${(s.offPer / s.n).toFixed(1)} ms per transaction`,
  );
