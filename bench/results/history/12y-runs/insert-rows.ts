/**
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
 * Run from the worktree: node bench/results/history/12y-runs/insert-rows.ts [rounds] [batch]
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
type Mode = 'row' | `k${number}` | `f${number}`;
// `f` modes: the chunks' flat parameter arrays laid out before the clock starts, as `row` mode's
// per-row arrays are (the append would fill one flat array in place of its per-row one).
const flats = new Map<number, unknown[][]>();
function flatChunks(K: number): unknown[][] {
  let out = flats.get(K);
  if (out) return out;
  out = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    let at = 0;
    while (at < batch.length) {
      let n = K;
      while (n > batch.length - at) n >>= 1;
      out.push(batch.slice(at, at + n).flat());
      at += n;
    }
  }
  flats.set(K, out);
  return out;
}
function run(mode: Mode): { ms: number; dump: string } {
  const file = join(dir, 'e.sqlite');
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL, type TEXT NOT NULL,
      payload TEXT NOT NULL, actor TEXT NOT NULL, device_id TEXT NOT NULL, device_time INTEGER NOT NULL, hlc TEXT NOT NULL,
      prev_hash TEXT NOT NULL, hash TEXT NOT NULL, received_at INTEGER NOT NULL, synced_at INTEGER, server_seq INTEGER,
      device_seq INTEGER, sig TEXT, prev TEXT, author_hash TEXT);
    CREATE INDEX events_by_stream ON events (stream_id, hlc);
    CREATE INDEX events_by_author ON events (device_id, device_seq) WHERE device_seq IS NOT NULL;`);
  const one = db.prepare(`INSERT INTO events (${COLS.join(',')}) VALUES (${COLS.map(() => '?').join(',')})`);
  const K = mode === 'row' ? 1 : Number(mode.slice(1));
  const pre = mode.startsWith('f') ? flatChunks(K) : null;
  let chunk = 0;
  const stmts = new Map<number, Database.Statement>();
  const stmt = (n: number) => {
    let s = stmts.get(n);
    if (!s) {
      const v = `(${COLS.map(() => '?').join(',')})`;
      s = db.prepare(`INSERT INTO events (${COLS.join(',')}) VALUES ${Array(n).fill(v).join(',')}`);
      stmts.set(n, s);
    }
    return s;
  };
  const seqs: number[] = [];
  const flat: unknown[] = [];
  const t0 = process.threadCpuUsage();
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    db.transaction(() => {
      if (K === 1) {
        for (const r of batch) seqs.push(Number(one.run(...r).lastInsertRowid));
        return;
      }
      let at = 0;
      while (at < batch.length) {
        let n = K;
        while (n > batch.length - at) n >>= 1;
        let args: unknown[];
        if (pre) args = pre[chunk++]!;
        else {
          flat.length = 0;
          for (let j = at; j < at + n; j++) for (let c = 0; c < W; c++) flat.push(batch[j]![c]);
          args = flat;
        }
        const last = Number((n === 1 ? one : stmt(n)).run(...args).lastInsertRowid);
        for (let j = 0; j < n; j++) seqs.push(last - n + 1 + j);
        at += n;
      }
    })();
  }
  const u = process.threadCpuUsage(t0);
  const dump = createHash('sha256')
    .update(JSON.stringify(db.prepare('SELECT * FROM events ORDER BY seq').raw().all()))
    .update(JSON.stringify(seqs))
    .digest('hex');
  db.close();
  return { ms: (u.user + u.system) / 1000, dump };
}
const modes: Mode[] = ['row', 'k16', 'k32', 'k64', 'k128', 'f16', 'f64', 'f128'];
const ms = new Map<Mode, number[]>(modes.map((m) => [m, []]));
console.log(`${rows.length} rows, ${BATCH} a transaction, ${rounds} rounds after a warm-up; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const reference = run('row').dump;
for (const m of modes) if (run(m).dump !== reference) throw new Error(`${m}: rows or seqs differ from one per row`);
console.log(`every variant's rows (every column, seq order) and seqs equal one per row's: ${reference.slice(0, 16)}`);
for (let r = 1; r <= rounds; r++) {
  const line = modes.map((m) => {
    const { ms: t, dump } = run(m);
    if (dump !== reference) throw new Error(`${m}: rows differ`);
    ms.get(m)!.push(t);
    return `${m} ${t.toFixed(0)} ms`;
  });
  console.log(`round ${r}: ${line.join(', ')}; load ${loadavg()[0]!.toFixed(2)}`);
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const base = median(ms.get('row')!);
for (const m of modes) {
  const med = median(ms.get(m)!);
  console.log(`median ${m}: ${med.toFixed(0)} ms, ${((med / rows.length) * 1000).toFixed(2)} us a row, ${(((med - base) / base) * 100).toFixed(1)} % against one per row`);
}
rmSync(dir, { recursive: true, force: true });
