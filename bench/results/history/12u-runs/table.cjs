// usage: node table.cjs [first] [last] [out.md] — one line per run of run.sh kept here (<side>-<n>.json, by turns),
// then each side's mean, written to table.md (or out.md) as well; runs numbered first..last only. Figures are read from the bench's JSON.
const fs = require('fs');
const path = require('path');
const here = __dirname;
const pick = (rows, start) => rows.find((r) => r.metric.startsWith(start));
const cols = [
  ['catch-up ev/s', (rows) => pick(rows, 'catch-up of ').value],
  ['drain ev/s', (rows) => pick(rows, 'catch-up of ').baseline.value],
  ['B main /1k', (rows) => pick(rows, "CPU per 1,000 events with the worker: B's main").value],
  ['all B /1k', (rows) => pick(rows, "CPU per 1,000 events with the worker: all").value],
  ['B worker /1k', (rows) => pick(rows, "CPU per 1,000 events with the worker: B's worker").value],
  ['B V8 helpers /1k', (rows) => pick(rows, "CPU per 1,000 events with the worker: B's V8").value],
  ['inline: B main /1k', (rows) => pick(rows, "CPU per 1,000 events inline: B's main").value],
  ['inline: all B /1k', (rows) => pick(rows, 'CPU per 1,000 events inline: all').value],
];
// B's transactions of the worker run, from the timeline's summary (<label>.timeline.txt).
const transactions = (f) => {
  const t = path.join(here, f.replace('.json', '.timeline.txt'));
  const m = fs.existsSync(t) && fs.readFileSync(t, 'utf8').match(/B's transactions \(≥ 100 events\): (\d+), [\d.]+ ms wall, ([\d.]+) ms CPU/);
  return m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
};
cols.push(["B's transactions", (_rows, f) => transactions(f)[0]], ["their CPU ms", (_rows, f) => transactions(f)[1]]);
const [first = 1, last = Infinity] = process.argv.slice(2, 4).map(Number);
const outFile = process.argv[4] ?? 'table.md';
const files = fs
  .readdirSync(here)
  .filter((f) => /^(base|head)-\d+\.json$/.test(f))
  .filter((f) => Number(f.split(/[-.]/)[1]) >= first && Number(f.split(/[-.]/)[1]) <= last);
files.sort((a, b) => Number(a.split(/[-.]/)[1]) - Number(b.split(/[-.]/)[1]) || a.localeCompare(b));
const out = [`| run | load at start | ${cols.map((c) => c[0]).join(' | ')} |`, `|${'---|'.repeat(cols.length + 2)}`];
const sums = {};
for (const f of files) {
  const rows = JSON.parse(fs.readFileSync(path.join(here, f), 'utf8')).rows;
  const load = (fs.readFileSync(path.join(here, f.replace('.json', '.load')), 'utf8').match(/load average: ([\d.]+)/) || [])[1];
  const values = cols.map((c) => c[1](rows, f));
  const side = f.split('-')[0];
  (sums[side] ??= []).push(values);
  const commit = fs.readFileSync(path.join(here, f.replace('.json', '.load')), 'utf8').split(' ')[2];
  out.push(`| ${f.replace('.json', '')} ${commit} | ${load} | ${values.join(' | ')} |`);
}
for (const [side, runs] of Object.entries(sums)) {
  const mean = cols.map((_, i) => (runs.reduce((a, r) => a + r[i], 0) / runs.length).toFixed(1));
  out.push(`| **${side}: mean of ${runs.length}** | | ${mean.join(' | ')} |`);
}
// Pairs (base-n against head-n): in how many the head's figure was lower.
const byRun = {};
for (const f of files) (byRun[f.split(/[-.]/)[1]] ??= {})[f.split('-')[0]] = cols.map((c) => c[1](JSON.parse(fs.readFileSync(path.join(here, f), 'utf8')).rows, f));
const pairs = Object.values(byRun).filter((p) => p.base && p.head);
const lower = cols.map((_, i) => pairs.filter((p) => p.head[i] < p.base[i]).length);
out.push(`| **head lower in, of ${pairs.length} pairs** | | ${lower.join(' | ')} |`);
fs.writeFileSync(path.join(here, outFile), out.join('\n') + '\n');
console.log(out.join('\n'));
