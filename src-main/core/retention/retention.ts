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
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RetentionStatus } from '../../../src-shared/retention.ts';
import type { Logger } from '../app.ts';
import { SYSTEM_ACTOR, type EventFactory } from '../event-factory.ts';
import type { EventStore } from '../store/event-store.ts';
import type { Timers } from '../timers.ts';
import { hlcCutoff, hlcWallMs } from './model.ts';

/**
 * Incidents archived per transaction. Archiving writes, so it stays in the single writer
 * (the core's connection); a first run over years of incidents is sliced into small
 * transactions with a turn of the event loop between them (issue 16), so probes,
 * escalation timers and calls run between slices instead of waiting for the whole sweep.
 */
export const RETENTION_BATCH = 20;
const BATCH = RETENTION_BATCH;
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
}

export interface Retention {
  readonly closedIncidentDays: number | null;
  status(): RetentionStatus;
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
  const q = {
    due: store.db.prepare<[string, number], { id: string; updated_hlc: string }>(
      `SELECT id, updated_hlc FROM incidents WHERE status = 'closed' AND updated_hlc < ? ORDER BY updated_hlc LIMIT ?`,
    ),
    countDue: store.db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM incidents WHERE status = 'closed' AND updated_hlc < ?`,
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

  async function sweep(actor: string): Promise<number> {
    if (days === null) return 0;
    const now = wallClock();
    const cutoff = hlcCutoff(now, days);
    const progress = deps.progress?.();
    const total = q.countDue.get(cutoff)?.n ?? 0;
    progress?.(0, total);
    const seen = new Set<string>();
    for (;;) {
      const batch = q.due.all(cutoff, BATCH);
      if (batch.length === 0) break;
      // The projector drops archived incidents from the list; one still there is a bug, not a reason to loop.
      if (batch.some((row) => seen.has(row.id))) throw new Error('an archived incident is still in the list');
      for (const row of batch) seen.add(row.id);
      store.append(
        batch.map((row) =>
          event(
            'incident.archived',
            row.id,
            { reason: 'retention', retentionDays: days, lastActivityAt: hlcWallMs(row.updated_hlc) },
            actor,
          ),
        ),
      );
      progress?.(seen.size, Math.max(total, seen.size));
      if (batch.length < BATCH) break;
      await nextTurn();
      if (stopped || !store.db.open) break;
    }
    if (!store.db.open) return seen.size; // the console closed between slices
    store.setMeta(LAST_RUN_KEY, JSON.stringify({ at: Math.floor(now), archived: seen.size }));
    if (seen.size < total) progress?.(seen.size, seen.size);
    return seen.size;
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
    status() {
      return {
        closedIncidentDays: days,
        due: days === null ? 0 : (q.countDue.get(hlcCutoff(wallClock(), days))?.n ?? 0),
        archived: q.countArchived.get()?.n ?? 0,
        lastRun: lastRun(),
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
