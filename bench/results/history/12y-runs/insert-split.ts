/**
 * Round 12y, what one event row's INSERT costs, split: the same per-row `run(...row)` as the
 * append (1) into the events table as in schema 14, (2) without its two secondary indexes (id
 * UNIQUE kept), (3) without any index (no UNIQUE on id), (4) a statement binding the same 17
 * values that inserts nothing (`INSERT … SELECT ?,… WHERE 0`: better-sqlite3's call and the
 * binding alone), (5) the same call with the 17 values as numbers 0 (the call without the
 * strings' binding). Below: the original header of insert-rows.ts, whose backlog this reuses.
 *
 * Round 12y: the event rows of a received batch inserted one statement per row (`run(...row)`,
 * the append's way since 12w) against one multi-row INSERT … VALUES (…),(…) per chunk of K rows
 * (K = 16/32/64/128, statements prepared once per row count, the remainder in power-of-two
 * chunks), the seqs taken from the last rowid: the receive bench's 21,670-event backlog as rows
 * of the events table (its columns and indexes as in schema 14: id UNIQUE, events_by_stream,
 * events_by_author), BATCH rows a transaction, WAL and synchronous=FULL, main-thread CPU per
 * variant, the variants in turns. Every variant's table is compared column for column with the
 * per-row one's.
 * `kK` copies each chunk's values into one flat array in the clock (as the append would);
 * `fK` has them laid out before it, as `row` has its per-row arrays.
 * Run from the worktree: node bench/results/history/12y-runs/insert-split.ts [rounds] [batch]
 */
import Database from 'better-sqlite3';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { offlineBacklog } from '../../../../test/bench/sync/offline-events.ts';

const rounds = Number(process.argv[2] ?? 5);
const BATCH = Number(process.argv[3] ?? 500);
const backlog = offlineBacklog({
  count: 20_000,
  deviceId: '01939b00-0000-7000-8000-00000000b0b0',
  facility: 'Märsta',
  unit: 'Avdelning B',
  actor: 'v1234',
  startMs: Date.now() - 20_000,
  signed: true,
  escalations: true,
});
const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const now = Date.now();
const rows = backlog.events.map((e, i) => [
  e.id, e.streamId, e.type, JSON.stringify(e.payload), e.actor, e.deviceId, e.deviceTime, e.hlc,
  hex(`p${i}`), hex(`h${i}`), now, null, null, e.deviceSeq ?? null, e.sig ?? null, e.prev ?? null, hex(`a${i}`),
]);
const COLS = ['id', 'stream_id', 'type', 'payload', 'actor', 'device_id', 'device_time', 'hlc', 'prev_hash', 'hash',
  'received_at', 'synced_at', 'server_seq', 'device_seq', 'sig', 'prev', 'author_hash'];
const W = COLS.length;
const dir = mkdtempSync(join(tmpdir(), 'insert-rows-'));
type Mode = 'full' | 'no-secondary' | 'no-index' | 'bind-only' | 'call-only';
const zeros = COLS.map(() => 0);
function run(mode: Mode): { ms: number; n: number } {
  const file = join(dir, 'e.sqlite');
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL ${mode === 'no-index' ? '' : 'UNIQUE'}, stream_id TEXT NOT NULL, type TEXT NOT NULL,
      payload TEXT NOT NULL, actor TEXT NOT NULL, device_id TEXT NOT NULL, device_time INTEGER NOT NULL, hlc TEXT NOT NULL,
      prev_hash TEXT NOT NULL, hash TEXT NOT NULL, received_at INTEGER NOT NULL, synced_at INTEGER, server_seq INTEGER,
      device_seq INTEGER, sig TEXT, prev TEXT, author_hash TEXT);`);
  if (mode === 'full')
    db.exec(`CREATE INDEX events_by_stream ON events (stream_id, hlc);
      CREATE INDEX events_by_author ON events (device_id, device_seq) WHERE device_seq IS NOT NULL;`);
  const one =
    mode === 'bind-only' || mode === 'call-only'
      ? db.prepare(`INSERT INTO events (${COLS.join(',')}) SELECT ${COLS.map(() => '?').join(',')} WHERE 0`)
      : db.prepare(`INSERT INTO events (${COLS.join(',')}) VALUES (${COLS.map(() => '?').join(',')})`);
  const t0 = process.threadCpuUsage();
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    db.transaction(() => {
      if (mode === 'call-only') for (let j = 0; j < batch.length; j++) one.run(...zeros);
      else for (const r of batch) one.run(...r);
    })();
  }
  const u = process.threadCpuUsage(t0);
  const n = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  db.close();
  return { ms: (u.user + u.system) / 1000, n };
}
const modes: Mode[] = ['full', 'no-secondary', 'no-index', 'bind-only', 'call-only'];
const ms = new Map<Mode, number[]>(modes.map((m) => [m, []]));
console.log(`${rows.length} rows, ${BATCH} a transaction, ${rounds} rounds after a warm-up; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const m of modes) run(m);
for (let r = 1; r <= rounds; r++) {
  const line = modes.map((m) => {
    const { ms: t, n } = run(m);
    ms.get(m)!.push(t);
    return `${m} ${t.toFixed(0)} ms (${n} rows)`;
  });
  console.log(`round ${r}: ${line.join(', ')}; load ${loadavg()[0]!.toFixed(2)}`);
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const m of modes) {
  const med = median(ms.get(m)!);
  console.log(`median ${m}: ${med.toFixed(0)} ms, ${((med / rows.length) * 1000).toFixed(2)} us a row`);
}
rmSync(dir, { recursive: true, force: true });
