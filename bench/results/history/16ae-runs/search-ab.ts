// Diagnostic (round 16aa, copied unchanged but for this line and the path below in round 16ae): the same searches on several copies of a console's file, measured in
// one process, the files taken in turn for each repetition, so the machine's load falls on all
// alike. Prints per file its index's segments per level and tombstones (deleted rows still in
// the index), and per query the median time of the repetitions and the rows found.
//   node bench/results/history/16ae-runs/search-ab.ts <label>=<file> ...   (REPS=31)
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { ftsShape } from '../../../../test/support/fts5.ts';

const files = process.argv.slice(2).map((a) => {
  const [label, file] = a.split('=') as [string, string];
  return { label, db: new Database(file, { readonly: true }) };
});
const reps = Number(process.env.REPS ?? 31);
const searches = ['larm', 'brand', 'hot', 'matsal', 'rök', 'vaktrum dörr', '"telefon kamera"', 'trunk OR kamera'];
console.log(`# ${new Date().toISOString()} load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${reps} repetitions`);
for (const f of files) {
  const shape = ftsShape(f.db);
  const segs = shape.levels.flatMap((l) => l.segments);
  console.log(
    `${f.label}: segments per level ${shape.levels.map((l) => l.segments.length).join(' ')}; tombstones ${segs.reduce((n, s) => n + s.tombstones, 0)}`,
  );
}
const times = new Map<string, number[]>();
const rows = new Map<string, number>();
const statements = files.map((f) =>
  f.db.prepare<[string], number>('SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ? ORDER BY rowid').pluck(),
);
for (let r = 0; r < reps; r++)
  for (const q of searches)
    files.forEach((f, i) => {
      const t = performance.now();
      const n = statements[i]!.all(q).length;
      const ms = performance.now() - t;
      const key = `${f.label}\t${q}`;
      if (r > 0) (times.get(key) ?? times.set(key, []).get(key)!).push(ms);
      rows.set(key, n);
    });
for (const q of searches)
  console.log(
    `${q}: ` +
      files
        .map((f) => {
          const key = `${f.label}\t${q}`;
          const ms = times.get(key)!.sort((a, b) => a - b);
          return `${f.label} ${ms[Math.floor(ms.length / 2)]!.toFixed(2)} ms (${rows.get(key)} rows)`;
        })
        .join(', '),
  );
