/**
 * Archives closed incidents once the console's retention period has passed: each gets an
 * `incident.archived` event, which takes it out of the list and search (the projector drops
 * archived incidents), syncs to the tracker (which keeps the incident) and to the other
 * consoles of the facility (which drop it too), and shows in the audit trail. Nothing is
 * deleted: the log is append-only and its hash chain stays whole.
 *
 * Runs on a timer while the console is up, and on demand (`retention.run`); a run asked
 * for while one is under way joins it.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RetentionStatus } from '../../../src-shared/retention.ts';
import type { Logger } from '../app.ts';
import { SYSTEM_ACTOR, type EventFactory } from '../event-factory.ts';
import type { EventStore } from '../store/event-store.ts';
import type { Timers } from '../timers.ts';
import { hlcCutoff, hlcWallMs } from './model.ts';

/**
 * Archiving writes, so it stays in the single writer (the core's connection); a first run
 * over years of incidents is sliced into small transactions with a turn of the event loop
 * between them (issue 16), so probes, escalation timers and calls run between slices
 * instead of waiting for the whole sweep.
 *
 * A slice is bounded by time, not by a fixed count: what one archive costs depends on the
 * disk, the machine's load and what listens to commits, so the sweep measures each slice
 * (its candidates read, its transaction and the listeners the commit runs) and sizes the
 * next one to stay inside `SLICE_BUDGET_MS`: twice as many after a slice under half the
 * budget, half as many after one over it, between 1 and `MAX_SLICE`.
 *
 * A slice's commit does not wait for the disk (`flushLater`, event-store.ts): on a busy disk
 * one fsync took up to 46 ms on the core's thread (strace of a sweep on the stall bench's
 * console), more than the whole slice budget. The store syncs the WAL off the thread and only
 * then announces the archives and lets them leave the console; the next slice waits for
 * that (never the thread), so at most one slice is unflushed. A power cut takes back at most
 * that slice, which the next sweep archives again; the run's record is a durable commit.
 * With no fsync in it a slice's fixed cost is small, so the budget is 5 ms (it was 10): a
 * slice that lands in the same turn of the event loop as a probe round's answers (up to
 * ~30 ms of CPU on the 200-line bench) adds at most about twice the budget to it.
 */
export const SLICE_BUDGET_MS = 5;
/** The first slice's size, before any slice was measured. */
export const FIRST_SLICE = 8;
export const MAX_SLICE = 256;
/** Closed incidents read per candidate query (a range of the status index, never a sort). */
const CANDIDATES = 200;
const LAST_RUN_KEY = 'retention.last_run';
export const DEFAULT_SWEEP_INTERVAL_MS = 6 * 60 * 60 * 1000;
/** The first sweep waits this long after start, so start-up is not slowed by it. */
export const FIRST_SWEEP_DELAY_MS = 60 * 1000;

export interface RetentionDeps {
  store: EventStore;
  event: EventFactory;
  wallClock: () => number;
  timers: Timers;
  logger: Logger;
  /** Closed incidents untouched this many days are archived; null or absent: retention is off. */
  closedIncidentDays?: number | null;
  sweepIntervalMs?: number;
  /** A progress sink for one run (incidents archived of those due at its start). */
  progress?: () => (done: number, total: number) => void;
  /** Time per slice the sweep aims for (ms); see SLICE_BUDGET_MS. */
  sliceBudgetMs?: number;
  /** The clock slices are timed with (tests drive it); default `performance.now`. */
  sliceClock?: () => number;
}

export interface Retention {
  readonly closedIncidentDays: number | null;
  /** Counts what is due in slices of the closed incidents, a turn of the event loop between. */
  status(): Promise<RetentionStatus>;
  /**
   * Archives every incident that is due now, in small transactions with a turn of the event
   * loop between them; resolves to how many. 0 when retention is off. A call while a run is
   * under way resolves with that run's count.
   */
  run(actor: string): Promise<number>;
  start(): void;
  stop(): void;
}

