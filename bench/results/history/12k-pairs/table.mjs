// node bench/results/history/12k-pairs/table.mjs: the table of docs/performance.md "round 12k" and
// the 12k note, from the mesh.json files the bench wrote in each run (pair.sh ran them, in the order
// of pairs.log, alternating a clone of the base aad1131 with clones of this branch's commits).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const order = [...readFileSync(join(here, 'pairs.log'), 'utf8').matchAll(/^== (\S+) /gm)].map((m) => m[1]);
const value = (rows, prefix) => rows.find((r) => r.metric.startsWith(prefix))?.value;
const lines = [
  '| run | commit | load (1 min) | B main, worker (ms) | µs / event | B main, inline (ms) | all of B, worker (ms) | catch-up events/s | drain events/s | catch-up / drain |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
const byLabel = new Map();
for (const label of order) {
  const file = join(here, `mesh-${label}.json`);
  if (!readdirSync(here).includes(`mesh-${label}.json`)) continue;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const catchUp = j.rows.find((r) => r.metric.startsWith('catch-up of') && r.metric.includes('over the mesh'));
  const events = Number(/catch-up of (\d+)/.exec(catchUp.metric)[1]);
  const main = value(j.rows, "CPU of the catch-up with the worker: B's main");
  const row = {
    main,
    perEvent: (main / events) * 1000,
    inline: value(j.rows, "CPU of the catch-up inline: B's main"),
    ratio: catchUp.value / catchUp.baseline.value,
  };
  byLabel.set(label, row);
  lines.push(
    `| ${label} | ${j.commit} | ${j.loadAverage1m.start} → ${j.loadAverage1m.end} | ${main} | ${((main / events) * 1000).toFixed(1)} | ${row.inline} | ${value(j.rows, "CPU of the catch-up with the worker: all of B")} | ${catchUp.value} | ${catchUp.baseline.value} | ${row.ratio.toFixed(2)} |`,
  );
}
console.log(lines.join('\n'));
const groups = {
  'base (aad1131), all': /^(f?base)/,
  'base, first four (beside head1)': /^base\d/,
  'head1 (53a094b)': /^head1/,
  'head2 (a20e7c2)': /^head2/,
  'head2, r5–8 (beside head3)': /^head2-r[5-8]$/,
  'head3 (a20e7c2 + cache_size)': /^head3/,
  'base, fbase-r1–4 (beside final)': /^fbase-r[1-4]$/,
  'final (195197d)': /^final-/,
  'base, fbase-r5–7 (beside final2)': /^fbase-r[5-7]$/,
  'final2 (25d3ddc)': /^final2/,
};
console.log();
for (const [name, re] of Object.entries(groups)) {
  const rows = [...byLabel].filter(([l]) => re.test(l)).map(([, r]) => r);
  if (rows.length === 0) continue;
  const mean = (k) => Math.round(rows.reduce((s, r) => s + r[k], 0) / rows.length);
  console.log(`- ${name}, ${rows.length} runs: B main ${mean('main')} ms (worker; ${(rows.reduce((s, r) => s + r.perEvent, 0) / rows.length).toFixed(1)} µs per event), ${mean('inline')} ms (inline); catch-up/drain ${rows.map((r) => r.ratio.toFixed(2)).join(', ')}`);
}
