/**
 * Opens the tracker's database: a SQLite file by default, PostgreSQL when a URL is
 * given. Both are driven through Kysely and brought to the latest schema by the same
 * migrations before the tracker serves a request.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import { Migrator } from 'kysely/migration';
import { Pool } from 'pg';
import type { TrackerDatabase } from './schema.ts';
import { trackerMigrations } from './migrations/index.ts';
import { withStatementCache } from './statement-cache.ts';
import { createCheckpointer } from '../../src-common/sqlite-checkpointer.ts';
import { writerGate, type WriterGate } from './writer-gate.ts';

export type DbKind = 'sqlite' | 'postgres';

export type DbLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface TrackerDb {
  readonly kind: DbKind;
  /** PostgreSQL's URL, for the cluster's own LISTEN and lock connections. */
  readonly url?: string;
  /** The SQLite file, for threads that open their own connection to it (absent for `:memory:`). */
  readonly file?: string;
  /**
   * SQLite: who holds the writer among the process's connections to the file (writer-gate.ts);
   * a thread opening its own connection shares it (`openSqliteConnection`).
   */
  readonly writerGate?: WriterGate;
  readonly db: Kysely<TrackerDatabase>;
  /**
   * A push's transaction committed (ingestor.ts): on a SQLite file, every few of these the
   * checkpointer thread moves the WAL into the database file, so SQLite's automatic
   * checkpoint never runs inside a push's commit. Nothing elsewhere.
   */
  committed(): void;
  /** WAL checkpoints the checkpointer thread ran (SQLite file; 0 elsewhere). */
  readonly checkpoints: number;
  /** Settles when no checkpoint is requested or running (tests). */
  checkpointsSettled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Push commits between checkpoint requests. A 1,000-event push writes a few hundred WAL
 * pages (rows and four indexes), so about every thousand pages, as SQLite's default
 * automatic checkpoint would, but on the checkpointer's thread.
 */
const CHECKPOINT_EVERY_PUSHES = 4;

export interface OpenOptions {
  /** Where the checkpointer's rare failures go (it then falls back to SQLite's own, larger, automatic checkpoint). */
  log?: (message: string) => void;
  /** SQLite's busy_timeout on the tracker's connection (default BUSY_TIMEOUT_MS; tests shorten it). */
  busyTimeoutMs?: number;
  /** A BEGIN found the writer busy and will be tried again (tests wait for it). */
  onBeginBusy?: () => void;
}

/** How long one statement waits in SQLite for a writer outside the process. */
export const BUSY_TIMEOUT_MS = 5_000;
/**
 * How long a transaction keeps asking for SQLite's writer, across BEGINs, before its
 * caller gets SQLITE_BUSY (the push route then answers 503, http/errors.ts).
 */
export const BEGIN_RETRY_MS = 5_000;
const BEGIN_RETRY_DELAYS_MS = [2, 5, 10, 20, 50, 100];

export async function openTrackerDb(location: DbLocation, options: OpenOptions = {}): Promise<TrackerDb> {
  const gate = writerGate();
  const sqlite = location.kind === 'sqlite' ? openSqlite(location.file, gate, options) : null;
  const db = sqlite ? sqlite.kysely : openPostgres((location as { url: string }).url);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const file = location.kind === 'sqlite' && location.file !== ':memory:' ? location.file : null;
  const log = options.log ?? ((message: string) => process.stderr.write(`[guardline-tracker] ${message}\n`));
  // After the migrations, so their commits never wait on a thread that is still loading.
  const checkpointer =
    sqlite && file ? createCheckpointer(sqlite.raw, file, log, { every: CHECKPOINT_EVERY_PUSHES }) : null;
  return {
    kind: location.kind,
    db,
    committed: () => checkpointer?.committed(),
    get checkpoints() {
      return checkpointer?.completed ?? 0;
    },
    checkpointsSettled: async () => checkpointer?.settled(),
    close: async () => {
      // Its connection may be mid-checkpoint into the file: closed before the tracker's own.
      await checkpointer?.close();
      await db.destroy();
    },
    ...(location.kind === 'postgres' ? { url: location.url } : {}),
    ...(file ? { file } : {}),
    ...(sqlite ? { writerGate: gate } : {}),
  };
}

/**
 * A second connection to a tracker's SQLite file that the tracker has already opened and
 * migrated (the HQ projector's thread, projections/projector-thread.ts): same pragmas, no
 * migrations.
 */
