// The per-change table of docs/performance.md "The frame worker's hand-off, round 12l": each
// commit of the round in turn, two rounds (series.sh; GUARDLINE_MESH_BENCH=catch-up npm run
// bench mesh in a copy of each commit, the early ones given this branch's mesh.bench.ts).
// Per 1,000 received events. Run in this directory: node series.cjs > series.md
const fs = require('fs');
const order = ['base2', 'e013fa0b', '9fd32fa', '3b2fa1b', 'dd34e23', '32ba1ae'];
const files = fs
  .readdirSync(__dirname)
  .filter((f) => /^s\d+-[0-9a-z]+\.json$/.test(f))
  .sort((a, b) => {
    const [, ra, ca] = a.match(/^s(\d+)-([0-9a-z]+)\.json$/);
    const [, rb, cb] = b.match(/^s(\d+)-([0-9a-z]+)\.json$/);
    return Number(ra) - Number(rb) || order.indexOf(ca) - order.indexOf(cb);
  });
const value = (j, re) => j.rows.find((r) => re.test(r.metric))?.value ?? '';
const cols = [
  ['B main, worker', /per 1,000 events with the worker: B.s main/],
  ['all of B, worker', /per 1,000 events with the worker: all of B/],
  ['B frame worker', /per 1,000 events with the worker: B.s worker threads/],
  ['B V8 helpers, worker', /per 1,000 events with the worker: B.s V8/],
  ['B main, inline', /per 1,000 events inline: B.s main/],
  ['all of B, inline', /per 1,000 events inline: all of B/],
];
console.log(
  `| run | code | load (1 min) | ${cols.map(([n]) => `${n} (ms)`).join(' | ')} | catch-up, worker (events/s) | drain (events/s) | worker catch-up / drain |`,
);
console.log(`| ${Array(cols.length + 6).fill('---').join(' | ')} |`);
const sums = {};
for (const f of files) {
  const j = JSON.parse(fs.readFileSync(`${__dirname}/${f}`, 'utf8'));
  const code = f.match(/^s\d+-([0-9a-z]+)\.json$/)[1];
  const c = j.rows.find((r) => /^catch-up of \d+ events console/.test(r.metric));
  const vals = cols.map(([, re]) => value(j, re));
  sums[code] ??= { n: 0, v: cols.map(() => 0) };
  sums[code].n += 1;
  vals.forEach((v, i) => (sums[code].v[i] += Number(v)));
  console.log(
    `| ${f.replace('.json', '')} | ${code} (${j.commit}) | ${j.loadAverage1m.start} → ${j.loadAverage1m.end} | ${vals.join(' | ')} | ${c.value} | ${c.baseline.value} | ${(c.value / c.baseline.value).toFixed(2)} |`,
  );
}
console.log('');
for (const code of order)
  if (sums[code])
    console.log(
      `- ${code}, mean of ${sums[code].n}: ${cols.map(([n], i) => `${n} ${(sums[code].v[i] / sums[code].n).toFixed(1)}`).join(', ')} ms per 1,000 events`,
    );
