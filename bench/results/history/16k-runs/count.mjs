/**
 * node count.mjs [events] [pending]: what the sync engine's outbox count costs on a log of
 * `events` rows (~1 KB each, like incident events) with the last `pending` of them unsynced:
 * schema 12's count through the partial index events_outbox against schema 13's count of the
 * rowid range from the low-water mark. Both test each row against sync_quarantine, as the
 * store's outboxCount does. Five alternating rounds after a warm-up; milliseconds each.
 */
import Database from '/work/wt/issue-16k/node_modules/better-sqlite3/lib/index.js';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
const file = '/tmp/16k/count.sqlite';
const clean = () => { for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true }); };
clean();
const N = Number(process.argv[2] ?? 100000), PENDING = Number(process.argv[3] ?? 50000);
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream_id TEXT, payload TEXT, hlc TEXT, synced_at INTEGER, sig TEXT);
  CREATE TABLE sync_quarantine (event_id TEXT PRIMARY KEY);
  CREATE INDEX events_outbox ON events (seq) WHERE synced_at IS NULL;`);
const ins = db.prepare('INSERT INTO events (id, stream_id, payload, hlc, synced_at, sig) VALUES (?, ?, ?, ?, ?, ?)');
db.transaction(() => {
  for (let i = 0; i < N; i++)
    ins.run(`019ab000-0000-7000-8000-${String(i).padStart(12, '0')}`, `s${i}`, 'x'.repeat(700), String(i).padStart(59, '0'), i < N - PENDING ? 1 : null, 'y'.repeat(86));
})();
const from = N - PENDING + 1;
const viaIndex = db.prepare('SELECT count(*) AS n FROM events WHERE synced_at IS NULL AND seq <= ? AND id NOT IN (SELECT event_id FROM sync_quarantine)');
const fromMark = db.prepare('SELECT count(*) AS n FROM events NOT INDEXED WHERE synced_at IS NULL AND seq >= ? AND seq <= ? AND id NOT IN (SELECT event_id FROM sync_quarantine)');
const plan = (st, ...a) => db.prepare(`EXPLAIN QUERY PLAN ${st.source}`).all(...a).map((r) => r.detail).join('; ');
console.log(`${N} events, ${PENDING} pending; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`index (schema 12): ${plan(viaIndex, 1e15)}`);
console.log(`mark (schema 13):  ${plan(fromMark, from, 1e15)}`);
const time = (f) => { const t = performance.now(); const n = f(); return [n, performance.now() - t]; };
time(() => viaIndex.get(1e15).n); time(() => fromMark.get(from, 1e15).n);
for (let round = 1; round <= 5; round++) {
  const [a, ta] = time(() => viaIndex.get(1e15).n);
  const [b, tb] = time(() => fromMark.get(from, 1e15).n);
  console.log(`round ${round}: index ${a} in ${ta.toFixed(1)} ms, mark ${b} in ${tb.toFixed(1)} ms`);
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
db.close();
clean();
