/**
 * Measures what encrypting the console's SQLite file at rest would cost, for the decision
 * in docs/data-protection.md. Compares the driver Guardline uses (better-sqlite3) with
 * better-sqlite3-multiple-ciphers, plain and keyed (its default ChaCha20-Poly1305 and
 * SQLCipher 4 compatibility), under the store's own settings (WAL, synchronous=FULL).
 *
 * Not part of the app or CI: the cipher driver is not a dependency. To rerun:
 *   npm install --no-save better-sqlite3-multiple-ciphers@13
 *   node scripts/eval-db-encryption.ts [commits=2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
type Db = {
  pragma(text: string, options?: { simple: boolean }): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...args: unknown[]): unknown; all(...args: unknown[]): unknown[] };
  transaction<T extends (...args: never[]) => unknown>(fn: T): T;
  close(): void;
};
type Driver = new (file: string) => Db;

const commits = Number(process.argv[2] ?? 2000);
const bulk = 20_000;
const payload = JSON.stringify({ title: 'Hot mot personal vid matsalen', description: 'x'.repeat(500) });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function measure(name: string, Driver: Driver, key: (db: Db) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-cipher-'));
  try {
    const db = new Driver(join(dir, 'store.sqlite'));
    key(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, stream_id TEXT, payload TEXT, hash TEXT);
             CREATE INDEX events_by_stream ON events (stream_id);`);
    const insert = db.prepare('INSERT INTO events (id, stream_id, payload, hash) VALUES (?, ?, ?, ?)');
    // One durable command per commit, as an incident command is.
    const times: number[] = [];
    for (let i = 0; i < commits; i++) {
      const start = process.hrtime.bigint();
      db.transaction(() => insert.run(`c-${i}`, `s-${i % 50}`, payload, 'h'.repeat(64)))();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    // A sync pull: many events in one transaction.
    let start = process.hrtime.bigint();
    db.transaction(() => {
      for (let i = 0; i < bulk; i++) insert.run(`b-${i}`, `s-${i % 500}`, payload, 'h'.repeat(64));
    })();
    const bulkMs = Number(process.hrtime.bigint() - start) / 1e6;
    // A cold-ish read of a stream (incidents.get), repeated.
    const read = db.prepare('SELECT * FROM events WHERE stream_id = ?');
    start = process.hrtime.bigint();
    for (let i = 0; i < 2000; i++) read.all(`s-${i % 500}`);
    const readMs = Number(process.hrtime.bigint() - start) / 1e6 / 2000;
    db.close();
    return {
      name,
      commitP50Ms: +percentile(times, 50).toFixed(3),
      commitP99Ms: +percentile(times, 99).toFixed(3),
      bulkEventsPerS: Math.round(bulk / (bulkMs / 1000)),
      streamReadMs: +readMs.toFixed(3),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const plain = require('better-sqlite3') as Driver;
const ciphers = require('better-sqlite3-multiple-ciphers') as Driver;
const noKey = () => undefined;
const rows = [
  measure('better-sqlite3 13 (current)', plain, noKey),
  measure('multiple-ciphers, no key', ciphers, noKey),
  measure('multiple-ciphers, ChaCha20-Poly1305 (default)', ciphers, (db) => db.pragma(`key = 'guardline-eval'`)),
  measure('multiple-ciphers, SQLCipher 4 (AES-256-CBC, HMAC-SHA512)', ciphers, (db) => {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = 'guardline-eval'`);
  }),
];
console.table(rows);
console.log(JSON.stringify(rows));