export function openSqliteConnection(file: string, gateBuffer: SharedArrayBuffer): TrackerDb {
  const gate = writerGate(gateBuffer);
  const db = openSqlite(file, gate).kysely;
  return {
    kind: 'sqlite',
    db,
    committed: () => {},
    checkpoints: 0,
    checkpointsSettled: async () => {},
    close: () => db.destroy(),
    file,
    writerGate: gate,
  };
}

function openSqlite(
  file: string,
  gate: WriterGate,
  options: Pick<OpenOptions, 'busyTimeoutMs' | 'onBeginBusy'> = {},
): { kysely: Kysely<TrackerDatabase>; raw: Database.Database } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  // Accepted events must survive power loss: WAL with a full sync on every commit.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
  sqlite.pragma('cache_size = -65536');
  return {
    kysely: new Kysely<TrackerDatabase>({
      dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }, gate, options.onBeginBusy),
    }),
    raw: sqlite,
  };
}

/**
 * Transactions that take SQLite's writer at BEGIN (BEGIN IMMEDIATE), on every connection to
 * the tracker's file. The file has a second writer, the HQ projector's thread
 * (projections/projector-thread.ts). A deferred transaction that read before it wrote would
 * fail at its first write, at once and without the busy timeout, whenever that thread
 * committed in between (SQLITE_BUSY_SNAPSHOT: its snapshot is stale) or held the writer at
 * that moment; an immediate one waits for the writer (busy_timeout) before it reads
 * anything. Pushes already wrote first; enrolments, HQ's accounts and the tracker's own
 * events read first.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #gate: WriterGate;
  readonly #onBusy: (() => void) | undefined;
  constructor(config: SqliteDialectConfig, gate: WriterGate, onBusy?: () => void) {
    super(config);
    this.#config = config;
    this.#gate = gate;
    this.#onBusy = onBusy;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#gate, this.#onBusy);
  }
}

/**
 * ...and that first take the process's writer gate (writer-gate.ts), so the projector's
 * thread and the event loop never race each other for SQLite's writer. The gate is held
 * from BEGIN until COMMIT or ROLLBACK; a failed COMMIT keeps it until the rollback.
 *
 * A BEGIN that SQLite answers SQLITE_BUSY is tried again, off the event loop, for up to
 * BEGIN_RETRY_MS: a failed BEGIN did nothing, so repeating it is safe. Under load (issue
 * 16r: the sync bench's herd at load 15, CPU profiling on) the projector thread's BEGIN
 * IMMEDIATE failed SQLITE_BUSY after 64-104 ms with busy_timeout at 5,000 ms, a dozen times
 * a run, even with the gate (no other writer of the process held SQLite's writer): SQLite's
 * lock protocol with three connections on the file (the event loop's, the projector's, the
 * checkpointer's) gives up early somewhere, and the push route's BEGIN is the same code; it
 * answered a push 500.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #gate: WriterGate;
  readonly #onBusy: (() => void) | undefined;
  #holding = false;
  constructor(config: SqliteDialectConfig, gate: WriterGate, onBusy?: () => void) {
    super(config);
    this.#gate = gate;
    this.#onBusy = onBusy;
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#gate.acquire();
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
        break;
      } catch (error) {
        if (!isBusy(error) || performance.now() - started >= BEGIN_RETRY_MS) {
          this.#gate.release();
          throw error;
        }
      }
      this.#onBusy?.();
      const delay = BEGIN_RETRY_DELAYS_MS[Math.min(attempt, BEGIN_RETRY_DELAYS_MS.length - 1)]!;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.#holding = true;
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    this.#letGo();
  }
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } finally {
      this.#letGo();
    }
  }
  #letGo(): void {
    if (!this.#holding) return;
    this.#holding = false;
    this.#gate.release();
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function openPostgres(url: string): Kysely<TrackerDatabase> {
  return new Kysely<TrackerDatabase>({ dialect: new PostgresDialect({ pool: openPgPool(url) }) });
}

/**
 * The tracker's PostgreSQL pool. A connection the server drops (a restart, a failover, an
 * administrator's pg_terminate_backend) emits 'error' on its client; unheard, Node throws it
 * and the tracker process dies. The pool hears it for idle clients, but not for one that is
 * checked out between two queries (a transaction's, or one Kysely holds): the fault campaign
 * lost its tracker that way after a database crash, and every console stayed offline. Each
 * client now hears its own errors; the query that uses it next fails (a 503, retried), and the
 * pool drops it when it is released.
 */
export function openPgPool(url: string): Pool {
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

async function migrateToLatest(db: Kysely<TrackerDatabase>): Promise<void> {
  const migrator = new Migrator({ db, provider: trackerMigrations });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`tracker database migration failed at ${failed}: ${String(error)}`, { cause: error });
  }
}
