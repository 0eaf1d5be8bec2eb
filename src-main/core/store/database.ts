/** Opening the workstation's SQLite file: durability pragmas and migrations. */
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations.ts';
import { ensureDir } from '../data-dir.ts';

export type Db = Database.Database;

export class StoreOpenError extends Error {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'StoreOpenError';
    this.file = file;
  }
}

export function openDatabase(
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): { db: Db; schemaVersion: number } {
  if (file !== ':memory:') ensureDir(dirname(file));
  let db: Db;
  try {
    db = new Database(file);
  } catch (cause) {
    throw new StoreOpenError(file, `cannot open the local store (${(cause as Error).message})`, { cause });
  }
  try {
    // WAL + synchronous=FULL: a commit is on disk (fsynced) before the command is acknowledged,
    // so an incident the UI shows as saved survives kill -9 and power loss.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // The page cache as the tracker has it (64 MiB at most, filled only as pages are read). SQLite's
    // default is 2 MiB, less than what a catch-up's transaction of 1,000 events touches (the
    // events' rows and four indexes, the incidents rewritten); with this the receiver's thread
    // CPU per catch-up was a few per cent lower in alternating runs (npm run bench mesh, issue 12k).
    db.pragma('cache_size = -65536');
    const schemaVersion = migrate(db, file, migrations);
    return { db, schemaVersion };
  } catch (error) {
    db.close();
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(file, `not a usable Guardline store (${(error as Error).message})`, { cause: error });
  }
}

/**
 * A read-only connection to an existing store, for readers beside the single writer (the
 * background worker of issue 16): WAL lets it read a consistent snapshot while the
 * writer commits. It never migrates; the writer that opened the file already did.
 */
export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

function migrate(db: Db, file: string, migrations: readonly Migration[]): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT max(version) AS version FROM schema_version').get() as { version: number | null };
  const current = row.version ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StoreOpenError(
      file,
      `was written by a newer Guardline (schema version ${current}; this version understands up to ${latest}). ` +
        'Update Guardline, or open a different data file; the file was left untouched.',
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    // A table rebuild runs with foreign keys off, which SQLite only allows outside a transaction.
    if (m.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        m.run?.(db);
        if (m.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration ${m.version} would break ${broken.length} foreign key(s)`);
        }
        db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(m.version);
      })();
    } finally {
      if (m.foreignKeysOff) db.pragma('foreign_keys = ON');
    }
  }
  return Math.max(current, latest);
}

export { LATEST_SCHEMA_VERSION };
