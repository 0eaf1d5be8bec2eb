/**
 * Round 12w: the event row's INSERT bound from one array (`run(parameters)`, as the append did)
 * against the same values as arguments (`run(...parameters)`), and against one JSON array per
 * 1,000 rows (`INSERT … SELECT … FROM json_each(?)`): the receive bench's 21,670-event backlog as
 * rows of the events table (its columns and indexes as in schema 13), 1,000 rows a transaction,
 * WAL and synchronous=FULL, main-thread CPU per variant, the variants in turns.
 * Run from the worktree: node bench/results/history/12w-runs/insert-args.ts [rounds]
 */
import Database from 'better-sqlite3';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { offlineBacklog } from '../../../../test/bench/sync/offline-events.ts';

const rounds = Number(process.argv[2] ?? 5);
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
const rows = backlog.events.map((e, i) => [
  e.id, e.streamId, e.type, JSON.stringify(e.payload), e.actor, e.deviceId, e.deviceTime, e.hlc,
  hex(`p${i}`), hex(`h${i}`), Date.now(), null, null, e.deviceSeq ?? null, e.sig ?? null, e.prev ?? null, hex(`a${i}`),
]);
const COLS = ['id', 'stream_id', 'type', 'payload', 'actor', 'device_id', 'device_time', 'hlc', 'prev_hash', 'hash',
  'received_at', 'synced_at', 'server_seq', 'device_seq', 'sig', 'prev', 'author_hash'];
const dir = mkdtempSync(join(tmpdir(), 'insert-args-'));
type Mode = 'array' | 'spread' | 'json_each';
function run(mode: Mode): { ms: number; check: string } {
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
  const many = db.prepare(
    `INSERT INTO events (${COLS.join(',')}) SELECT ${COLS.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`,
  );
  const t0 = process.threadCpuUsage();
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000);
    db.transaction(() => {
      if (mode === 'array') for (const r of batch) one.run(r);
      else if (mode === 'spread') for (const r of batch) one.run(...r);
      else many.run(JSON.stringify(batch));
    })();
  }
  const u = process.threadCpuUsage(t0);
  const check = JSON.stringify(db.prepare('SELECT count(*) n, sum(length(payload)) p, sum(device_time) t FROM events').get());
  db.close();
  return { ms: (u.user + u.system) / 1000, check };
}
const modes: Mode[] = ['array', 'spread', 'json_each'];
const ms = new Map<Mode, number[]>(modes.map((m) => [m, []]));
console.log(`${rows.length} rows, 1,000 a transaction, ${rounds} rounds after a warm-up; load ${loadavg()[0]!.toFixed(2)}`);
for (const m of modes) run(m);
for (let r = 1; r <= rounds; r++) {
  const line = modes.map((m) => {
    const { ms: t, check } = run(m);
    ms.get(m)!.push(t);
    return `${m} ${t.toFixed(0)} ms (${check})`;
  });
  console.log(`round ${r}: ${line.join(', ')}; load ${loadavg()[0]!.toFixed(2)}`);
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const base = median(ms.get('array')!);
for (const m of modes) {
  const med = median(ms.get(m)!);
  console.log(`median ${m}: ${med.toFixed(0)} ms, ${((med / rows.length) * 1000).toFixed(2)} us a row, ${(((med - base) / base) * 100).toFixed(1)} % against array`);
}
rmSync(dir, { recursive: true, force: true });
