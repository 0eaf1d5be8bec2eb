// Whether one multi-row INSERT per chunk costs the receiver less main-thread CPU than one run per
// event (issue 12j, lever 4): 20,000 rows shaped like the events table (17 columns, a unique id,
// three indexes) in one transaction, chunks of 1, 10, 20 and 50. Run: node test/bench/multirow-insert.mjs
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
const cols = [
  'id',
  'stream_id',
  'type',
  'payload',
  'actor',
  'device_id',
  'device_time',
  'hlc',
  'prev_hash',
  'hash',
  'received_at',
  'synced_at',
  'server_seq',
  'device_seq',
  'sig',
  'prev',
  'author_hash',
];
function mk() {
  const db = new Database(':memory:');
  db.exec(
    `CREATE TABLE events (seq INTEGER PRIMARY KEY, ${cols.map((c) => c + ' ANY').join(',')}, UNIQUE(id)); CREATE INDEX a ON events(stream_id,hlc); CREATE INDEX b ON events(hlc); CREATE INDEX c ON events(device_id, device_seq);`,
  );
  return db;
}
const rows = Array.from({ length: 20000 }, (_, i) =>
  cols.map((c) =>
    c === 'device_time' || c === 'device_seq' || c === 'received_at'
      ? i
      : c === 'payload'
        ? JSON.stringify({ title: 'x'.repeat(200), i })
        : c === 'id'
          ? randomUUID()
          : c === 'stream_id'
            ? 's' + (i % 2000)
            : c === 'hlc'
              ? String(1e12 + i).padStart(15, '0') + '-000001-' + randomUUID()
              : 'v' + 'y'.repeat(40),
  ),
);
for (const chunk of [1, 1, 10, 20, 50, 1, 10, 50]) {
  const db = mk();
  const one = db.prepare(`INSERT INTO events (${cols}) VALUES (${cols.map(() => '?')})`);
  const multi = new Map();
  const t = process.threadCpuUsage();
  db.transaction(() => {
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      if (chunk === 1) {
        one.run(part[0]);
        continue;
      }
      let s = multi.get(part.length);
      if (!s) {
        s = db.prepare(`INSERT INTO events (${cols}) VALUES ${part.map(() => `(${cols.map(() => '?')})`)}`);
        multi.set(part.length, s);
      }
      s.run(part.flat());
    }
  })();
  const u = process.threadCpuUsage(t);
  console.log(chunk, ((u.user + u.system) / 1000).toFixed(0), 'ms');
}
