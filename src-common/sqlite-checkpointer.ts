/**
 * WAL checkpoints off the command path (issue 16).
 *
 * SQLite checkpoints automatically inside the commit that takes the WAL past
 * `wal_autocheckpoint` pages: that one command then copies ~1,000 pages into the
 * database file and fsyncs it, tens of milliseconds on a busy disk, and with ~20 pages
 * per incident command it happens every ~50 commands — squarely in the p99. Here a
 * worker thread with its own connection runs `wal_checkpoint(PASSIVE)` every
 * CHECKPOINT_EVERY commits instead; PASSIVE never blocks the writer, and the writer
 * restarts the WAL from its start on its next commit once a checkpoint has caught up.
 * Durability is unchanged: a commit is durable when its WAL frames are synced
 * (synchronous=FULL); checkpoints only move already-durable pages.
 *
 * The WAL file grows while commands come back to back (issue 16, third round): a pass
 * copies the frames there were when it began, SQLite restarts the WAL only when a writer
 * begins with every frame copied, and commits go on during the pass. Tried and left out:
 * more passes per request (they caught up only when commits left the disk a moment, kept
 * it busier beside the commands otherwise, and whether they caught up depended on timing),
 * and the writer copying the last frames itself between two commands (the WAL restarted,
 * but its sync of the database file ran on the core's thread: up to 8.4 and 14.7 ms in two
 * store bench runs at load 7, and on a slow disk the stall the 50 ms rule forbids).
 * Growth ends once the WAL file reaches the size at which the backstop restarts it; it is
 * overwritten in place after that (docs/performance.md, "Third round").
 *
 * The automatic checkpoint stays on as a backstop at a larger size, so the WAL stays
 * bounded if the worker cannot keep up or failed to start. The worker starts on the
 * first checkpoint due, so short-lived stores (most tests) never start one.
 *
 * Shared by the console's store (src-main/core/store/event-store.ts) and the tracker's
 * SQLite file (src-tracker/db/database.ts), whose pushes write a few hundred pages each, so
 * it asks every few commits (`every`).
 *
 * Hand-written rather than a library: it is a dozen lines around SQLite's own PRAGMA.
 * The worker is evaluated from a string and loads better-sqlite3 by the path this module
 * resolves, so it needs no separate bundle entry in the packaged app.
 *
 * `presizeWal` (issue 16, round 16l): the WAL file written to its working size at open, so
 * commits overwrite it in place rather than growing it. On this disk an fdatasync that also
 * commits a file's new size cost about twice one that overwrites (npm run bench disk-sync),
 * and a fresh console's WAL grew with every commit of a burst until the backstop restarted
 * it (48.7 % of the store bench's commands).
 */
import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/** Commits between checkpoint requests: ~20 pages each, so about 1,300 pages of WAL. */
export const CHECKPOINT_EVERY = 64;
/**
 * The console's store (round 16y): once a checkpoint is due, it is asked for only when no
 * commit came for IDLE_MS, so the worker's copy and its fsync of the database file run
 * between commands, not beside one. A command whose commit overlapped a checkpoint waited
 * for the disk behind the database file's fsync: in the lead's quiet store bench 6.3 % of
 * commands overlapped one, and 45 % of the commands above the p99 did (p99 1.017 ms, 0.771
 * without them). A guard's commands come seconds apart, so a checkpoint then finds the
 * writer idle; commits that never pause (a script, a burst) still get one once the WAL holds
 * CHECKPOINT_MOST_PAGES, and commits heavier than a command (a received batch, a sweep's
 * slice: `committed(weight > 1)`) ask at once as before, so a stream's WAL stays where
 * issue 12's waits expect it. Fewer, larger checkpoints in a burst would not help by
 * themselves: one of 512 commits overlapped as many commands as eight of 64
 * (bench/results/history/16y-runs, tail-1-*.log): its copy grows with the pages.
 */
export const CHECKPOINT_IDLE_MS = 20;
/**
 * WAL frames past which a due checkpoint is asked for with no pause in the commits: 60 % of
 * the backstop (BACKSTOP_PAGES), below ROOM_HOLD_PAGES; ~640 incident commands at ~9.4
 * pages each.
 */
export const CHECKPOINT_MOST_PAGES = 6_000;
/**
 * Commits between checkpoints in a long series of writes that waits for them (`request`,
 * the store's `settled()`): a sweep's slice is bounded by a 5 ms budget, so eight of them
 * stay far below the backstop, with a checkpoint (and its fsync of the database file, in
 * the worker) for every eight slices rather than each one.
 */
export const SERIES_CHECKPOINT_EVERY = 8;
/** The backstop: SQLite checkpoints in the commit itself only past this many WAL pages. */
export const BACKSTOP_PAGES = 10_000;
/**
 * WAL frames past which a long stream of received batches makes room for the log to restart
 * (the store's `roomInWal`, issue 12r): half the backstop. Past it the stream is held, off the
 * thread, for one worker pass that began after its last commit (`holdForRoom`, issue 12s).
 */
