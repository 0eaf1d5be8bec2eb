// node table.cjs [prefix]: one line per catch-up run kept here (<label>.json, .waits.txt, .load),
// in the order run: catch-up and drain events/s, B's CPU per 1,000 events, the waits for room in
// the WAL (waits.cjs), and the 1-minute load at the start; then totals per side (base/head).
const fs = require('node:fs');
const prefix = process.argv[2] ?? '';
const labels = fs
  .readdirSync(__dirname)
  .filter((f) => f.startsWith(prefix) && f.endsWith('.waits.txt'))
  .map((f) => f.replace(/\.waits\.txt$/, ''))
  .sort((a, b) => fs.statSync(`${__dirname}/${a}.json`).mtimeMs - fs.statSync(`${__dirname}/${b}.json`).mtimeMs);
const sides = {};
console.log('| run | commit | load 1m | catch-up events/s | drain events/s | B main ms/1,000 | all of B ms/1,000 | waits | ms in waits |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const label of labels) {
  const json = JSON.parse(fs.readFileSync(`${__dirname}/${label}.json`, 'utf8'));
  const row = (m) => json.rows.find((r) => r.metric === m);
  const catchUp = json.rows.find((r) => r.metric.startsWith('catch-up of') && r.baseline?.name.startsWith('console → tracker'));
  const main = row("CPU per 1,000 events with the worker: B's main thread")?.value;
  const all = row("CPU per 1,000 events with the worker: all of B's threads")?.value;
  const w = /waits for room in the WAL: (\d+), ([\d.]+) ms/.exec(fs.readFileSync(`${__dirname}/${label}.waits.txt`, 'utf8'));
  const side = label.split('-').at(-1);
  const commit = fs.readFileSync(`${__dirname}/${label}.load`, 'utf8').split(' ')[2];
  const load = json.loadAverage1m;
  const loads = typeof load === 'object' ? Object.values(load).join('–') : load;
  const s = (sides[side] ??= { runs: 0, waits: 0, ms: 0, main: 0, all: 0 });
  s.runs += 1;
  s.waits += Number(w[1]);
  s.ms += Number(w[2]);
  s.main += main;
  s.all += all;
  console.log(`| ${label} | ${commit} | ${loads} | ${catchUp.value} | ${catchUp.baseline.value} | ${main} | ${all} | ${w[1]} | ${w[2]} |`);
}
console.log('');
for (const [side, s] of Object.entries(sides))
  console.log(`${side}: ${s.runs} runs, ${s.waits} waits, ${s.ms.toFixed(1)} ms in them; mean B main ${(s.main / s.runs).toFixed(1)}, all of B ${(s.all / s.runs).toFixed(1)} ms per 1,000 events`);
