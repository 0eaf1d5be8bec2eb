// How many pages a one-row commit writes into an index b-tree whose keys only grow, by key width.
// Run from the worktree: node bench/results/history/16h-runs/index-split.mjs
import Database from '/work/wt/issue-16h/node_modules/better-sqlite3/lib/index.js';
import { mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const dir = mkdtempSync(join(tmpdir(), 'idx-split-'));
for (const width of [8, 36, 66, 100]) {
  for (const indexed of [false, true]) {
    const file = join(dir, `w${width}-${indexed}.sqlite`);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL)');
    if (indexed) db.exec('CREATE INDEX t_k ON t (k)');
    const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run(String(i).padStart(width, '0')); // warm-up
    const before = statSync(file + '-wal').size;
    const N = 3000;
    for (let i = 200; i < 200 + N; i++) insert.run(String(i).padStart(width, '0'));
    const frames = (statSync(file + '-wal').size - before) / (4096 + 24);
    console.log(`key ${width} chars, ${indexed ? 'with' : 'without'} index: ${(frames / N).toFixed(2)} pages per one-row commit`);
    db.close();
  }
}
