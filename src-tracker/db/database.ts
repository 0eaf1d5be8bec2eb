/**
 * Opens the tracker's database: a SQLite file by default, PostgreSQL when a URL is
 * given. Both are driven through Kysely and brought to the latest schema by the same
 * migrations before the tracker serves a request.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { Pool } from 'pg';
import type { TrackerDatabase } from './schema.ts';
import { trackerMigrations } from './migrations/index.ts';
import { withStatementCache } from './statement-cache.ts';

export type DbKind = 'sqlite' | 'postgres';

export type DbLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface TrackerDb {
  readonly kind: DbKind;
  /** PostgreSQL's URL, for the cluster's own LISTEN and lock connections. */
  readonly url?: string;
  /** The SQLite file, for threads that open their own connection to it (absent for `:memory:`). */
  readonly file?: string;
  readonly db: Kysely<TrackerDatabase>;
  close(): Promise<void>;
}

export async function openTrackerDb(location: DbLocation): Promise<TrackerDb> {
  const db = location.kind === 'sqlite' ? openSqlite(location.file) : openPostgres(location.url);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    kind: location.kind,
    db,
    close: () => db.destroy(),
    ...(location.kind === 'postgres' ? { url: location.url } : {}),
    ...(location.kind === 'sqlite' && location.file !== ':memory:' ? { file: location.file } : {}),
  };
}

/**
 * A second connection to a tracker's SQLite file that the tracker has already opened and
 * migrated (the HQ projector's thread, projections/projector-thread.ts): same pragmas, no
 * migrations.
 */
export function openSqliteConnection(file: string): TrackerDb {
  const db = openSqlite(file);
  return { kind: 'sqlite', db, close: () => db.destroy(), file };
}

function openSqlite(file: string): Kysely<TrackerDatabase> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  // Accepted events must survive power loss: WAL with a full sync on every commit.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  return new Kysely<TrackerDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

function openPostgres(url: string): Kysely<TrackerDatabase> {
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (restart, failover) emits 'error' on the pool;
  // unheard, that would crash the tracker. The pool replaces it on the next query.
  pool.on('error', () => {});
  return new Kysely<TrackerDatabase>({ dialect: new PostgresDialect({ pool }) });
}

async function migrateToLatest(db: Kysely<TrackerDatabase>): Promise<void> {
  const migrator = new Migrator({ db, provider: trackerMigrations });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`tracker database migration failed at ${failed}: ${String(error)}`, { cause: error });
  }
}
