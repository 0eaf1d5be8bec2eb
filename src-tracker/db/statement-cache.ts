/**
 * Kysely's SQLite driver prepares every query afresh. A full push runs the same
 * few statements (500-row inserts, IN-list reads, upserts) over and over, and
 * SQLite spends much of the work parsing those large statements, so prepared
 * statements are kept by SQL text and reused, least recently used evicted.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { SharedValues } from './bulk-insert.ts';

/**
 * Kysely hands a statement one array of parameters; a bulk insert's values bound once by name
 * (bulk-insert.ts `SharedValues`, last in that array) go to better-sqlite3 as its separate
 * named-parameter object.
 */
function bound(parameters: readonly unknown[]): unknown[] {
  const last = parameters.at(-1);
  return last instanceof SharedValues ? [parameters.slice(0, -1), last.values] : [parameters];
}

function withSharedValues(statement: Statement): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => statement.all(...bound(parameters)),
    run: (parameters) => statement.run(...bound(parameters)),
    iterate: (parameters) => statement.iterate(...bound(parameters)),
  };
}

export function withStatementCache(db: Database, capacity = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached) {
        // Re-insert so Map order tracks recency.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = withSharedValues(db.prepare(sql));
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      return statement;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}
