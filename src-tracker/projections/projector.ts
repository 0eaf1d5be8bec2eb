/**
 * Keeps HQ's projections (incidents, outages) caught up with the events, after the
 * pushes that stored them have committed rather than inside their transactions.
 *
 * Why: refolding inside the push made every push pay for HQ's view (reading the
 * touched streams back, folding, upserting), which was most of its cost, and a
 * console's push waited on work only HQ reads. Projections are derived views, so
 * they can trail the events briefly without losing anything:
 *  - the events are the truth; each facility has a cursor (`projection_cursors`)
 *    saying up to which seq its projections are current, moved in the same
 *    transaction as the rows it covers, so a crash at any point only repeats work;
 *  - pushes wake the projector, which folds every stream touched past the cursor
 *    once, a few streams per short transaction that skips the disk flush (see
 *    projectionTransaction), so pushes interleave with it; pushes that arrive
 *    close together are folded together (a stream several of them touched is
 *    folded once): a fold waits for a pause in pushes, but at most a second;
 *  - HQ reads `settled()` first, so a read sees every push answered before it.
 *
 * Facilities' seqs become visible in order (ingest.ts), so a per-facility cursor
 * never skips an event that commits later. Runs never overlap within the process; with
 * several processes on one PostgreSQL only the advisory-lock leader folds
 * (cluster/pg-cluster.ts).
 */
import { sql, type Transaction } from 'kysely';
import type { TrackerDb } from '../db/database.ts';
import type { TrackerDatabase } from '../db/schema.ts';
import { incidentProjector } from './incidents.ts';
import { outageProjector } from './outages.ts';
import { catalogProjector, lineStateProjector } from './lines.ts';
import { chunks } from '../events/event-rows.ts';
import { foldStreams, readStreams, type StreamProjector } from './refold.ts';
import { createParsedHints, type SeqRanges } from './parsed-hints.ts';

const PROJECTORS: readonly StreamProjector[] = [
  incidentProjector,
  outageProjector,
  lineStateProjector,
  catalogProjector,
];
/** Streams folded per transaction: few enough that a push waiting behind one is not held up for long. */
const STREAMS_PER_TRANSACTION = 100;
/**
 * A fold starts once pushes have paused this long, so pushes close together are folded
 * together; HQ reads never wait for it (they settle).
 */
const DEFAULT_DELAY_MS = 100;
/**
 * ...but never later than this after the first push it covers. During a drain pushes
 * never pause: folding after every few pushes refolded a stream once per push that
 * touched it (in the sync bench's backlog an incident's events reach the tracker in up
 * to three pushes), on the event loop the pushes need.
 */
const DEFAULT_MAX_DELAY_MS = 1_000;
const RETRY_AFTER_FAILURE_MS = 1_000;

export interface HqProjector {
  /**
   * A push stored events for `facility`: fold them soon. `asParsed`: seqs of those events whose
   * payload its schema keeps as it is, which the fold need not parse again (parsed-hints.ts).
   */
  notify(facility: string, asParsed?: SeqRanges): void;
  /** This process now holds the projector lock: catch every facility up. */
  becameLeader(): Promise<void>;
  /** Resolves once every event committed before the call shows in HQ's tables (or projecting failed and was logged). */
  settled(): Promise<void>;
  /** Finish the chunk in progress, then stop for good. */
  stop(): Promise<void>;
}

export interface ProjectorOptions {
  delayMs?: number;
  maxDelayMs?: number;
  onError?: (error: unknown, facility: string) => void;
  /**
   * Several trackers on one PostgreSQL (cluster/pg-cluster.ts): only the leader folds;
   * the others' reads wait until the leader's cursors reach the heads they saw.
   */
  isLeader?: () => boolean;
}

/** How long a standby's read waits for the leader before answering with what is there. */
const STANDBY_SETTLE_MS = 5_000;
const STANDBY_POLL_MS = 25;

