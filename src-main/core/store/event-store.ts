/**
 * The append-only event log: the workstation's source of truth.
 *
 * Each event is chained to the one before it: hash = sha256(prev_hash || canonical(event)),
 * so editing or deleting a stored event is evident to `verifyChain()`. Projections are
 * updated by registered projectors inside the same transaction as the append: a command
 * is acknowledged only after that single transaction has committed (synchronous=FULL).
 *
 * Events this console authors are numbered and signed here, inside the append
 * transaction (issue 12): the next `deviceSeq` of the author's feed is read and used in
 * the same transaction that stores the event, so the feed is gap-free 1, 2, 3… whatever
 * crashes, and the signature covers the number. Each also carries `prev`, the author hash
 * of its previous own event (author chain, src-common/trust/author-chain.ts), read by the
 * same indexed lookup that gives the next number; every signed event stored, own or
 * received, keeps its author hash (`author_hash`, schema 8) for the next link and for
 * receivers checking where a run starts.
 *
 * What an append costs grows with what it brings, not with the log (issue 12f, a peer's
 * catch-up of tens of thousands of events): what the touched streams held is read in one
 * statement; a projector folds a stream's new events onto its stored view when they sort
 * after everything the stream held (`Projector.extend`) and re-reads the stream only
 * otherwise; a receiver's author check hands over the canonical text it already computed
 * (`AppendOptions.prepared`). A batch's held ids are one statement, and a new event's payload
 * reaches the projectors as the object in hand when JSON would give it back unchanged
 * (issue 12h). Derived views that may lag (the search index) catch up after the commit, in
 * passes. Observers (`onCommitted`) hear of an append once it is committed:
 * the appends inside a `transaction()` together, when it commits, never before.
 */
import { closeSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { chainHashOf } from '../../../src-common/chain-hash.ts';
import { authorHashOf } from '../../../src-common/trust/author-chain.ts';
import { canonicalEnvelope } from '../../../src-shared/signed-envelope.ts';
import { inFoldOrder, type EventEnvelope, type StoredEvent } from '../../../src-shared/events.ts';
import type { ChainReport } from '../../../src-shared/api.ts';
import { checkChain } from './chain-check.ts';
import {
  CHECKPOINT_IDLE_MS,
  createCheckpointer,
  HIGH_WATER_PAGES,
  holdForRoom,
  openWalIndex,
  presizeWal,
  roomMade,
  SERIES_CHECKPOINT_EVERY,
  walFrames,
  type WalFrames,
} from '../../../src-common/sqlite-checkpointer.ts';
import { openDatabase, type Db } from './database.ts';
import type { Migration } from './migrations.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The columns an append writes, in the order of its insert's parameters (schema 8 adds prev, author_hash). */
const INSERT_COLUMNS = [
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
] as const;

/** Streams per deferred catch-up transaction, so a large backlog never holds the thread long. */
export const DEFERRED_SLICE = 500;
/** A deferred catch-up transaction also ends once it has run this long (checked every DEFERRED_CHUNK streams). */
export const DEFERRED_SLICE_BUDGET_MS = 5;
const DEFERRED_CHUNK = 25;
/**
 * Log events one pass of the deferred catch-up covers. A pass collects the streams its events
 * touched and brings each up to date once, DEFERRED_SLICE streams per transaction; the mark
 * moves when the pass's last slice commits. Slicing by events instead re-indexed an incident
 * once per slice that held one of its events: a 20,000-event mesh catch-up, whose incidents'
 * events lie ~2,000 apart, re-indexed each about four times (receiver's profile, issue 12).
 */
export const DEFERRED_PASS = 10_000;
/**
 * How long after a commit the deferred views catch up. Commands arriving meanwhile share one
 * catch-up transaction: the search index then writes one FTS5 segment for all of them
 * instead of one per command, and its pages are not flushed by every next command's fsync.
 * A search never waits for it: it catches up first (`catchUpDeferred`). Each commit pushes
 * the catch-up this far out again, but never more than DEFERRED_MAX_LAG_MS after the views
 * fell behind: a burst (a catch-up from a peer or the tracker) is indexed in large passes.
 */
export const DEFERRED_DELAY_MS = 250;
/**
 * A turn of upkeep (DeferredProjector.tidy) runs steps until this long has passed, then
 * commits and leaves the rest to the next turn: a command that arrives meanwhile waits at
 * most about this plus one step.
 */
export const TIDY_BUDGET_MS = 2;
/**
 * The deferred views' thorough upkeep (DeferredProjector.tidy's `thorough`: the search index
 * drops its deleted rows) starts once no catch-up has written to them for this long: after a
 * retention sweep or a received burst of archives, not in the middle of one, whose catch-ups
 * come at least every DEFERRED_MAX_LAG_MS (a full merge begun there is undone by the rows the
 * rest of the sweep deletes, and done again).
 */
export const THOROUGH_TIDY_QUIET_MS = 3_000;
export const DEFERRED_MAX_LAG_MS = 1_000;
/** Streams whose span (count, first and last HLC) the store keeps in memory (HeldStream). */
const STREAM_SPANS = 8_192;
/** Log position through which deferred views and the HLC high-water mark are up to date. */
export const DERIVED_THROUGH_META = 'derived.through_seq';
/** Largest HLC among the events through DERIVED_THROUGH_META ('' when none). */
export const DERIVED_MAX_HLC_META = 'derived.max_hlc';
/**
 * The outbox's low-water mark (schema 13): every event with a lower seq is synced or
 * quarantined. Advanced by a push's marks (`markSynced`), lowered by triggers when an event
 * below it becomes pending again. Read only in SQL (`OUTBOX_FROM_SQL`), never through getMeta.
 */
export const OUTBOX_FROM_META = 'sync.outbox_from';
/** The mark as an SQL expression; 0 (every event) on a file older than schema 13. */
export const OUTBOX_FROM_SQL = `coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = '${OUTBOX_FROM_META}'), 0)`;

/** Keeps a projection table in step with the log, inside the append transaction. */
export interface Projector {
  name: string;
  handles(type: string): boolean;
  /** Rebuild the projection of one stream from all of its events (already in the log). */
  project(db: Db, streamId: string, events: readonly StoredEvent[]): void;
  /**
   * Optional, the fast path: bring the projection up to date from the stream's events new in
   * this append alone (`fresh`, each sorting after every event the stream held before, as
   * `held` describes them). Returns false when it cannot (the store then re-reads the stream
   * and calls `project`); what it leaves must equal what `project` over all events leaves.
   */
  extend?(db: Db, streamId: string, fresh: StoredEvent[], held: HeldStream): boolean;
}

/** What a stream held before an append: how many events, and the HLCs of its first and last. */
export interface HeldStream {
  count: number;
  firstHlc: string;
  lastHlc: string;
}

/**
 * A derived view that may lag the log by a moment (issue 16): the search index. It is
 * brought up to date in its own transaction just after the commit that changed it
 * (`synchronous=NORMAL`: it can always be rebuilt from the log, so it need not wait for a
 * disk flush of its own), before any read that needs it (`catchUpDeferred`), and at start-up
 * after a crash. The command's transaction carries only what the UI shows as saved.
 */
export interface DeferredProjector {
  name: string;
  handles(type: string): boolean;
  /** Bring the view up to date for these streams; their projections are committed. */
  catchUp(db: Db, streamIds: readonly string[]): void;
  /**
   * Optional: one short, bounded step of upkeep the view's writes left behind (the search
   * index merges its segments), inside a transaction the store opens. True when it did work
   * (another step may be due). The store runs steps after each catch-up that wrote to the
   * view, one transaction per turn of the event loop, never inside a command's commit.
   * `thorough`: also the upkeep worth doing only once writes pause (the search index drops
   * its deleted rows); the store asks for it THOROUGH_TIDY_QUIET_MS after the last catch-up.
   */
  tidy?(db: Db, thorough: boolean): boolean;
}

export interface AppendResult {
  /** Events newly stored, in log order. */
  stored: StoredEvent[];
  /** Ids that were already in the log (idempotent re-delivery). */
  duplicates: string[];
  /** Streams whose projections changed. */
  streams: string[];
  /** Duplicates that were pending here and are now marked synced (our own events coming back). */
  newlySynced: number;
}

export interface AppendOptions {
  receivedAt?: number;
  /**
   * Events received from elsewhere (a peer, a restore): never numbered or signed here,
   * even when they name this device as author. Events from the tracker (`synced`) are
   * treated the same way.
   */
  received?: boolean;
  synced?: { serverSeqById: ReadonlyMap<string, number>; syncedAt: number };
  /** Runs inside the append transaction after the events are stored (e.g. a sync cursor). */
  alsoInTransaction?: () => void;
  /**
   * What a receiver's author check already computed for an incoming event (keyed by the very
   * object passed in, which must not change in between): its canonical text and author hash
   * are then not computed again (the mesh gate, console-keyring.ts `screen`).
   */
  prepared?: ReadonlyMap<object, PreparedEvent>;
  /**
   * Which of the events' ids the log holds, read by the caller in this same turn with no write
   * since (the mesh gate reads them for its own checks): not looked up again.
   */
  heldIds?: ReadonlySet<string>;
  /**
   * Every stream of these events begins with them: their stream ids were made for them here (a
   * new incident's fresh UUIDv7). What the streams held is not read (a statement per command,
   * round 16u); the projectors fold the new events as a new stream's.
   */
  newStreams?: boolean;
  /**
   * Work a power cut may take back, because the caller does it again (the retention sweep,
   * issue 16; a peer's batch, which the peer sends again until told it is stored, issue 12o):
   * the commit does not wait for the disk (`synchronous=NORMAL`), so the core's
   * thread never waits on a slow fsync for it. The store then syncs the WAL itself on a
   * thread of libuv's pool, or the next durable commit does it first; until then the
   * append is not announced (`onCommitted`) and its events stay out of what leaves this
   * console (`outbox`, `shareableThrough`). A power cut before the flush loses the append
   * whole and nothing after it (WAL: the log that survives is a prefix, chain intact), and
   * no peer or tracker saw its events, so numbering them again forks no feed. A kill -9
   * loses nothing: the operating system holds the written WAL. Not inside a transaction.
   */
  flushLater?: boolean;
}

/** An incoming event's canonical envelope text and author hash, as its author check computed them. */
export interface PreparedEvent {
  /** Absent when the author hash (and a chain guess) came without it: computed only if the guess misses. */
  canonical?: string;
  authorHash: string | null;
  /**
   * Its chain hash computed ahead (the mesh frame worker) from the hash it expected the row
   * before to hold: taken only when that row holds exactly `prevHash`.
   */
  chain?: { prevHash: string; hash: string } | undefined;
}

/** Signs the events this console authors (identity feature). */
export interface EventSigner {
  deviceId: string;
  /**
   * `sig` for an envelope, given its canonical text (`canonicalEvent`): the append computes
   * that text once, for the signature and then the chain hash and author hash.
   */
  signCanonical(canonical: string): string;
}

export interface EventStore {
  readonly file: string;
  readonly schemaVersion: number;
  readonly db: Db;
  registerProjector(projector: Projector): void;
  /** A view kept up to date after each commit rather than inside it (see DeferredProjector). */
  registerDeferredProjector(projector: DeferredProjector): void;
  /**
   * Brings every deferred view up to date now, in slices of DEFERRED_SLICE events. A read
   * that must see the latest commits (a search) calls this first; it costs nothing when
   * nothing is pending.
   */
  catchUpDeferred(): void;
  /**
   * From now on, this device's own new events are numbered (`deviceSeq`) and signed in the
   * append transaction. The console core always sets one; null (no signing) exists so the
   * identity bench can measure what signing costs a command.
   */
  useSigner(signer: EventSigner | null): void;
  /**
   * Append events (and update projections) in one transaction. Duplicate ids are skipped.
   * `synced` marks events that came from the tracker (server sequence by id), so they are
   * never mistaken for pending work; duplicates named there are marked synced too.
   */
  append(events: readonly EventEnvelope[], options?: AppendOptions): AppendResult;
  /**
   * Called after every committed append that stored something (never inside the transaction);
   * the appends inside one store.transaction are announced together, once it has committed.
   * A `flushLater` append is announced once it is on disk, in log order with the rest.
   */
  onCommitted(listener: (result: AppendResult) => void): () => void;
  /**
   * Settles once every `flushLater` append made so far is on disk and announced (appends
   * made after the call are not waited for).
   */
  flushed(): Promise<void>;
  /**
   * `flushed()`, then a WAL checkpoint asked for (every few commits) and done. A long series of writes (the
   * retention sweep) waits for it between its transactions: the checkpoint worker then copies
   * the whole WAL with no write racing it, SQLite restarts the WAL, and the commit-time
   * backstop (a checkpoint, with an fsync of the database file, inside a commit on the core's
   * thread: 19–42 ms each, every ~1.5 s of a sweep that did not wait, strace) never comes
   * due. Asked for every SERIES_CHECKPOINT_EVERY commits, not only awaited: counted as
   * commands are, a checkpoint came every 64 slices, past the backstop (round 16l).
   */
  settled(): Promise<void>;
  /**
   * For a long stream of writes that nobody is waiting on (a peer's catch-up), before its next
   * transaction: null while the WAL holds fewer than HIGH_WATER_PAGES frames (go on at once).
   * Past it, null too while the worker is on a pass that began before the stream's last commit
   * (the stream goes on meanwhile: holding then waited for that pass and another, issue 12s);
   * once the worker is idle or on a later pass, or past ROOM_HOLD_PAGES, a promise that settles
   * once the worker has copied every frame committed so far (worker checkpoints until nothing
   * is left, beside `flushed()`) or the log has restarted meanwhile (the store's own deferred
   * catch-up may commit during the wait: `roomMade`), or after ROOM_WAIT_MS at most. The next write transaction
   * then begins on a fully copied WAL, and SQLite restarts the log from its start instead of
   * letting it reach the backstop, whose checkpoint runs inside a commit on the core's thread
   * (178–242 ms for that received batch's transaction in the mesh bench, issue 12p). The thread stays free meanwhile. A WAL that did
   * not restart after a wait (a reader's snapshot, a slow disk) is not waited for again until
   * it has grown another quarter of the mark, so the stream is slowed, never stalled.
   * User commands never call this.
   */
  roomInWal(): Promise<void> | null;
  /**
   * The last log position that may leave this console (the tracker's outbox, peers' feeds):
   * everything before the first `flushLater` append still waiting for its flush.
   */
  shareableThrough(): number;
  /**
   * Run several reads/writes atomically. With `flushLater` (outermost only) its appends are
   * committed as a `flushLater` append's are: without waiting for the fsync, announced and
   * shared once on disk. Only for work a power cut may take back because it is done again
   * (the escalation runner's own steps during a catch-up: the events that prompted them
   * are ahead of them in the WAL, issue 12p); its other writes are not held back.
   */
  transaction<T>(fn: () => T, options?: { flushLater?: boolean }): T;
  streamEvents(streamId: string): StoredEvent[];
  getEvent(id: string): StoredEvent | null;
  /** The events held of these ids, by id, in one statement (ids not held are absent). */
  heldEvents(ids: readonly string[]): Map<string, StoredEvent>;
  /** Which of these ids are held, in one statement. */
  heldIds(ids: readonly string[]): Set<string>;
  /**
   * Events the tracker has not acknowledged, whoever authored them (store-and-forward:
   * events from peers travel on too), oldest first, excluding quarantined ones; only
   * those after local seq `afterSeq` when given (the sync engine reads its next batch
   * while the previous one is still unacknowledged).
   */
  outbox(limit: number, afterSeq?: number): StoredEvent[];
  /**
   * The same events as `outbox`, as their rows with the payload left as the JSON text stored:
   * the push sends that text unparsed (core/sync/push-body.ts) instead of parsing it here and
   * serialising it again. Throws on a payload that is not JSON, as `outbox` does.
   */
  outboxRows(limit: number, afterSeq?: number): OutboxRow[];
  outboxCount(): number;
  /** Highest `deviceSeq` held of `deviceId`'s feed (0 when none). */
  authorHead(deviceId: string): number;
  /** The author hash of `deviceId`'s event `deviceSeq` held here, or null (author chain). */
  authorHashAt(deviceId: string, deviceSeq: number): string | null;
  /** `deviceId`'s signed events with deviceSeq > after, in feed order. */
  authoredAfter(deviceId: string, after: number, limit: number): StoredEvent[];
  /** Returns how many events were newly marked (the rest were already synced). */
  markSynced(acks: readonly { id: string; serverSeq: number }[], syncedAt: number): number;
  /** Largest HLC in the log, so the clock can resume monotonically after a restart. */
  maxHlc(): string | null;
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;
  verifyChain(): ChainReport;
  /** The WAL checkpointer's progress (null for an in-memory store): benches tell commands that overlapped one. */
  checkpoints(): {
    completed: number;
    running: boolean;
    /** `roomInWal` waits so far, and how many of them ended with frames left uncopied and the log not restarted. */
    roomWaits: number;
    roomShort: number;
    /** Wall time spent in those waits, ms (the stream's pauses). */
    roomWaitMs: number;
  } | null;
  close(): void;
  /**
   * Settles once every connection this store opened is closed, the checkpoint worker's too
   * (it may be finishing a checkpoint into the file after `close()` returned).
   */
  closed(): Promise<void>;
}

/** A row of the `events` table as SQLite returns it. */
export interface EventRow {
  seq: number;
  id: string;
  stream_id: string;
  type: string;
  payload: string;
  actor: string;
  device_id: string;
  device_time: number;
  hlc: string;
  prev_hash: string;
  hash: string;
  synced_at: number | null;
  server_seq: number | null;
  device_seq: number | null;
  sig: string | null;
  prev: string | null;
  author_hash: string | null;
}

/** An outbox event as stored: the envelope's columns, its payload still the JSON text (`outboxRows`). */
export type OutboxRow = Pick<
  EventRow,
  | 'seq'
  | 'id'
  | 'stream_id'
  | 'type'
  | 'payload'
  | 'actor'
  | 'device_id'
  | 'device_time'
  | 'hlc'
  | 'device_seq'
  | 'sig'
  | 'prev'
>;

/** The bytes the chain hashes: the same canonical envelope the author signed. */
export function canonicalEvent(e: EventEnvelope): string {
  return canonicalEnvelope(e);
}

export function chainHash(prevHash: string, e: EventEnvelope): string {
  return chainHashOf(prevHash, canonicalEvent(e));
}

/** The author hash of a stored row: kept since schema 8, computed for older signed rows. */
function rowAuthorHash(row: EventRow): string | null {
  if (row.author_hash != null) return row.author_hash;
  return row.sig === null ? null : authorHashOf(canonicalEvent(toStored(row)), row.sig);
}

export function toStored(row: EventRow): StoredEvent {
  return storedFrom(row, JSON.parse(row.payload));
}

/**
 * A row as a StoredEvent with its payload already in hand (the append has the object it
 * stored: parsing the text it just wrote cost a JSON.parse per event of a catch-up). Fields
 * in the order toStored always gave them, without the temporary objects of spreads.
 */
function storedFrom(row: EventRow, payload: unknown): StoredEvent {
  const e: Omit<StoredEvent, 'prevHash' | 'hash' | 'syncedAt' | 'serverSeq'> &
    Partial<Pick<StoredEvent, 'prevHash' | 'hash' | 'syncedAt' | 'serverSeq'>> = {
    seq: row.seq,
    id: row.id,
    streamId: row.stream_id,
    type: row.type as StoredEvent['type'],
    payload,
    actor: row.actor,
    deviceId: row.device_id,
    deviceTime: row.device_time,
    hlc: row.hlc,
  };
  if (row.device_seq !== null) e.deviceSeq = row.device_seq;
  if (row.sig !== null) e.sig = row.sig;
  if (row.prev !== null) e.prev = row.prev;
  e.prevHash = row.prev_hash;
  e.hash = row.hash;
  e.syncedAt = row.synced_at;
  e.serverSeq = row.server_seq;
  return e as StoredEvent;
}

/**
 * The append's StoredEvent for an envelope it just inserted with `parameters` (INSERT_COLUMNS
 * order, then prev, author_hash): what `storedFrom` gives for that row once `seq` is set. Read
 * from the insert's own parameters, so no row object is made per event (a catch-up made three
 * objects per event here: the row, its parameters, the stored event).
 */
function storedOf(event: EventEnvelope, payload: unknown, parameters: readonly unknown[]): StoredEvent {
  const e: Omit<StoredEvent, 'prevHash' | 'hash' | 'syncedAt' | 'serverSeq'> &
    Partial<Pick<StoredEvent, 'prevHash' | 'hash' | 'syncedAt' | 'serverSeq'>> = {
    seq: 0,
    id: event.id,
    streamId: event.streamId,
    type: event.type,
    payload,
    actor: event.actor,
    deviceId: event.deviceId,
    deviceTime: event.deviceTime,
    hlc: event.hlc,
  };
  const deviceSeq = parameters[13];
  const sig = parameters[14];
  const prev = parameters[15] ?? null;
  if (deviceSeq !== null) e.deviceSeq = deviceSeq as number;
  if (sig !== null) e.sig = sig as string;
  if (prev !== null) e.prev = prev as string;
  e.prevHash = parameters[8] as string;
  e.hash = parameters[9] as string;
  e.syncedAt = parameters[11] as number | null;
  e.serverSeq = parameters[12] as number | null;
  return e as StoredEvent;
}

/**
 * True when `value` reads back from its JSON text as an equal value: null, strings, booleans,
 * finite numbers other than -0, and plain arrays and objects of those (no undefined member, no
 * hole, no toJSON, no prototype other than Object's). A payload that is (every received
 * one: it came off the wire as JSON) is handed to the projectors as it is; any other is
 * read back from its text, so a fold sees exactly what a later read of the log gives. Only
 * own enumerable string keys are looked at, as JSON.stringify does; a symbol key or a
 * non-enumerable property, which it drops, would stay on the object (nothing puts one on a
 * payload, and nothing reads one).
 */
export function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 32) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || !isPlainJson(value[i], depth + 1)) return false;
        }
        return Object.getPrototypeOf(value) === Array.prototype;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) return false;
        if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * Per database, a number that changes whenever a projector's write may have been undone since
 * it was made: a rollback the store saw (an append or a store.transaction that failed), and any
 * append made inside a transaction the store did not open itself (`db.transaction` around it),
 * whose rollback it would not see. A projector that keeps objects it wrote (the incident
 * projection's parsed documents) may take one back without reading its row only while this
 * number is the one it was written under; otherwise the row decides, as before.
 */
const undoneCounts = new WeakMap<Db, { n: number }>();

export function projectionEpoch(db: Db): number {
  return undoneCounts.get(db)?.n ?? 0;
}

function writesMayBeUndone(db: Db): void {
  const count = undoneCounts.get(db);
  if (count) count.n += 1;
  else undoneCounts.set(db, { n: 1 });
}

/** Several committed appends as one: every event stored, in order. */
/**
 * Events whose rows write about one command's worth of WAL (the checkpointer counts commands,
 * CHECKPOINT_EVERY): a command writes ~10 pages (one event, its indexes and projections), a
 * received batch's events share their pages (~0.7 a event: the mesh bench's catch-up reached
 * the 10,000-page backstop at ~15,000 events, issue 12p).
 */
const EVENTS_PER_COMMAND_WAL = 16;

/**
 * The longest `roomInWal` waits for the worker: a checkpoint of HIGH_WATER_PAGES pages (20 MB)
 * and its fsync of the database file take tens of milliseconds on a quiet disk; past this
 * the stream goes on, and the backstop still bounds the WAL.
 */
const ROOM_WAIT_MS = 1_000;
/** Worker checkpoints one wait asks for at most (each copies what was committed before it began). */
const ROOM_PASSES = 4;

/** Commands' worth of WAL a commit of `events` stored events wrote (at least one). */
const walWeight = (events: number) => Math.max(1, Math.ceil(events / EVENTS_PER_COMMAND_WAL));

function mergeResults(results: readonly AppendResult[]): AppendResult {
  if (results.length === 1) return results[0]!;
  return {
    stored: results.flatMap((r) => r.stored),
    duplicates: results.flatMap((r) => r.duplicates),
    streams: [...new Set(results.flatMap((r) => r.streams))],
    newlySynced: results.reduce((n, r) => n + r.newlySynced, 0),
  };
}

export function openEventStore(
  file: string,
  migrations?: readonly Migration[],
  /**
   * `roomWaitMs`: roomInWal's bound instead of ROOM_WAIT_MS (tests that must not depend on the disk's speed).
   * `checkpointMostPages`: CHECKPOINT_MOST_PAGES's stand-in (tests that need a checkpoint asked for in a
   * loop that never pauses; 0: as soon as one is due).
   * `thoroughTidyQuietMs`: THOROUGH_TIDY_QUIET_MS's stand-in (tests that wait for the thorough upkeep).
   */
  tuning: { roomWaitMs?: number; checkpointMostPages?: number; thoroughTidyQuietMs?: number } = {},
): EventStore {
  const { db, schemaVersion } = openDatabase(file, migrations);
  const projectors: Projector[] = [];
  const deferred: DeferredProjector[] = [];
  let closing: Promise<void> = Promise.resolve();
  let closeCalled = false;
  // Commits overwrite a WAL file of its working size rather than growing it, and checkpoints
  // run in a worker, not inside a command's commit (see src-common/sqlite-checkpointer.ts).
  if (file !== ':memory:') presizeWal(db, file);
  const checkpointer =
    file === ':memory:'
      ? null
      : createCheckpointer(db, file, (message) => console.error(`[guardline] ${message}`), {
          // Between commands where they pause (round 16y): see CHECKPOINT_IDLE_MS.
          idleMs: CHECKPOINT_IDLE_MS,
          frames: (): number | null => (walIndex === null ? null : (walFrames(walIndex)?.frames ?? null)),
          ...(tuning.checkpointMostPages !== undefined ? { mostPages: tuning.checkpointMostPages } : {}),
        });
  // Held until this store's connections (the worker's too) are closed: see walFrames.
  const walIndex: number | null = checkpointer ? openWalIndex(file) : null;
  let signer: EventSigner | null = null;
  // A store opened at an older schema (tests writing the files earlier releases wrote) has
  // no chain columns: it writes events as that release did, without prev.
  const chained = schemaVersion >= 8;
  const insertColumns = chained ? [...INSERT_COLUMNS, 'prev', 'author_hash'] : INSERT_COLUMNS;

  const eventColumns = new Set(db.prepare("SELECT name FROM pragma_table_info('events')").pluck().all());
  const columnOrNull = (name: string) => (eventColumns.has(name) ? name : `NULL AS ${name}`);
  const q = {
    lastHash: db.prepare<[], { hash: string }>('SELECT hash FROM events ORDER BY seq DESC LIMIT 1'),
    exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE id = ?'),
    // Positional: binding 17 named parameters from an object cost a third more than the row's
    // insert itself (receiver's profile, npm run bench mesh). Order: INSERT_COLUMNS.
    insert: db.prepare<unknown[]>(
      `INSERT INTO events (${insertColumns.join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')})`,
    ),
    stream: db.prepare<[string], EventRow>('SELECT * FROM events WHERE stream_id = ? ORDER BY hlc, device_id, id'),
    // What an append's streams held before it, in one statement (a seek per stream on events_by_stream).
    held: db.prepare<[string], { stream_id: string; n: number; first: string; last: string }>(
      `SELECT stream_id, count(*) AS n, min(hlc) AS first, max(hlc) AS last FROM events
        WHERE stream_id IN (SELECT value FROM json_each(?)) GROUP BY stream_id`,
    ),
    // The same for a single stream (a command): no JSON array to build and walk.
    heldOne: db.prepare<[string], { n: number; first: string | null; last: string | null }>(
      'SELECT count(*) AS n, min(hlc) AS first, max(hlc) AS last FROM events WHERE stream_id = ?',
    ),
    byId: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
    byIds: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id IN (SELECT value FROM json_each(?))'),
    idsHeld: db.prepare<[string], string>('SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?))').pluck(),
    // The outbox is a range of the rowid from the low-water mark (schema 13), not an index.
    outbox: db.prepare<[number, number, number], EventRow>(
      `SELECT * FROM events WHERE synced_at IS NULL AND seq > max(?, ${OUTBOX_FROM_SQL} - 1) AND seq <= ?
         AND id NOT IN (SELECT event_id FROM sync_quarantine) ORDER BY seq LIMIT ?`,
    ),
    // The same rows with only the envelope's columns. A payload that is not JSON fails the
    // statement (json() raises "malformed JSON"), as JSON.parse fails `outbox`: the text goes
    // into the push body as it is, so SQLite's own scan checks it instead of a parse here.
    // A file at an older schema (tests write the files earlier releases wrote) lacks the later
    // columns: they read as NULL there, as `outbox` leaves them out.
    outboxRows: db.prepare<[number, number, number], OutboxRow>(
      `SELECT seq, id, stream_id, type, CASE WHEN json_valid(payload) THEN payload ELSE json(payload) END AS payload,
              actor, device_id, device_time, hlc, ${['device_seq', 'sig', 'prev'].map(columnOrNull).join(', ')}
         FROM events WHERE synced_at IS NULL AND seq > max(?, ${OUTBOX_FROM_SQL} - 1) AND seq <= ?
         AND id NOT IN (SELECT event_id FROM sync_quarantine) ORDER BY seq LIMIT ?`,
    ),
    outboxCount: db.prepare<[number], { n: number }>(
      `SELECT count(*) AS n FROM events WHERE synced_at IS NULL AND seq >= ${OUTBOX_FROM_SQL} AND seq <= ?
         AND id NOT IN (SELECT event_id FROM sync_quarantine)`,
    ),
    // After a push's marks: the first event from the mark on that is still to push, or the
    // next seq when none is. Walks the rowid from the mark over what the push just marked.
    advanceOutbox: db.prepare(
      `UPDATE meta SET value = coalesce(
         (SELECT seq FROM events WHERE seq >= CAST(meta.value AS INTEGER) AND synced_at IS NULL
             AND id NOT IN (SELECT event_id FROM sync_quarantine) ORDER BY seq LIMIT 1),
         (SELECT coalesce(max(seq), 0) + 1 FROM events))
        WHERE key = '${OUTBOX_FROM_META}'`,
    ),
    // A whole push's acks in one statement: [[id, serverSeq], …] as JSON, each row found by its id.
    markSyncedAll: db.prepare<[number, string]>(
      `UPDATE events SET synced_at = ?, server_seq = ack.value ->> 1
         FROM json_each(?) AS ack
        WHERE events.id = ack.value ->> 0 AND events.synced_at IS NULL`,
    ),
    // One seek on events_by_author: the head's number and, for the next link, its author hash.
    authorHeadRow: db.prepare<[string], EventRow>(
      'SELECT * FROM events WHERE device_id = ? AND device_seq IS NOT NULL ORDER BY device_seq DESC LIMIT 1',
    ),
    authorAt: db.prepare<[string, number], EventRow>(
      'SELECT * FROM events WHERE device_id = ? AND device_seq = ? LIMIT 1',
    ),
    authoredAfter: db.prepare<[string, number, number], EventRow>(
      `SELECT * FROM events WHERE device_id = ? AND device_seq IS NOT NULL AND device_seq > ?
         ORDER BY device_seq LIMIT ?`,
    ),
    markSynced: db.prepare('UPDATE events SET synced_at = ?, server_seq = ? WHERE id = ? AND synced_at IS NULL'),
    // The events after the high-water mark only: a range of the rowid, no index on hlc needed.
    maxHlcAfter: db.prepare<[number], { hlc: string | null }>('SELECT max(hlc) AS hlc FROM events WHERE seq > ?'),
    since: db.prepare<[number, number], { seq: number; stream_id: string; type: string; hlc: string }>(
      'SELECT seq, stream_id, type, hlc FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };

  /**
   * Meta values read outside a transaction (so committed), kept: every write to `meta` goes
   * through this store (this process is the store's only writer), which drops the key first.
   * An incident command read four meta rows after its commit (the adopted facility, whether
   * sync is configured): 3 % of its busy time in a node --cpu-prof of 3,000 (issue 16).
   */
  const metaRead = new Map<string, string | null>();

  // The deferred views' high-water mark, kept in memory: this process is the store's only
  // writer (instance lock), and the values change only after their transaction commits.
  let derivedThrough = Number(q.getMeta.get(DERIVED_THROUGH_META)?.value ?? 0);
  let derivedMaxHlc = q.getMeta.get(DERIVED_MAX_HLC_META)?.value ?? '';

  /** Runs `fn` in a write transaction that does not wait for its own fsync (derived data only). */
  function lazyCommit<T>(fn: () => T): T {
    // Not prepared once: SQLite applies `PRAGMA synchronous` when the statement is compiled.
    const level = db.pragma('synchronous', { simple: true }) as number;
    if (level > 1) db.pragma('synchronous = NORMAL');
    try {
      return db.transaction(fn).immediate();
    } finally {
      // Back to what it was: FULL as shipped (a profile may have turned it OFF on its copy).
      if (level > 1) db.pragma(`synchronous = ${level}`);
      checkpointer?.committed();
    }
  }

  /** The deferred catch-up under way: the streams its events touched, per deferred projector. */
  let pass: { through: number; maxHlc: string; todo: { projector: number; streamId: string }[]; more: boolean } | null =
    null;

  /**
   * One slice of deferred catch-up: up to DEFERRED_SLICE streams of the current pass (a new
   * pass starts at the mark). True when more is pending after it. Catching a stream up twice
   * is harmless (it is rebuilt from its committed projection), so a pass that fails or is cut
   * short by a crash is simply done again from the mark.
   */
  function catchUpSlice(): boolean {
    if (!pass) {
      const rows = q.since.all(derivedThrough, DEFERRED_PASS);
      if (rows.length === 0) return false;
      let maxHlc = derivedMaxHlc;
      const streams = deferred.map(() => new Set<string>());
      for (const row of rows) {
        if (row.hlc > maxHlc) maxHlc = row.hlc;
        deferred.forEach((p, i) => p.handles(row.type) && streams[i]!.add(row.stream_id));
      }
      pass = {
        through: rows.at(-1)!.seq,
        maxHlc,
        todo: streams.flatMap((set, projector) => [...set].map((streamId) => ({ projector, streamId }))),
        more: rows.length === DEFERRED_PASS,
      };
    }
    const current = pass;
    let last = false;
    try {
      lazyCommit(() => {
        // In chunks, until the slice's size or its time is used up: what a stream costs
        // varies (removing an archived incident's search row is dear), and 500 archived in a
        // retention sweep took 26-35 ms of the thread in one slice (profile, issue 16g).
        const started = performance.now();
        let taken = 0;
        do {
          const chunk = current.todo.splice(0, DEFERRED_CHUNK);
          taken += chunk.length;
          deferred.forEach((p, i) => {
            const ids = chunk.filter((t) => t.projector === i).map((t) => t.streamId);
            if (ids.length > 0) p.catchUp(db, ids);
          });
        } while (
          current.todo.length > 0 &&
          taken < DEFERRED_SLICE &&
          performance.now() - started < DEFERRED_SLICE_BUDGET_MS
        );
        last = current.todo.length === 0;
        if (last) {
          metaRead.delete(DERIVED_THROUGH_META);
          metaRead.delete(DERIVED_MAX_HLC_META);
          q.setMeta.run(DERIVED_THROUGH_META, String(current.through));
          q.setMeta.run(DERIVED_MAX_HLC_META, current.maxHlc);
        }
      });
    } catch (error) {
      pass = null;
      throw error;
    }
    // The slice wrote to the views: their upkeep follows, in steps of its own, and the
    // thorough upkeep once the catch-ups pause.
    scheduleTidy();
    scheduleThoroughTidy();
    if (!last) return true;
    pass = null;
    derivedThrough = current.through;
    derivedMaxHlc = current.maxHlc;
    return current.more;
  }

  let deferredTimer: ReturnType<typeof setTimeout> | null = null;
  let deferredDue = 0;
  /** The delay the timer was set with when it was due that long after it was set (else -1). */
  let deferredDelay = -1;
  /** When the deferred views fell behind the log (null: caught up, as far as this process knows). */
  let behindSince: number | null = null;
  /**
   * After a commit: catch up DEFERRED_DELAY_MS after the last commit, at most DEFERRED_MAX_LAG_MS
   * after the views fell behind; one slice per turn of the event loop. Commands in a row push
   * the catch-up back by the same delay each time: the timer is restarted (`refresh`) rather
   * than cleared and set again (1.3–1.4 % of a create's CPU in the profiles of 16p and 16u).
   */
  function scheduleDeferred(delayMs = DEFERRED_DELAY_MS) {
    const now = performance.now();
    behindSince ??= now;
    const capped = behindSince + DEFERRED_MAX_LAG_MS < now + delayMs;
    const due = capped ? behindSince + DEFERRED_MAX_LAG_MS : now + delayMs;
    if (deferredTimer) {
      if (due <= deferredDue) return;
      if (!capped && delayMs === deferredDelay) {
        deferredTimer.refresh();
        deferredDue = due;
        return;
      }
      clearTimeout(deferredTimer);
    }
    deferredDue = due;
    deferredDelay = capped ? -1 : delayMs;
    deferredTimer = setTimeout(
      () => {
        deferredTimer = null;
        if (!db.open) return;
        if (db.inTransaction) return scheduleDeferred(0);
        try {
          if (catchUpSlice()) scheduleDeferred(0);
          else behindSince = null;
        } catch (error) {
          // The views lag until the next commit or read retries; the log itself is intact.
          console.error('[guardline] deferred projection failed', error);
        }
      },
      Math.max(0, due - now),
    );
    // A process about to exit need not stay for it: start-up catches up what is left.
    deferredTimer.unref();
  }

  let tidyTurn: ReturnType<typeof setImmediate> | null = null;
  let thorough = false;
  let thoroughTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The thorough upkeep, THOROUGH_TIDY_QUIET_MS after the last catch-up that wrote (each one
   * pushes it back: the timer is restarted, not set again). It then runs in the same turns as
   * the upkeep above, until a turn finds nothing to do.
   */
  function scheduleThoroughTidy() {
    if (closeCalled || !deferred.some((p) => p.tidy)) return;
    if (thoroughTimer) {
      thoroughTimer.refresh();
      return;
    }
    thoroughTimer = setTimeout(() => {
      thoroughTimer = null;
      thorough = true;
      scheduleTidy();
    }, tuning.thoroughTidyQuietMs ?? THOROUGH_TIDY_QUIET_MS);
    // A process about to exit need not stay for it: start-up asks for it again.
    thoroughTimer.unref();
  }

  /**
   * The deferred views' upkeep (DeferredProjector.tidy), after a catch-up wrote to them: one
   * transaction per turn of the event loop, each running steps for TIDY_BUDGET_MS, until a
   * turn finds nothing to do. Commands, timers and I/O run between turns, so the search
   * index's merges (schema 14) go on between commands in a burst and finish when the console
   * is idle; none runs inside a command's commit or a retention slice's.
   */
  function scheduleTidy() {
    if (tidyTurn || closeCalled || !deferred.some((p) => p.tidy)) return;
    tidyTurn = setImmediate(() => {
      tidyTurn = null;
      if (!db.open) return;
      // Someone else's transaction spans turns (a test's, a migration's): after it.
      if (db.inTransaction) return void setTimeout(scheduleTidy, 1).unref();
      try {
        if (tidyOnce()) scheduleTidy();
        else thorough = false;
      } catch (error) {
        thorough = false;
        // The index stays as it is (FTS5's crisismerge still bounds it); the next catch-up retries.
        console.error('[guardline] search index upkeep failed', error);
      }
    });
    // A process about to exit need not stay for it: the work is there at the next start.
    tidyTurn.unref();
  }

  /** One turn of upkeep; true when a step still did work at its end (more may be due). */
  function tidyOnce(): boolean {
    return lazyCommit(() => {
      const started = performance.now();
      let worked: boolean;
      do {
        worked = false;
        for (const p of deferred) if (p.tidy?.(db, thorough)) worked = true;
      } while (worked && performance.now() - started < TIDY_BUDGET_MS);
      return worked;
    });
  }

  // This device's feed head, so numbering an authored event needs no max() query. Updated only
  // once the transaction that stored the numbers committed; dropped whenever that is uncertain.
  // With the head's author hash: the next event's `prev` (the author chain).
  let ownHead: { deviceId: string; seq: number; hash: string | null } | null = null;
  let headSeen = 0;
  let headSeenHash: string | null = null;

  /** The projectors handling an event type, as a bit per projector (in registration order). */
  const handling = new Map<string, number>();
  function projectorsFor(type: string): number {
    const known = handling.get(type);
    if (known !== undefined) return known;
    let mask = 0;
    for (let i = 0; i < projectors.length; i++) if (projectors[i]!.handles(type)) mask |= 1 << i;
    handling.set(type, mask);
    return mask;
  }

  /** Which of these ids the log holds, in one statement. */
  function idsHeld(ids: readonly string[]): Set<string> {
    return new Set(q.idsHeld.all(JSON.stringify(ids)));
  }

  /**
   * What streams held after this process's appends (at most STREAM_SPANS; the first kept goes first), each with
   * the projectionEpoch it was kept under: while that is unchanged nothing stored since can have
   * been undone, and every event stored since went through an append, which brought its stream's
   * span up to date. A catch-up's batch continues streams earlier batches began: their spans were
   * read back with a statement over all of them per batch (receiver's profile, issue 12k).
   */
  const spans = new Map<string, HeldStream & { epoch: number }>();

  /** What each stream of `events` held before they are stored (streams holding nothing are absent). */
  function heldStreams(events: readonly EventEnvelope[]): Map<string, HeldStream> {
    const out = new Map<string, HeldStream>();
    const epoch = projectionEpoch(db);
    const unknown = new Set<string>();
    for (let i = 0; i < events.length; i++) {
      const streamId = events[i]!.streamId;
      if (out.has(streamId) || unknown.has(streamId)) continue;
      const kept = spans.get(streamId);
      if (kept && kept.epoch === epoch) out.set(streamId, kept);
      else unknown.add(streamId);
    }
    if (unknown.size === 1) {
      const streamId = unknown.values().next().value!;
      const row = q.heldOne.get(streamId);
      if (row && row.n > 0) out.set(streamId, { count: row.n, firstHlc: row.first!, lastHlc: row.last! });
    } else if (unknown.size > 1) {
      for (const row of q.held.all(JSON.stringify([...unknown]))) {
        out.set(row.stream_id, { count: row.n, firstHlc: row.first, lastHlc: row.last });
      }
    }
    return out;
  }

  /** The spans of the streams `fresh` added to, as `held` described them before. */
  function keepSpans(held: ReadonlyMap<string, HeldStream>, fresh: ReadonlyMap<string, readonly StoredEvent[]>) {
    const epoch = projectionEpoch(db);
    fresh.forEach((added, streamId) => {
      const before = held.get(streamId);
      let firstHlc = before?.firstHlc ?? added[0]!.hlc;
      let lastHlc = before?.lastHlc ?? added[0]!.hlc;
      for (let i = 0; i < added.length; i++) {
        const hlc = added[i]!.hlc;
        if (hlc < firstHlc) firstHlc = hlc;
        if (hlc > lastHlc) lastHlc = hlc;
      }
      if (before !== undefined && spans.get(streamId) === before) {
        // The kept span itself (heldStreams hands one out only under the current epoch), after
        // the projectors that were given it have run: brought up to date where it is, in its
        // place in the eviction order, instead of a new object and a delete and set per stream.
        before.count += added.length;
        before.firstHlc = firstHlc;
        before.lastHlc = lastHlc;
        return;
      }
      spans.delete(streamId);
      spans.set(streamId, { count: (before?.count ?? 0) + added.length, firstHlc, lastHlc, epoch });
      if (spans.size > STREAM_SPANS) spans.delete(spans.keys().next().value!);
    });
  }

  const markSyncedTx = db.transaction((acks: readonly { id: string; serverSeq: number }[], syncedAt: number) => {
    const marked = q.markSyncedAll.run(syncedAt, JSON.stringify(acks.map((a) => [a.id, a.serverSeq]))).changes;
    if (marked > 0) q.advanceOutbox.run();
    return marked;
  });
  const committedListeners = new Set<(result: AppendResult) => void>();
  /**
   * Appends inside the outermost store.transaction that are waiting for its commit. Before,
   * they were announced at once: the mesh feed then sent a peer this console's own events
   * (escalation steps of a catch-up) that the enclosing transaction could still roll back,
   * and a crash before its commit would have numbered different events the same. One
   * announcement per commit also means one frame to each peer for a batch of steps, not one each.
   */
  let heldBack: AppendResult[] | null = null;

  /**
   * `flushLater` appends committed and not yet known to be on disk, in log order: held from
   * observers and from what leaves the console until a flush covers them. A durable commit
   * after them covers them too (it syncs the whole WAL), so they are always the log's tail.
   */
  const unflushed: AppendResult[] = [];
  let flushing = false;
  let flushAgain = false;
  /**
   * Who waits for the appends through a log position to be on disk (`flushed()`). Each waits
   * for what was committed when it asked, not for appends after: a peer session acknowledges
   * each received batch once its flush is done, and during a catch-up a later batch is always
   * committed and waiting for its own flush by then.
   */
  const flushWaiters: { through: number; settle: () => void }[] = [];
  const lastSeqOf = (result: AppendResult) => result.stored.at(-1)!.seq;

  function shareableThrough(): number {
    return unflushed.length === 0 ? Number.MAX_SAFE_INTEGER : unflushed[0]!.stored[0]!.seq - 1;
  }

  /** Announces the held appends through `through`, in order, as one commit. */
  function release(through: number): void {
    let n = 0;
    while (n < unflushed.length && lastSeqOf(unflushed[n]!) <= through) n++;
    const ready = unflushed.splice(0, n);
    if (ready.length > 0) announce(mergeResults(ready));
    const done = unflushed.length === 0 ? Infinity : unflushed[0]!.stored[0]!.seq - 1;
    let w = 0;
    while (w < flushWaiters.length && flushWaiters[w]!.through <= done) w++;
    for (const waiter of flushWaiters.splice(0, w)) waiter.settle();
  }

  /**
   * A durable (FULL) commit that stored events just happened: writing frames, it synced every
   * frame before it too. (A commit that wrote nothing syncs nothing: it releases nothing.)
   */
  function durablyCommitted(): void {
    if (unflushed.length > 0 && (db.pragma('synchronous', { simple: true }) as number) >= 2) release(Infinity);
  }

  /**
   * Syncs the WAL on libuv's thread pool (fdatasync: the frames SQLite wrote and the file's
   * size), then announces what was committed before the sync began. Not file === ':memory:'.
   */
  function flushSoon(): void {
    if (flushing) {
      flushAgain = true;
      return;
    }
    flushing = true;
    const through = lastSeqOf(unflushed.at(-1)!);
    const synced = (async () => {
      const wal = await openFile(`${file}-wal`, 'r');
      try {
        await wal.datasync();
      } finally {
        await wal.close();
      }
    })();
    synced.then(
      () => {
        flushing = false;
        if (!db.open) return;
        release(through);
        if (flushAgain && unflushed.length > 0) flushSoon();
        flushAgain = false;
      },
      (error: unknown) => {
        // Held until a later try or the next durable commit, which syncs them as well.
        flushing = false;
        flushAgain = false;
        console.error('[guardline] syncing the log failed; trying again in a second', error);
        setTimeout(() => {
          if (db.open && unflushed.length > 0) flushSoon();
        }, 1000).unref();
      },
    );
  }

  function announce(result: AppendResult): void {
    for (const listener of committedListeners) {
      // The append has committed: a failing observer must not turn it into a reported failure.
      try {
        listener(result);
      } catch (error) {
        console.error('[guardline] onCommitted listener failed', error);
      }
    }
  }
  const appendTx = db.transaction((events: readonly EventEnvelope[], options: AppendOptions): AppendResult => {
    const receivedAt = options.receivedAt ?? Date.now();
    const synced = options.synced;
    let prevHash = q.lastHash.get()?.hash ?? GENESIS_HASH;
    const stored: StoredEvent[] = [];
    const duplicates: string[] = [];
    let newlySynced = 0;
    // Per stream, which projectors handle one of its new events (a bit per projector).
    const touched = new Map<string, number>();
    // Each stream's new events, as a read of the log would return them (for the projectors).
    const fresh = new Map<string, StoredEvent[]>();
    const held =
      projectors.length > 0 && options.newStreams !== true ? heldStreams(events) : new Map<string, HeldStream>();
    const authoring = signer !== null && !synced && options.received !== true ? signer : null;
    let nextDeviceSeq: number | null = null;
    let ownPrev: string | null = null;
    // Which ids the log holds already: for a batch, one statement for all of them (a catch-up's
    // batch of 500 ran 500 lookups), plus the ids stored by this append (an id twice in a batch).
    const batchIds = options.heldIds
      ? new Set(options.heldIds)
      : events.length > 1
        ? idsHeld(events.map((e) => e.id))
        : null;
    const isHeld = (id: string) => (batchIds ? batchIds.has(id) : q.exists.get(id) !== undefined);
    // One parameters array for the whole append, filled per event: the insert binds it and
    // storedOf reads it before the next event refills every slot (a fresh 17-slot array per
    // event was the append's largest allocation after the payload text, heap sampling, 12q).
    const parameters: unknown[] = new Array<unknown>(chained ? INSERT_COLUMNS.length + 2 : INSERT_COLUMNS.length);
    // Indexed loops here and below: this function runs once per batch, mostly before V8
    // optimises it, and there each step of a for-of made an iterator result (and an entry array
    // for a Map's): garbage per event (heap sampling of the receive path, round 12q).
    for (let index = 0; index < events.length; index++) {
      const incoming = events[index]!;
      const serverSeq = synced?.serverSeqById.get(incoming.id);
      if (isHeld(incoming.id)) {
        duplicates.push(incoming.id);
        if (synced && serverSeq !== undefined) {
          newlySynced += q.markSynced.run(synced.syncedAt, serverSeq, incoming.id).changes;
        }
        continue;
      }
      let event = incoming;
      let signedCanonical: string | null = null;
      if (authoring && event.deviceId === authoring.deviceId && event.sig === undefined) {
        if (nextDeviceSeq === null) {
          if (ownHead?.deviceId === authoring.deviceId) {
            nextDeviceSeq = ownHead.seq + 1;
            ownPrev = chained ? ownHead.hash : null;
          } else {
            const head = q.authorHeadRow.get(authoring.deviceId);
            nextDeviceSeq = (head?.device_seq ?? 0) + 1;
            ownPrev = head && chained ? rowAuthorHash(head) : null;
          }
        }
        const numbered = { ...event, deviceSeq: nextDeviceSeq++, ...(ownPrev !== null ? { prev: ownPrev } : {}) };
        // The signed text is the chain's and the author hash's too (`sig` is outside it).
        signedCanonical = canonicalEvent(numbered);
        event = { ...numbered, sig: authoring.signCanonical(signedCanonical) };
      }
      // Computed by the receiver's author check already when it is the same (unsigned-here) object.
      const prepared = event === incoming ? options.prepared?.get(incoming) : undefined;
      // Made here only when a hash below needs it. Assigned in place rather than by a closure
      // over it: that closure and its context were two objects per event (round 12t).
      let canonical = signedCanonical ?? prepared?.canonical ?? null;
      const hash =
        prepared?.chain?.prevHash === prevHash
          ? prepared.chain.hash
          : chainHashOf(prevHash, (canonical ??= canonicalEvent(event)));
      const authorHash =
        event.sig !== undefined && event.deviceSeq !== undefined
          ? (prepared?.authorHash ?? authorHashOf(canonical ?? canonicalEvent(event), event.sig))
          : null;
      if (chained && authoring && event.deviceId === authoring.deviceId && authorHash !== null) ownPrev = authorHash;
      const payload = JSON.stringify(event.payload);
      const syncedAt = synced && serverSeq !== undefined ? synced.syncedAt : null;
      // Positional, in INSERT_COLUMNS order, then prev and author_hash (schema 8): no row object
      // in between (a catch-up made three objects per event here: row, parameters, stored event).
      // Every slot is written for every event; a store before schema 8 has only the first 15.
      parameters[0] = event.id;
      parameters[1] = event.streamId;
      parameters[2] = event.type;
      parameters[3] = payload;
      parameters[4] = event.actor;
      parameters[5] = event.deviceId;
      parameters[6] = event.deviceTime;
      parameters[7] = event.hlc;
      parameters[8] = prevHash;
      parameters[9] = hash;
      parameters[10] = receivedAt;
      parameters[11] = syncedAt;
      parameters[12] = serverSeq ?? null;
      parameters[13] = event.deviceSeq ?? null;
      parameters[14] = event.sig ?? null;
      if (chained) {
        parameters[15] = event.prev ?? null;
        parameters[16] = authorHash;
      }
      // Spread, not the array: better-sqlite3 then binds each argument as it is passed, where
      // for an array it reads every element back through N-API first (napi_get_element, a
      // handle scope each): 8 % less CPU per row, bench/results/history/12w-runs/insert-args.txt.
      const seq = Number(q.insert.run(...parameters).lastInsertRowid);
      if (batchIds) batchIds.add(event.id);
      // One object for the result and the projectors, as a read of the log would return it.
      const storedEvent = storedOf(event, isPlainJson(event.payload) ? event.payload : JSON.parse(payload), parameters);
      storedEvent.seq = seq;
      stored.push(storedEvent);
      const streamFresh = fresh.get(event.streamId);
      if (streamFresh) streamFresh.push(storedEvent);
      else fresh.set(event.streamId, [storedEvent]);
      prevHash = hash;
      if (event.deviceSeq !== undefined && event.deviceId === signer?.deviceId && event.deviceSeq > headSeen) {
        headSeen = event.deviceSeq;
        headSeenHash = authorHash;
      }
      touched.set(event.streamId, (touched.get(event.streamId) ?? 0) | projectorsFor(event.type));
    }
    touched.forEach((relevant, streamId) => {
      if (relevant === 0) return;
      // The stream is read back from the log only for a projector that needs all of it: a
      // new stream's events are all here already, and a projector that can extend its view
      // by events sorting after everything held (the usual case: a catch-up in log order, a
      // command) does so. A catch-up of 20,000 events spent most of its append time
      // re-reading and re-folding streams (issue 12, npm run bench mesh).
      const added = fresh.get(streamId)!;
      const before = held.get(streamId);
      let all: readonly StoredEvent[] | null = before ? null : inFoldOrder(added);
      const extensible = before !== undefined && added.every((e) => e.hlc > before.lastHlc);
      for (let i = 0; i < projectors.length; i++) {
        if ((relevant & (1 << i)) === 0) continue;
        const p = projectors[i]!;
        if (extensible && p.extend?.(db, streamId, added, before)) continue;
        all ??= q.stream.all(streamId).map(toStored);
        p.project(db, streamId, all);
      }
    });
    // After the projectors, which read `held`: keepSpans brings kept spans up to date in place.
    if (projectors.length > 0) keepSpans(held, fresh);
    options.alsoInTransaction?.();
    return { stored, duplicates, streams: [...touched.keys()], newlySynced };
  });

  // roomInWal: after a wait, none again below this many frames until the log has restarted
  // (a reader in the WAL keeps SQLite from restarting it even when every frame is copied:
  // then every batch would wait for a checkpoint of its own).
  let waitAgainAt = 0;
  let framesSeen = 0;
  // The worker's completed count when the stream last went on past a running pass (holdForRoom).
  let passSeen: number | null = null;
  let roomWaits = 0;
  let roomShort = 0;
  let roomWaitMs = 0;

  /**
   * The wait `roomInWal` returns: worker checkpoints until the WAL is fully copied or has
   * restarted since `start` (roomMade: the deferred catch-up may commit meanwhile), bounded.
   */
  async function roomInWal(start: WalFrames, flushed: () => Promise<void>): Promise<void> {
    roomWaits += 1;
    const began = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let over = false;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        over = true;
        resolve();
      }, tuning.roomWaitMs ?? ROOM_WAIT_MS);
    });
    const copyAll = async () => {
      // A checkpoint already running began before the last commits: it leaves their frames.
      for (let pass = 0; pass < ROOM_PASSES && !over && checkpointer; pass++) {
        const wal = walIndex === null ? null : walFrames(walIndex);
        if (!wal || roomMade(start, wal)) return;
        checkpointer.request(0);
        await checkpointer.settled();
      }
    };
    try {
      // The flush beside the copy, not before it: the worker's checkpoint syncs the WAL itself
      // before copying (synchronous=FULL on its connection), and the log restarts only at the
      // next transaction, which this wait holds back.
      await Promise.race([Promise.all([flushed(), copyAll()]), timeout]);
    } finally {
      clearTimeout(timer);
    }
    roomWaitMs += performance.now() - began;
    const wal = walIndex === null ? null : walFrames(walIndex);
    if (!wal || !roomMade(start, wal)) roomShort += 1;
    waitAgainAt = (wal?.frames ?? start.frames) + HIGH_WATER_PAGES / 4;
  }

  return {
    file,
    schemaVersion,
    db,
    registerProjector(projector) {
      if (projectors.some((p) => p.name === projector.name))
        throw new Error(`projector ${projector.name} registered twice`);
      if (projectors.length >= 31) throw new Error('at most 31 projectors');
      projectors.push(projector);
      handling.clear();
    },
    useSigner(next) {
      signer = next;
      ownHead = null;
    },
    registerDeferredProjector(projector) {
      if (deferred.some((p) => p.name === projector.name))
        throw new Error(`deferred projector ${projector.name} registered twice`);
      deferred.push(projector);
      // A pass under way was planned without it: plan again from the mark, so it sees every event.
      pass = null;
      // Start-up: whatever a crash left behind is indexed on the next turns of the event loop,
      // and upkeep left undone (a merge under way, a file from before schema 14) goes on.
      scheduleDeferred(0);
      scheduleTidy();
      scheduleThoroughTidy();
    },
    catchUpDeferred() {
      if (db.inTransaction) return;
      while (catchUpSlice());
    },
    append(events, options) {
      const nested = db.inTransaction;
      const later = options?.flushLater === true && file !== ':memory:';
      if (later && nested) throw new Error('a flushLater append is a transaction of its own');
      headSeen = 0;
      headSeenHash = null;
      let result: AppendResult;
      // As lazyCommit: not prepared once, SQLite applies `PRAGMA synchronous` as it runs.
      const level = later ? (db.pragma('synchronous', { simple: true }) as number) : 0;
      if (level > 1) db.pragma('synchronous = NORMAL');
      try {
        result = appendTx.immediate(events, options ?? {});
      } catch (error) {
        ownHead = null;
        writesMayBeUndone(db);
        throw error;
      } finally {
        if (level > 1) db.pragma(`synchronous = ${level}`);
      }
      // Inside a transaction opened with db.transaction, not store.transaction: its rollback
      // would pass the store by, so nothing this append's projectors wrote may be trusted kept.
      if (nested && heldBack === null) writesMayBeUndone(db);
      if (nested && heldBack === null) {
        // An enclosing transaction the store did not open may still roll back, unseen by it:
        // the head is not known to be committed.
        ownHead = null;
      } else if (headSeen > 0 && signer) {
        // Committed, or inside a store.transaction, whose every rollback (of this transaction,
        // a savepoint in it, or a later append in it) drops the head again: the head is what
        // it was or the highest number just stored; not known yet (first command, or after a
        // drop), it is read once from the log (inside a transaction, with its own rows).
        if (ownHead?.deviceId === signer.deviceId) {
          if (headSeen > ownHead.seq) ownHead = { deviceId: signer.deviceId, seq: headSeen, hash: headSeenHash };
        } else {
          const head = q.authorHeadRow.get(signer.deviceId);
          ownHead = head
            ? { deviceId: signer.deviceId, seq: head.device_seq ?? 0, hash: chained ? rowAuthorHash(head) : null }
            : null;
        }
      }
      checkpointer?.committed(walWeight(result.stored.length));
      if (result.stored.length > 0 && !nested) scheduleDeferred();
      if (!nested && !later && result.stored.length > 0) durablyCommitted();
      if (result.stored.length === 0) return result;
      if (later) {
        unflushed.push(result);
        flushSoon();
        return result;
      }
      // Inside store.transaction the events are not committed yet: they are announced when
      // it commits (and forgotten if it rolls back).
      if (nested && heldBack) heldBack.push(result);
      else announce(result);
      return result;
    },
    onCommitted(listener) {
      committedListeners.add(listener);
      return () => committedListeners.delete(listener);
    },
    flushed() {
      if (unflushed.length === 0) return Promise.resolve();
      // In log order: the waiters settle front first.
      const through = lastSeqOf(unflushed.at(-1)!);
      return new Promise((resolve) => flushWaiters.push({ through, settle: resolve }));
    },
    async settled() {
      await this.flushed();
      checkpointer?.request(SERIES_CHECKPOINT_EVERY);
      await checkpointer?.settled();
    },
    roomInWal() {
      if (!checkpointer || walIndex === null || !db.open || db.inTransaction) return null;
      const wal = walFrames(walIndex);
      if (!wal) return null;
      // Fewer frames than last seen: the log restarted, the last wait did its work.
      if (wal.frames < framesSeen) {
        waitAgainAt = 0;
        passSeen = null;
      }
      framesSeen = wal.frames;
      if (wal.frames < Math.max(HIGH_WATER_PAGES, waitAgainAt)) return null;
      // Past the mark, held only for a pass that began after the stream's last commit, so
      // the wait is one pass of what came since the one before (issue 12s, holdForRoom). A WAL
      // that did not restart after a wait is held again only past waitAgainAt.
      if (waitAgainAt <= HIGH_WATER_PAGES && !holdForRoom(wal.frames, checkpointer, passSeen)) {
        passSeen = checkpointer.completed;
        return null;
      }
      passSeen = null;
      return roomInWal(wal, () => this.flushed());
    },
    shareableThrough,
    transaction(fn, options) {
      const outermost = !db.inTransaction;
      const later = options?.flushLater === true && file !== ':memory:';
      if (later && !outermost) throw new Error('a flushLater transaction is a transaction of its own');
      if (outermost) heldBack = [];
      // A savepoint that rolls back takes its appends with it, so their announcements go too.
      const mark = heldBack?.length ?? 0;
      let result: ReturnType<typeof fn>;
      // As append's flushLater: the pragma applies to the commit that follows.
      const level = later ? (db.pragma('synchronous', { simple: true }) as number) : 0;
      if (level > 1) db.pragma('synchronous = NORMAL');
      try {
        result = db.transaction(fn).immediate();
      } catch (error) {
        ownHead = null;
        writesMayBeUndone(db);
        if (outermost) heldBack = null;
        else if (heldBack) heldBack.length = mark;
        throw error;
      } finally {
        if (level > 1) db.pragma(`synchronous = ${level}`);
      }
      checkpointer?.committed(outermost ? walWeight((heldBack ?? []).reduce((n, r) => n + r.stored.length, 0)) : 1);
      scheduleDeferred();
      if (outermost) {
        const results = heldBack ?? [];
        heldBack = null;
        if (results.length > 0 && later) {
          unflushed.push(mergeResults(results));
          flushSoon();
        } else if (results.length > 0) {
          durablyCommitted();
          announce(mergeResults(results));
        }
      }
      return result;
    },
    streamEvents: (streamId) => q.stream.all(streamId).map(toStored),
    getEvent(id) {
      const row = q.byId.get(id);
      return row ? toStored(row) : null;
    },
    heldEvents(ids) {
      const out = new Map<string, StoredEvent>();
      if (ids.length === 0) return out;
      for (const row of q.byIds.all(JSON.stringify(ids))) out.set(row.id, toStored(row));
      return out;
    },
    heldIds(ids) {
      if (ids.length === 0) return new Set();
      return idsHeld(ids);
    },
    outbox: (limit, afterSeq = 0) => q.outbox.all(afterSeq, shareableThrough(), limit).map(toStored),
    outboxRows: (limit, afterSeq = 0) => q.outboxRows.all(afterSeq, shareableThrough(), limit),
    outboxCount: () => q.outboxCount.get(shareableThrough())?.n ?? 0,
    authorHead: (deviceId) => q.authorHeadRow.get(deviceId)?.device_seq ?? 0,
    authorHashAt(deviceId, deviceSeq) {
      const row = q.authorAt.get(deviceId, deviceSeq);
      return row ? rowAuthorHash(row) : null;
    },
    authoredAfter: (deviceId, after, limit) => q.authoredAfter.all(deviceId, after, limit).map(toStored),
    markSynced(acks, syncedAt) {
      // A lost "synced" mark only causes an idempotent re-push, so this commit need not
      // wait for its own fsync: in WAL mode the next durable (FULL) commit flushes it too,
      // in order. That saves one disk flush per pushed batch.
      db.pragma('synchronous = NORMAL');
      try {
        return markSyncedTx(acks, syncedAt);
      } finally {
        db.pragma('synchronous = FULL');
        checkpointer?.committed();
      }
    },
    maxHlc() {
      const after = q.maxHlcAfter.get(derivedThrough)?.hlc ?? null;
      const max = after !== null && after > derivedMaxHlc ? after : derivedMaxHlc;
      return max === '' ? null : max;
    },
    getMeta(key) {
      const kept = metaRead.get(key);
      if (kept !== undefined) return kept;
      const value = q.getMeta.get(key)?.value ?? null;
      if (!db.inTransaction) metaRead.set(key, value);
      return value;
    },
    setMeta(key, value) {
      // Dropped first: a transaction that rolls this back leaves nothing wrong kept.
      metaRead.delete(key);
      q.setMeta.run(key, value);
    },
    verifyChain: () => checkChain(db),
    checkpoints: () =>
      checkpointer
        ? { completed: checkpointer.completed, running: checkpointer.running, roomWaits, roomShort, roomWaitMs }
        : null,
    close() {
      // Twice is a no-op (a quit path and a test's clean-up may both call it): the -shm
      // descriptor's number may by then be another file's, which a second close would shut.
      if (closeCalled) return;
      closeCalled = true;
      if (deferredTimer) clearTimeout(deferredTimer);
      deferredTimer = null;
      if (tidyTurn) clearImmediate(tidyTurn);
      tidyTurn = null;
      if (thoroughTimer) clearTimeout(thoroughTimer);
      thoroughTimer = null;
      closing = checkpointer?.close() ?? closing;
      // Only once the worker's connection is closed too (this one is by then): see walFrames.
      if (walIndex !== null) closing = closing.then(() => closeSync(walIndex));
      // Nothing waits on a flush after close: what it held back is work its caller does again.
      if (db.open) db.close();
      for (const waiter of flushWaiters.splice(0)) waiter.settle();
    },
    closed: () => closing,
  };
}
