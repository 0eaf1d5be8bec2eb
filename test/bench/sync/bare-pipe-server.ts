/**
 * Baseline B, the server half: the least an HTTP + SQLite ingest can do. JSON in,
 * one transaction per POST inserting each event as a row (same columns as the
 * tracker's events table, id unique, WAL + synchronous=FULL like the tracker), a
 * count back. No validation, no auth, no idempotency report, no projections.
 *
 * usage: node bare-pipe-server.ts <sqlite file>
 */
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

const file = process.argv[2];
if (!file) throw new Error('usage: bare-pipe-server.ts <sqlite file>');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`CREATE TABLE IF NOT EXISTS events (
  server_seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, facility TEXT NOT NULL,
  stream_id TEXT NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, actor TEXT NOT NULL, device_id TEXT NOT NULL,
  device_time INTEGER NOT NULL, hlc TEXT NOT NULL, received_at INTEGER NOT NULL, pushed_by TEXT NOT NULL)`);
const insert = db.prepare(
  `INSERT OR IGNORE INTO events (id, facility, stream_id, type, payload, actor, device_id, device_time, hlc,
     received_at, pushed_by) VALUES (?, 'bench', ?, ?, ?, ?, ?, ?, ?, ?, 'bench')`,
);
interface WireEvent {
  id: string;
  streamId: string;
  type: string;
  payload: unknown;
  actor: string;
  deviceId: string;
  deviceTime: number;
  hlc: string;
}
const store = db.transaction((events: WireEvent[], now: number) => {
  for (const e of events) {
    insert.run(e.id, e.streamId, e.type, JSON.stringify(e.payload), e.actor, e.deviceId, e.deviceTime, e.hlc, now);
  }
});

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const { events } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: WireEvent[] };
    store(events, Date.now());
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ stored: events.length }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  process.stdout.write(`READY http://127.0.0.1:${address.port}\n`);
});
