import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkInsert, bulkInsertCount, type BulkInsert } from '../../../src-tracker/db/bulk-insert.ts';
import { withStatementCache } from '../../../src-tracker/db/statement-cache.ts';

type Column = 'id' | 'facility' | 'body' | 'received_at';
const SPEC: BulkInsert<Column> = {
  table: 'rows',
  columns: ['id', 'facility', 'body', 'received_at'],
  tail: 'ON CONFLICT (id) DO NOTHING',
  shared: ['facility', 'received_at'],
};

let raw: Database.Database;
let db: Kysely<unknown>;

beforeEach(() => {
  raw = new Database(':memory:');
  raw.exec('CREATE TABLE rows (id TEXT PRIMARY KEY, facility TEXT NOT NULL, body TEXT, received_at INTEGER NOT NULL)');
  db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
});

afterEach(async () => {
  await db.destroy();
});

const stored = () => raw.prepare('SELECT id, facility, body, received_at FROM rows ORDER BY id').all();

describe('bulk insert with columns bound once per statement (SQLite)', () => {
  it('stores each row with its own values and the shared ones, through the statement cache', async () => {
    const rows = [
      { id: 'a', facility: 'Kumla', body: 'första', received_at: 1_800_000_000_000 },
      { id: 'b', facility: 'Kumla', body: null, received_at: 1_800_000_000_000 },
      { id: 'c', facility: 'Kumla', body: 'tredje', received_at: 1_800_000_000_000 },
    ];
    expect(await bulkInsertCount(db, SPEC, rows)).toBe(3);
    // The same statement again (cached), another push's shared values; a stored id is skipped.
    const next = [
      { id: 'c', facility: 'Hall', body: 'igen', received_at: 1_900_000_000_000 },
      { id: 'd', facility: 'Hall', body: 'fjärde', received_at: 1_900_000_000_000 },
      { id: 'e', facility: 'Hall', body: 'femte', received_at: 1_900_000_000_000 },
    ];
    expect(await bulkInsertCount(db, SPEC, next)).toBe(2);
    expect(stored()).toEqual([...rows, next[1], next[2]]);
    // RETURNING through the same path hands back rows.
    const returned = await bulkInsert<Column, { id: string }>(
      db,
      { ...SPEC, tail: 'ON CONFLICT (id) DO NOTHING RETURNING id' },
      [{ id: 'f', facility: 'Hall', body: null, received_at: 1 }],
    );
    expect(returned).toEqual([{ id: 'f' }]);
  });

  it('refuses rows that differ in a shared column, storing none of them', async () => {
    const rows = [
      { id: 'a', facility: 'Kumla', body: 'x', received_at: 1 },
      { id: 'b', facility: 'Hall', body: 'y', received_at: 1 },
    ];
    await expect(bulkInsertCount(db, SPEC, rows)).rejects.toThrow('rows.facility differs between rows');
    expect(stored()).toEqual([]);
  });
});
