/**
 * Kysely's SQLite driver prepares every query afresh. A full push runs the same
 * few statements (500-row inserts, IN-list reads, upserts) over and over, and
 * SQLite spends much of the work parsing those large statements, so prepared
 * statements are kept by SQL text and reused, least recently used evicted.
 */
import type { Database } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

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
      const statement = db.prepare(sql);
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