export function createHqProjector(store: TrackerDb, options: ProjectorOptions = {}): HqProjector {
  const delayMs = options.delayMs ?? DEFAULT_DELAY_MS;
  const maxDelayMs = Math.max(delayMs, options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
  const dirty = new Set<string>();
  const hints = createParsedHints();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  /** When the oldest push not yet folded (nor covered by a run under way) arrived. */
  let waitingSince: number | null = null;

  function schedule(after: number): void {
    if (stopped || running || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void start();
    }, after);
    timer.unref();
  }

  /** Debounced: `delayMs` after the latest push, at most `maxDelayMs` after the oldest waiting one. */
  function scheduleAfterPushes(): void {
    const now = Date.now();
    waitingSince ??= now;
    if (stopped || running) return;
    if (timer) clearTimeout(timer);
    timer = null;
    schedule(Math.max(0, Math.min(delayMs, waitingSince + maxDelayMs - now)));
  }

  function start(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (stopped) return Promise.resolve();
    if (!running) {
      waitingSince = null;
      running = runAll().finally(() => {
        running = null;
        if (dirty.size === 0) return;
        if (failed) schedule(RETRY_AFTER_FAILURE_MS);
        // Pushes that arrived during the run: their window started when they did.
        else scheduleAfterPushes();
      });
    }
    return running;
  }

  let failed = false;
  const leading = () => options.isLeader?.() ?? true;

  async function runAll(): Promise<void> {
    failed = false;
    if (!leading()) {
      dirty.clear();
      return;
    }
    while (dirty.size > 0 && !stopped) {
      const facility = dirty.values().next().value!;
      dirty.delete(facility);
      try {
        await catchUp(store, facility, () => stopped, hints.lookup(facility));
      } catch (error) {
        // Keep the facility for a later run; HQ shows its last good picture meanwhile.
        dirty.add(facility);
        failed = true;
        options.onError?.(error, facility);
        return;
      }
    }
  }

  // Events stored before a crash (or before a restart) may not be folded yet.
  const loaded = store.db
    .selectFrom('facilities')
    .select('id')
    .execute()
    .then((rows) => {
      for (const row of rows) dirty.add(row.id);
      schedule(0);
    })
    .catch((error: unknown) => options.onError?.(error, '*'));

  return {
    notify(facility, asParsed) {
      if (asParsed) hints.add(facility, asParsed);
      dirty.add(facility);
      scheduleAfterPushes();
    },
    async becameLeader() {
      // The previous leader may have died mid-run: catch every facility up from its cursor.
      const rows = await store.db.selectFrom('facilities').select('id').execute();
      for (const row of rows) dirty.add(row.id);
      schedule(0);
    },
    async settled() {
      await loaded;
      if (!leading()) return standbySettled(store);
      // A run already under way may have read its chunk before the caller's push committed.
      if (running) await running;
      if (dirty.size > 0) await start();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

/** A standby's reads: wait (bounded) until every facility's cursor reaches its head as of now. */
async function standbySettled(store: TrackerDb): Promise<void> {
  const heads = await store.db
    .selectFrom('events')
    .select(['facility', (eb) => eb.fn.max('server_seq').as('head')])
    .groupBy('facility')
    .execute();
  const deadline = Date.now() + STANDBY_SETTLE_MS;
  for (;;) {
    const cursors = new Map(
      (await store.db.selectFrom('projection_cursors').select(['facility', 'projected_seq']).execute()).map((c) => [
        c.facility,
        Number(c.projected_seq),
      ]),
    );
    if (heads.every((h) => (cursors.get(h.facility) ?? 0) >= Number(h.head))) return;
    if (Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, STANDBY_POLL_MS));
  }
}

/**
 * Folds one facility up to its head as of now: every stream touched since the cursor
 * is folded once, however many of its events arrived, a few streams per transaction;
 * the cursor moves to the head last, so a run cut short is simply repeated.
 */
async function catchUp(
  store: TrackerDb,
  facility: string,
  stopped: () => boolean,
  asParsed: (seq: number) => boolean,
): Promise<void> {
  const [headRow, cursorRow] = await Promise.all([
    store.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('server_seq').as('head'))
      .where('facility', '=', facility)
      .executeTakeFirst(),
    store.db
      .selectFrom('projection_cursors')
      .select('projected_seq')
      .where('facility', '=', facility)
      .executeTakeFirst(),
  ]);
  const head = headRow?.head == null ? 0 : Number(headRow.head);
  const cursor = cursorRow ? Number(cursorRow.projected_seq) : 0;
  if (cursor >= head) return;
  const touched = await store.db
    .selectFrom('events')
    .select(['stream_id', 'type'])
    .where('facility', '=', facility)
    .where('server_seq', '>', cursor)
    .where('server_seq', '<=', head)
    .execute();
  const streams = [
    ...new Set(touched.filter((e) => PROJECTORS.some((p) => p.handles(e.type))).map((e) => e.stream_id)),
  ];
  for (const part of chunks(streams, STREAMS_PER_TRANSACTION)) {
    // better-sqlite3 works synchronously and Kysely's awaits settle as microtasks, so
    // without a real turn of the event loop a whole run would hold off every request.
    await new Promise((resolve) => setImmediate(resolve));
    if (stopped()) return;
    // Read and folded first, outside the transaction: it then only writes, so on the projector
    // thread's own connection it holds SQLite's one writer for the upserts alone.
    const write = foldStreams(facility, await readStreams(store.db, PROJECTORS, facility, part, asParsed));
    if (stopped()) return;
    await projectionTransaction(store, write);
  }
  await projectionTransaction(store, (trx) =>
    trx
      .insertInto('projection_cursors')
      .values({ facility, projected_seq: head })
      .onConflict((oc) => oc.column('facility').doUpdateSet({ projected_seq: head }))
      .execute(),
  );
}

/**
 * A projection commit need not wait for the disk: its rows and cursor are derived
 * from events that are already durable, and if power fails before they reach the
 * disk they are simply folded again. So it commits without a flush (SQLite
 * synchronous=NORMAL for this transaction, PostgreSQL synchronous_commit=off); the
 * next push's flush carries it to disk anyway, and pushes keep their full flush.
 */
async function projectionTransaction<T>(
  store: TrackerDb,
  work: (trx: Transaction<TrackerDatabase>) => Promise<T>,
): Promise<T> {
  if (store.kind === 'postgres') {
    return store.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(trx);
      return work(trx);
    });
  }
  return store.db.connection().execute(async (connection) => {
    await sql`PRAGMA synchronous = NORMAL`.execute(connection);
    try {
      return await connection.transaction().execute(work);
    } finally {
      await sql`PRAGMA synchronous = FULL`.execute(connection);
    }
  });
}