export function createRetention(deps: RetentionDeps): Retention {
  const { store, event, wallClock, timers, logger } = deps;
  const days = deps.closedIncidentDays ?? null;
  if (days !== null && (!Number.isInteger(days) || days < 1)) {
    throw new RangeError(`retention period must be a whole number of days >= 1, got ${days}`);
  }
  const interval = deps.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const budgetMs = deps.sliceBudgetMs ?? SLICE_BUDGET_MS;
  const sliceClock = deps.sliceClock ?? (() => performance.now());
  const q = {
    // Closed incidents in created order after a cursor: a range of `incidents_status`
    // (status, created_hlc), so each read costs its rows, not a scan and sort of every
    // closed incident (which a 100,000-incident console paid once per slice).
    //
    // `created_hlc >= ?` is what bounds the range: SQLite can start an index range only at
    // a term of its own, never inside an OR, so with the cursor written as
    // `created_hlc > ? OR (created_hlc = ? AND id > ?)` alone the plan was `incidents_status
    // (status=?)` and every read walked the closed incidents from the first one up to the
    // cursor; a read's cost grew with how far the sweep (or the count) had gone, and with
    // every closed incident not yet due (a sweep's later reads on a console with many).
    // The OR stays as a filter inside the range (issue 16w). INDEXED BY: the plan must not
    // depend on planner statistics (ANALYZE, `PRAGMA optimize`) a console's file may or may
    // not hold, and a missing index fails the statement here, not a slice at run time.
    closedAfter: store.db.prepare<
      [string, string, string, number],
      { id: string; created_hlc: string; updated_hlc: string }
    >(
      `SELECT id, created_hlc, updated_hlc FROM incidents INDEXED BY incidents_status
        WHERE status = 'closed' AND created_hlc >= ? AND (created_hlc > ? OR id > ?)
        ORDER BY created_hlc, id LIMIT ?`,
    ),
    countArchived: store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM incidents_archived'),
  };
  let timer: unknown = null;
  let stopped = false;

  function lastRun(): RetentionStatus['lastRun'] {
    const raw = store.getMeta(LAST_RUN_KEY);
    return raw ? (JSON.parse(raw) as RetentionStatus['lastRun']) : null;
  }

  let running: Promise<number> | null = null;

  /**
   * The closed incidents due before `cutoff`, counted along the same index range as the sweep
   * reads, CANDIDATES at a time, a turn of the event loop after each SLICE_BUDGET_MS: one
   * count(*) over every closed incident reads each row for its `updated_hlc`, 24–51 ms of the
   * core's thread for the stall bench's 10,000 (at every sweep's start and every status call).
   */
  async function countDue(cutoff: string): Promise<number> {
    let n = 0;
    let cursor = { hlc: '', id: '' };
    for (;;) {
      const started = sliceClock();
      do {
        if (!store.db.open) return n;
        const rows = q.closedAfter.all(cursor.hlc, cursor.hlc, cursor.id, CANDIDATES);
        if (rows.length === 0) return n;
        for (const row of rows) if (row.updated_hlc < cutoff) n += 1;
        const last = rows.at(-1)!;
        cursor = { hlc: last.created_hlc, id: last.id };
      } while (sliceClock() - started <= budgetMs);
      await nextTurn();
    }
  }

  async function sweep(actor: string): Promise<number> {
    if (days === null) return 0;
    const now = wallClock();
    const cutoff = hlcCutoff(now, days);
    const progress = deps.progress?.();
    const total = await countDue(cutoff);
    if (!store.db.open) return 0;
    progress?.(0, total);
    let archived = 0;
    // Where the scan of closed incidents stands: (created_hlc, id) of the last one read.
    let cursor = { hlc: '', id: '' };
    let exhausted = false;
    let size = FIRST_SLICE;
    for (;;) {
      const started = sliceClock();
      // This slice's incidents, read in the same turn as their transaction: one reopened
      // or noted since the sweep began is no longer closed and due, and is left alone.
      const due: { id: string; updated_hlc: string }[] = [];
      while (due.length < size) {
        const rows = q.closedAfter.all(cursor.hlc, cursor.hlc, cursor.id, CANDIDATES);
        if (rows.length === 0) {
          exhausted = true;
          break;
        }
        for (const row of rows) {
          cursor = { hlc: row.created_hlc, id: row.id };
          if (row.updated_hlc < cutoff) due.push(row);
          if (due.length === size) break;
        }
        // Many closed incidents, few due: the reading alone is bounded by the budget too.
        if (sliceClock() - started > budgetMs) break;
      }
      if (due.length > 0) {
        // Not waiting for the disk: an archive a power cut takes back is done again by the
        // next sweep, and nothing a user was told is saved rides in this transaction.
        store.append(
          due.map((row) =>
            event(
              'incident.archived',
              row.id,
              { reason: 'retention', retentionDays: days, lastActivityAt: hlcWallMs(row.updated_hlc) },
              actor,
            ),
          ),
          { flushLater: true },
        );
        archived += due.length;
        progress?.(archived, Math.max(total, archived));
      }
      if (exhausted) break;
      const took = sliceClock() - started;
      if (took > budgetMs) size = Math.max(1, Math.floor(size / 2));
      else if (took < budgetMs / 2) size = Math.min(MAX_SLICE, size * 2);
      // The slice's flush, and a WAL checkpoint, run off this thread meanwhile: at most one
      // slice waits for its flush, and the WAL stays short (see EventStore.settled).
      await Promise.all([nextTurn(), store.settled()]);
      if (stopped || !store.db.open) break;
    }
    if (!store.db.open) return archived; // the console closed between slices
    await store.flushed();
    if (!store.db.open) return archived;
    // A durable commit: the run's record, and every archive before it, are on disk now.
    store.setMeta(LAST_RUN_KEY, JSON.stringify({ at: Math.floor(now), archived }));
    if (archived < total) progress?.(archived, archived);
    return archived;
  }

  function run(actor: string): Promise<number> {
    running ??= sweep(actor).finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(delayMs: number): void {
    if (stopped || days === null) return;
    timer = timers.setTimeout(() => {
      timer = null;
      run(SYSTEM_ACTOR)
        .catch((error: unknown) => logger.error('retention sweep failed; will retry at the next interval', error))
        .finally(() => schedule(interval));
    }, delayMs);
  }

  return {
    closedIncidentDays: days,
    async status() {
      const due = days === null ? 0 : await countDue(hlcCutoff(wallClock(), days));
      return {
        closedIncidentDays: days,
        due,
        archived: store.db.open ? (q.countArchived.get()?.n ?? 0) : 0,
        lastRun: store.db.open ? lastRun() : null,
      };
    },
    run,
    start() {
      stopped = false;
      if (timer === null) schedule(Math.min(FIRST_SWEEP_DELAY_MS, interval));
    },
    stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}
