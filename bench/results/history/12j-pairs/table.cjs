// The paired-run tables of docs/performance.md "The receiver's projections, round 12j", from the
// bench JSON files here (mesh and receive) and the load averages their .log files printed.
// Run in this directory: node table.cjs > table.md
const fs = require('fs');
const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const value = (j, re) => j.rows.find((r) => re.test(r.metric)).value;
const load = (f) => {
  const lines = fs.readFileSync(f.replace(/\.json$/, '.log'), 'utf8').split('\n').filter(Boolean);
  const la = (l) => (l.match(/load average: ([0-9.]+)/) || [])[1];
  return `${la(lines[0])} → ${la(lines.at(-1))}`;
};
const W = /worker: B.s main/;
const I = /inline: B.s main/;
const mesh = (t, r) => `12j-${t}-r${r}.json`;
console.log('| run | load (1 min) | B main, worker (ms) | B main, inline (ms) | all of B, worker (ms) | catch-up events/s | drain events/s | catch-up / drain |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
const groups = [
  ['base', [4, 5, 6, 7]], ['head', [4, 5, 6, 7]], ['base', [8, 9, 10, 11]], ['head2', [8, 9, 10, 11]],
];
for (const [t, rs] of groups) for (const r of rs) {
  const f = mesh(t, r); const j = read(f); const c = j.rows[0];
  console.log(`| ${t} r${r} (${j.commit}) | ${load(f)} | ${value(j, W)} | ${value(j, I)} | ${value(j, /worker: all of B/)} | ${c.value} | ${c.baseline.value} | ${(c.value / c.baseline.value).toFixed(2)} |`);
}
console.log('');
const mean = (t, rs, re) => (rs.map((r) => value(read(mesh(t, r)), re)).reduce((a, b) => a + b, 0) / rs.length).toFixed(0);
for (const [t, rs] of groups) console.log(`- ${t} r${rs[0]}–r${rs.at(-1)}: B's main thread, mean ${mean(t, rs, W)} ms (worker), ${mean(t, rs, I)} ms (inline)`);
console.log('');
console.log('| run | load (1 min) | CPU, 500 a transaction (ms) | CPU, 1,000 | CPU, 2,000 |');
console.log('| --- | --- | --- | --- | --- |');
for (const [t, r] of [['base', 1], ['head', 1], ['base', 2], ['head', 2], ['base', 3], ['head2', 3], ['base', 4], ['head2', 4]]) {
  const f = `12j-recv-${t}-r${r}.json`; const j = read(f);
  const cpu = (n) => value(j, new RegExp(`batches of ${n}: main-thread CPU`));
  console.log(`| ${t} r${r} (${j.commit}) | ${load(f)} | ${cpu(500)} | ${cpu(1000)} | ${cpu(2000)} |`);
}
