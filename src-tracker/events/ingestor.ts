/**
 * Runs pushes' batches against the database and decides when they commit.
 *
 * SQLite has one writer, and with synchronous=FULL each commit waits for the disk
 * (about a millisecond here). Committing every push on its own capped the tracker at
 * a few hundred pushes a second, so 200 consoles pushing at once queued for seconds.
 * Here pushes that arrive while a commit is under way wait for it and then go in
 * together: one transaction, each push inside its own savepoint, one disk flush.
 * A push that fails (a replay with different content) rolls back to its savepoint
 * alone, so each push is still stored whole or not at all, and none is answered
 * before the commit that made it durable. A failed commit fails the whole group and
 * nothing was stored: the consoles retry.
 *
 * PostgreSQL takes concurrent writers and flushes commits together itself, so there
 * each push keeps its own transaction.
 *
 * A push's signatures and payload schemas are checked on worker threads while its rows
 * are inserted here (`verdict`, verify-authors.ts `startAuthorCheck`): the event loop no
 * longer idles waiting for the workers before it can write. The push's savepoint is released only
 * once its verdict is in, and rolled back when the verdict refuses it, so a refused push
 * stores nothing and no push is answered before it was both verified and committed. On
 * PostgreSQL the verdict is awaited before the transaction opens, so a facility's ingest
 * lock is never held waiting for workers. So is a small push's (below OVERLAP_FROM
 * events): its verdict is a fraction of a millisecond away, its insert shorter still,
 * and while a transaction waits for a verdict no other request can read the database,
 * so 200 consoles' live pushes would queue behind each other's verdicts.
 */
import { sql, type Transaction } from 'kysely';
import type { TrackerDb } from '../db/database.ts';
import type { TrackerDatabase } from '../db/schema.ts';
import type { AuthedDevice } from '../http/auth.ts';
import { ingestInto, type IngestOutcome } from './ingest.ts';
import type { CheckedBatch } from './validate-push.ts';
import type { PushRefusal } from './verify-authors.ts';

/** Bounds one group's transaction (events across its pushes), so a group never holds the writer for long. */
const GROUP_MAX_EVENTS = 10_000;
/** Pushes from this size on are inserted while their signatures are checked (a drain's 1,000-event pushes). */
export const OVERLAP_FROM = 100;

export interface Ingestor {
  /**
   * Stores `batch` once `verdict` (the push's check of authorship and payloads, running
   * meanwhile) accepts it; rejects with PushRefused, and stores nothing, when it refuses.
   */
  ingest(
    device: AuthedDevice,
    batch: CheckedBatch,
    receivedAt: number,
    verdict?: Promise<PushRefusal | null>,
  ): Promise<IngestOutcome>;
}

/** A push the check refused (authorship or a payload's schema, verify-authors.ts); nothing of it was stored. */
export class PushRefused extends Error {
  readonly refusal: PushRefusal;
  constructor(refusal: PushRefusal) {
    super(refusal.error.message);
    this.name = 'PushRefused';
    this.refusal = refusal;
  }
}

const ACCEPTED = Promise.resolve(null);

interface Job {
  device: AuthedDevice;
  batch: CheckedBatch;
  receivedAt: number;
  verdict: Promise<PushRefusal | null>;
  resolve(outcome: IngestOutcome): void;
  reject(error: unknown): void;
}

export function createIngestor(store: TrackerDb): Ingestor {
  if (store.kind === 'postgres') {
    return {
      async ingest(device, batch, receivedAt, verdict = ACCEPTED) {
        const refusal = await verdict;
        if (refusal) throw new PushRefused(refusal);
        return store.db.transaction().execute((trx) => ingestInto(trx, store.kind, device, batch, receivedAt));
      },
    };
  }

  const waiting: Job[] = [];
  let scheduled = false;

  function takeGroup(): Job[] {
    const group: Job[] = [];
    let events = 0;
    while (waiting.length > 0) {
      const next = waiting[0]!;
      if (group.length > 0 && events + next.batch.events.length > GROUP_MAX_EVENTS) break;
      group.push(waiting.shift()!);
      events += next.batch.events.length;
    }
    return group;
  }

  async function commitGroup(group: Job[]): Promise<void> {
    const outcomes = new Map<Job, { ok: true; outcome: IngestOutcome } | { ok: false; error: unknown }>();
    try {
      await store.db.transaction().execute(async (trx) => {
        for (const job of group) {
          await sql`SAVEPOINT push`.execute(trx);
          const result = await verifiedIngest(trx, job);
          if (!result.ok) await sql`ROLLBACK TO SAVEPOINT push`.execute(trx);
          outcomes.set(job, result);
          await sql`RELEASE SAVEPOINT push`.execute(trx);
        }
      });
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    store.committed();
    for (const job of group) {
      const result = outcomes.get(job)!;
      if (result.ok) job.resolve({ ...result.outcome, sharedCommit: group.length });
      else job.reject(result.error);
    }
  }

  // better-sqlite3 blocks the event loop for the whole transaction, disk flush
  // included, so requests that arrive meanwhile are only read once it returns. Each
  // group therefore starts on the turn after its first push, once the loop has read
  // every request already waiting on the sockets: those join it.
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  }

  async function flush(): Promise<void> {
    await commitGroup(takeGroup());
    scheduled = false;
    if (waiting.length > 0) schedule();
  }

  return {
    async ingest(device, batch, receivedAt, verdict = ACCEPTED) {
      if (batch.events.length < OVERLAP_FROM) {
        const refusal = await verdict;
        if (refusal) throw new PushRefused(refusal);
        verdict = ACCEPTED;
      }
      return new Promise<IngestOutcome>((resolve, reject) => {
        waiting.push({ device, batch, receivedAt, verdict, resolve, reject });
        schedule();
      });
    },
  };
}

/**
 * One push inside its savepoint: the rows first, then the verdict, which outranks any
 * failure of the insert (a forged event is refused as forged, as when verification ran
 * first, even when it also replays an id with other content).
 */
async function verifiedIngest(
  trx: Transaction<TrackerDatabase>,
  job: Job,
): Promise<{ ok: true; outcome: IngestOutcome } | { ok: false; error: unknown }> {
  let stored: { ok: true; outcome: IngestOutcome } | { ok: false; error: unknown };
  try {
    stored = { ok: true, outcome: await ingestInto(trx, 'sqlite', job.device, job.batch, job.receivedAt) };
  } catch (error) {
    stored = { ok: false, error };
  }
  try {
    const refusal = await job.verdict;
    return refusal ? { ok: false, error: new PushRefused(refusal) } : stored;
  } catch (error) {
    return { ok: false, error };
  }
}