export const HIGH_WATER_PAGES = BACKSTOP_PAGES / 2;
/**
 * WAL frames past which the stream is held whatever the worker is doing: three quarters of the
 * backstop, so the few batches that go on after it (~600 frames each) never reach the backstop.
 */
export const ROOM_HOLD_PAGES = (BACKSTOP_PAGES * 3) / 4;

/**
 * Whether a long stream of writes, with `frames` in the WAL (at least HIGH_WATER_PAGES), should
 * hold its next transaction now for the worker to copy the rest (issue 12s). SQLite restarts
 * the log only when a transaction begins with every frame copied, so the stream must pause for
 * one pass that began after its last commit: that pass copies only what came since the pass
 * before. While the worker is still on a pass that began before the stream's last commit, the
 * stream goes on (`passSeen`: the worker's completed count when the stream last went on past a
 * running pass); holding then (12r) waited for that pass and another after it, 60–190 ms
 * each time in the lead's quiet run. Held at once when the worker is idle, when a pass has ended
 * since (the one running now, if any, began after that commit), or past ROOM_HOLD_PAGES.
 */
export function holdForRoom(
  frames: number,
  worker: { running: boolean; completed: number },
  passSeen: number | null,
): boolean {
  if (frames >= ROOM_HOLD_PAGES || !worker.running) return true;
  return passSeen !== null && worker.completed > passSeen;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const state = new Int32Array(workerData.state);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    Atomics.add(state, 1, 1);
  } catch (error) {
    parentPort.postMessage(String(error && error.message || error));
  } finally {
    Atomics.store(state, 0, 0);
    Atomics.notify(state, 0);
  }
});
`;

/** ES2024's Atomics.waitAsync (in Node since 16), not in this project's TypeScript lib yet. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, index: number, value: number): { value: Promise<string> | string };
  }
).waitAsync;

export interface Checkpointer {
  /**
   * A write transaction committed; `weight`: how many commands' worth of WAL it wrote (one
   * unless said). A peer's catch-up commits a few dozen batches of hundreds of events each:
   * counted as one command each, the worker was never asked during it, the WAL reached the
   * backstop, and SQLite's checkpoint ran inside a received batch's commit on the console's
   * thread (121–242 ms for that transaction in the mesh bench, its fsync of the database file
   * 20–26 ms: strace, issue 12p).
   */
  committed(weight?: number): void;
  /**
   * A checkpoint now if `commits` or more commits came since the last one asked for (and
   * none is requested or running). A long series of large writes (the retention sweep) asks
   * after each of its transactions with a smaller count than `every` and waits with
   * `settled()`, so the WAL restarts every few of them: counted as commands are, a
   * checkpoint came every 64 slices of a sweep, whose WAL then passed the backstop, and
   * SQLite's checkpoint inside a slice's commit fsynced the database file on the core's
   * thread (round 16l, perf sched_switch stacks: `sqlite3WalDefaultHook` → `fsync`).
   */
  request(commits?: number): void;
  /**
   * Stops the worker; the store may close at once. Settles when the worker has exited, so
   * its connection (which may be finishing a checkpoint into the database file) is closed:
   * only then is the file at rest for whoever acts on it after the console closed.
   */
  close(): Promise<void>;
  /** Checkpoints run by the worker so far (for tests and the profile). */
  readonly completed: number;
  /** A checkpoint is requested or running now (for the bench: which commands overlapped one). */
  readonly running: boolean;
  /** Settles when no checkpoint is requested or running. */
  settled(): Promise<void>;
}

export interface CheckpointerOptions {
  /** Commits between checkpoint requests (default CHECKPOINT_EVERY, sized for the console's commands). */
  every?: number;
  /** WAL pages past which SQLite checkpoints in the commit itself (default BACKSTOP_PAGES). */
  backstopPages?: number;
  /**
   * Once `every` commits came, wait for a pause of this many ms with no commit before asking
   * (the console's store: CHECKPOINT_IDLE_MS), until `frames()` reaches `mostPages`; unset:
   * ask at once.
   */
  idleMs?: number;
  /** With `idleMs`: the frames in the WAL now (the wal-index's mxFrame), null if unknown (ask). */
  frames?: () => number | null;
  /** With `idleMs`: WAL frames past which it asks without a pause (default CHECKPOINT_MOST_PAGES). */
  mostPages?: number;
}

export function createCheckpointer(
  db: Pick<Database, 'pragma'>,
  file: string,
  log: (message: string) => void,
  options: CheckpointerOptions = {},
): Checkpointer {
  const every = options.every ?? CHECKPOINT_EVERY;
  db.pragma(`wal_autocheckpoint = ${options.backstopPages ?? BACKSTOP_PAGES}`);
  let worker: Worker | null = null;
  let failed = false;
  let sinceLast = 0;
  const idleMs = options.idleMs;
  const mostPages = options.mostPages ?? CHECKPOINT_MOST_PAGES;
  const framesNow = options.frames ?? (() => null);
  // Armed once a checkpoint is due and put back by every commit after (Timeout.refresh: no
  // new timer per commit); fires after idleMs with no commit.
  let idle: ReturnType<typeof setTimeout> | null = null;
  // A commit heavier than a command came since the last checkpoint asked for (a stream of
  // received batches): every commit then asks at once, as before round 16y, so the stream's
  // waits (`roomInWal`) see the worker's passes where they expect them.
  let heavy = false;
  const disarm = () => {
    if (idle) clearTimeout(idle);
    idle = null;
  };
  // [0]: 1 while a checkpoint is requested or running; [1]: checkpoints done. Shared, so a
  // writer that never yields to the event loop still sees the worker finish.
  const state = new Int32Array(new SharedArrayBuffer(8));

  function start(): Worker | null {
    if (worker || failed) return worker;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, state: state.buffer } });
      worker.unref();
      worker.on('message', (message: string) =>
        log(`WAL checkpoint failed (the commit-time backstop still bounds the WAL): ${message}`),
      );
      worker.on('error', (error) => {
        failed = true;
        worker = null;
        Atomics.store(state, 0, 0);
        log(`WAL checkpoint worker stopped (the commit-time backstop still bounds the WAL): ${error.message}`);
      });
    } catch (error) {
      failed = true;
      log(
        `WAL checkpoint worker could not start (the commit-time backstop bounds the WAL): ${(error as Error).message}`,
      );
    }
    return worker;
  }

  function request(commits = 0): void {
    if (sinceLast < commits || Atomics.load(state, 0) === 1) return;
    const w = start();
    if (!w) return;
    sinceLast = 0;
    heavy = false;
    disarm();
    Atomics.store(state, 0, 1);
    w.postMessage('checkpoint');
  }

  return {
    committed(weight = 1) {
      sinceLast += weight;
      if (weight > 1) heavy = true;
      if (idleMs === undefined || heavy) {
        request(every);
        return;
      }
      if (sinceLast < every) return;
      const frames = framesNow();
      if (frames === null || frames >= mostPages) {
        request(every);
        return;
      }
      if (idle) idle.refresh();
      else {
        idle = setTimeout(() => {
          idle = null;
          request(every);
        }, idleMs);
        idle.unref();
      }
    },
    request,
    close() {
      disarm();
      const w = worker;
      worker = null;
      if (!w) return Promise.resolve();
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      // Unref'd so a running console need not wait for it, but whoever awaits the close must:
      // otherwise a process with nothing else to do exits before the worker's 'exit' arrives,
      // and the await never returns (the profile bench stopped mid-run, 2 runs in 4).
      w.ref();
      w.postMessage('close');
      return exited;
    },
    async settled() {
      while (Atomics.load(state, 0) === 1) await waitAsync(state, 0, 1).value;
    },
    get completed() {
      return Atomics.load(state, 1);
    },
    get running() {
      return Atomics.load(state, 0) === 1;
    },
  };
}

/** A WAL frame's header (wal.c WAL_FRAME_HDRSIZE) and the file's header (WAL_HDRSIZE). */
const FRAME_HEADER = 24;
const WAL_HEADER = 32;

/**
 * Makes the WAL file `bytes` long (default: the size at which the backstop restarts it) and
 * synced, holding no frames, so the commits that follow overwrite it in place instead of
 * growing it. Call on a connection just opened, before anything else uses the file: SQLite
 * first copies every frame into the database file and empties the WAL itself
 * (`wal_checkpoint(TRUNCATE)`: every frame backfilled, the wal-index reset to no frames, the
 * file truncated to 0 bytes, wal.c walCheckpoint). Only then, and only if the WAL is
 * 0 bytes, are zeros written; a WAL that still holds frames (a reader or another
 * connection kept the checkpoint from finishing) is left as it is. Zeros are no WAL header
 * (wal.c walIndexRecover: a wrong magic number is an empty log), and the first commit
 * after writes a new header at offset 0, as after any restart of the log; frames past the
 * last valid one are ignored by recovery, as the stale frames after a restart already are.
 * Real zeros, not a sparse ftruncate: writing into a hole allocates blocks, which the
 * commit's fdatasync would then have to journal, as with an append.
 *
 * Nothing truncates the file afterwards: checkpoints here are PASSIVE and the connection's
 * journal_size_limit stays SQLite's default (-1, no limit); SQLite deletes the WAL when the
 * last connection closes, and the next open presizes it again.
 *
 * Returns the bytes written, 0 when the WAL was left alone.
 */
export function presizeWal(db: Pick<Database, 'pragma'>, file: string, bytes?: number): number {
  const size = bytes ?? walBytesForPages(db, BACKSTOP_PAGES);
  if (size <= 0) return 0;
  // Without waiting: a connection that holds the log now keeps it, and the open goes on.
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  let result: { busy: number; log: number } | undefined;
  try {
    [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
  if (!result || result.busy !== 0 || result.log !== 0) return 0;
  let fd: number;
  try {
    fd = openSync(`${file}-wal`, 'r+');
  } catch {
    return 0; // not in WAL mode, or the WAL is gone: nothing to size
  }
  try {
    if (fstatSync(fd).size !== 0) return 0;
    const zeros = Buffer.alloc(Math.min(size, 2 ** 20));
    for (let at = 0; at < size; at += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
    fdatasyncSync(fd);
    return size;
  } finally {
    closeSync(fd);
  }
}

/** The WAL file's length holding `pages` frames at the connection's page size. */
export function walBytesForPages(db: Pick<Database, 'pragma'>, pages: number): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return WAL_HEADER + pages * (pageSize + FRAME_HEADER);
}

/** Frames in the WAL now, and how many of them a checkpoint has copied into the database file. */
export interface WalFrames {
  /** The last valid frame (wal-index mxFrame): SQLite's backstop compares this with its threshold. */
  frames: number;
  /** Frames copied into the database (nBackfill); all of them when equal to `frames`. */
  backfilled: number;
  /**
   * The log's first salt (wal-index aSalt[0]): SQLite changes it each time a writer restarts the
   * log from its start (wal.c walRestartHdr), so two reads with different salts have a restart
   * between them, however many frames were written since.
   */
  salt: number;
}

/**
 * Whether a `roomInWal` wait that began at `start` has done its work by `now` (issue 16, round
 * 16z): every frame copied, or the log restarted since it began. The wait holds the stream's
 * next batch until SQLite can restart the log; the store's own deferred catch-up (the search
 * index's slices, on a timer) may commit meanwhile, since the wait is where the stream lets the
 * event loop turn. A slice that began on the fully copied log restarted it, and its own frames
 * are then the only ones left: the stream's next batch appends after them, at the log's start,
 * as far from the backstop as a restart by that batch would have put it. Counting those frames
 * as left (as `backfilled < frames` alone did) asked the worker for a pass, with its fsync of
 * the database file, per slice, and ended the wait "short" when a slice committed after its
 * last pass, while the wait still awaited the stream's flush (the WAL stream test's failures:
 * bench/results/history/16z-runs).
 */
export function roomMade(start: WalFrames, now: WalFrames): boolean {
  return now.salt !== start.salt || now.backfilled >= now.frames;
}

/**
 * Reads the wal-index header every connection of the database shares (`<file>-shm`,
 * sqlite.org/walformat.html, "the WAL-index header" and "the checkpoint information"): mxFrame
 * at byte 16 of the header, the salt at 32, its second copy 48 bytes on (a reader compares the two: unequal
 * means a writer is mid-update, reported as unknown), nBackfill at byte 96, in the machine's
 * byte order. Called on the writer's own thread between its transactions, the header is at
 * rest: only a writer changes mxFrame. One pread (a few microseconds); not a statement, so it
 * starts no read transaction.
 *
 * `shm` is a descriptor the caller holds open for as long as any connection of this process
 * has the database open (`openWalIndex`). Never open and close the file per read: closing any
 * descriptor of a file drops every POSIX lock this process holds on it (SQLite's "close()
 * breaks locks" warning), SQLite's own on the wal-index included; another connection then
 * took itself for the first, reset and truncated the wal-index, and the consoles died of
 * SIGBUS on its mapping (partition.test.ts, round 12r).
 */
export function walFrames(shm: number): WalFrames | null {
  const index = Buffer.alloc(100);
  try {
    if (readSync(shm, index, 0, index.length, 0) < index.length) return null;
  } catch {
    return null;
  }
  if (!index.subarray(0, 48).equals(index.subarray(48, 96))) return null;
  const le = endianness() === 'LE';
  const u32 = (at: number) => (le ? index.readUInt32LE(at) : index.readUInt32BE(at));
  return { frames: u32(16), backfilled: u32(96), salt: u32(32) };
}

/**
 * A descriptor of `<file>-shm` for `walFrames`, or null (no wal-index: not in WAL mode). Open
 * it after the connection that created the wal-index, and close it only once every connection
 * of this process to the database is closed (see walFrames: a close drops SQLite's locks).
 */
export function openWalIndex(file: string): number | null {
  try {
    return openSync(`${file}-shm`, 'r');
  } catch {
    return null;
  }
}
