// The paired-run table of docs/performance.md's round 12m section (copied from 12l-pairs), from
// the mesh bench JSON files here (GUARDLINE_MESH_BENCH=catch-up npm run bench mesh, run
// alternately in a copy of the base and of the branch by run.sh). Per 1,000 received events.
// Run in this directory: node table.cjs > table.md
const fs = require('fs');
const files = fs.readdirSync(__dirname).filter((f) => /^p\d+-(base|head)-r\d+\.json$/.test(f));
const key = (f) => {
  const [, p, side, r] = f.match(/^p(\d+)-(base|head)-r(\d+)/);
  return [Number(p), Number(r), side === 'base' ? 0 : 1];
};
files.sort((a, b) => {
  const [x, y] = [key(a), key(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
});
const value = (j, re) => j.rows.find((r) => re.test(r.metric))?.value ?? '';
const cols = [
  ['B main, worker', /per 1,000 events with the worker: B.s main/],
  ['all of B, worker', /per 1,000 events with the worker: all of B/],
  ['B frame worker', /per 1,000 events with the worker: B.s worker threads/],
  ['B V8 helpers, worker', /per 1,000 events with the worker: B.s V8/],
  ['A main, worker run (ms, whole catch-up)', /CPU of the catch-up with the worker: A.s main/],
  ['B main, inline', /per 1,000 events inline: B.s main/],
  ['all of B, inline', /per 1,000 events inline: all of B/],
];
console.log(
  `| run | commit | load (1 min) | ${cols.map(([n]) => `${n} (ms)`).join(' | ')} | catch-up, worker (events/s) | catch-up, inline | drain (events/s) | worker catch-up / drain |`,
);
console.log(`| ${Array(cols.length + 7).fill('---').join(' | ')} |`);
const sums = {};
for (const f of files) {
  const j = JSON.parse(fs.readFileSync(`${__dirname}/${f}`, 'utf8'));
  const c = j.rows.find((r) => /^catch-up of \d+ events console/.test(r.metric));
  const inline = j.rows.find((r) => /B preparing frames on its main thread/.test(r.metric));
  const side = `${f.match(/^(p\d+)-/)[1]} ${f.includes('-base-') ? 'base' : 'branch'} (${j.commit})`;
  const vals = cols.map(([, re]) => value(j, re));
  sums[side] ??= { n: 0, v: cols.map(() => 0) };
  sums[side].n += 1;
  vals.forEach((v, i) => (sums[side].v[i] += Number(v)));
  console.log(
    `| ${f.replace('.json', '')} | ${j.commit} | ${j.loadAverage1m.start} → ${j.loadAverage1m.end} | ${vals.join(' | ')} | ${c.value} | ${inline.value} | ${c.baseline.value} | ${(c.value / c.baseline.value).toFixed(2)} |`,
  );
}
console.log('');
for (const [side, s] of Object.entries(sums))
  console.log(
    `- ${side}, mean of ${s.n}: ${cols
      .map(([n], i) => `${n} ${(s.v[i] / s.n).toFixed(1)}${n.startsWith('A main') ? '' : ' ms per 1,000 events'}`)
      .join(', ')}`,
  );
