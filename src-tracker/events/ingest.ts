/**
 * Stores a checked batch: new events get the next server seqs, replays of stored
 * events get their original seqs back, and a replay whose content differs aborts the
 * whole batch (409) with nothing stored. Which transaction it runs in, and when that
 * commits, is the ingestor's business (ingestor.ts). HQ's projections are folded
 * after the commit (projections/projector.ts): a push waits only for its events.
 */
import { sql, type Transaction } from 'kysely';
import type { PushResult } from '../../src-shared/sync-wire.ts';
import type { DbKind } from '../db/database.ts';
import type { TrackerDatabase } from '../db/schema.ts';
import type { AuthedDevice } from '../http/auth.ts';
import { TrackerFailure } from '../http/errors.ts';
import { DeviceRevokedPayload } from '../../src-shared/device-revocation.ts';
import { revokeDeviceByRecord } from '../enrolment/enrolment-store.ts';
import { chunks, rowToEnvelope, type EventRow } from './event-rows.ts';
import { INSERT_ROWS, insertEvents, type EventInsert } from './insert-events.ts';
import { conflictError, sameFact, type CheckedBatch, type CheckedEvent } from './validate-push.ts';

const IN_LIST_SIZE = 500;

export interface IngestOutcome {
  results: PushResult[];
  /** Largest seq of the facility after the commit when this batch added events, else null. */
  newHead: number | null;
  /** How many pushes shared the commit (ingestor.ts); 1 when committed alone. */
  sharedCommit: number;
}

/**
 * Stores one checked batch inside `trx`, which the caller commits. Throws a
 * TrackerFailure (409) when a replayed id carries different content; the caller
 * then rolls back everything this call wrote.
 */
export async function ingestInto(
  trx: Transaction<TrackerDatabase>,
  kind: DbKind,
  device: AuthedDevice,
  batch: CheckedBatch,
  receivedAt: number,
): Promise<IngestOutcome> {
  if (batch.order.length === 0) return { results: [], newHead: null, sharedCommit: 1 };
  if (kind === 'postgres') {
    // Seqs come from a sequence, and a concurrent transaction could commit seq 11
    // before seq 10: a console pulling in between would skip 10 forever. Holding a
    // per-facility lock until commit makes a facility's seqs become visible in order.
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${'guardline.ingest:' + device.facility}, 0))`.execute(trx);
  }
  // Insert first: ON CONFLICT skips ids already stored, and only those are read back and
  // compared. Reading every id before inserting cost a second pass over the index for
  // the common case, a fresh batch. A replay with different content throws, and the
  // caller rolls back what this call inserted.
  const seqs = new Map<string, { seq: number; status: PushResult['status'] }>();
  let newHead: number | null = null;
  const skipped: CheckedEvent[] = [];
  for (const part of chunks(batch.events, INSERT_ROWS)) {
    const inserted = await insertEvents(
      trx,
      kind,
      part.map((e) => toRow(e, device, receivedAt)),
    );
    for (const row of inserted) {
      const seq = Number(row.server_seq);
      seqs.set(row.id, { seq, status: 'accepted' });
      newHead = Math.max(newHead ?? 0, seq);
    }
    if (inserted.length < part.length) for (const e of part) if (!seqs.has(e.envelope.id)) skipped.push(e);
  }
  if (skipped.length > 0) {
    // Stored before (a re-push), or by another facility's transaction meanwhile.
    const stored = await storedEvents(
      trx,
      skipped.map((e) => e.envelope.id),
    );
    for (const event of skipped) {
      const existing = stored.get(event.envelope.id);
      if (!existing) throw new Error(`event ${event.envelope.id} neither inserted nor found`);
      assertSameFact(existing, event, device, batch);
      seqs.set(event.envelope.id, { seq: Number(existing.server_seq), status: 'duplicate' });
    }
  }

  const fresh = batch.events.filter((e) => seqs.get(e.envelope.id)?.status === 'accepted');
  await applyRevocations(trx, device.facility, fresh, receivedAt);

  const reported = new Set<string>();
  const results = batch.order.map((id): PushResult => {
    const outcome = seqs.get(id);
    if (!outcome) throw new Error(`no outcome for event ${id}`);
    // A repeated id inside one batch is stored once; later copies report as duplicates.
    const status = reported.has(id) ? 'duplicate' : outcome.status;
    reported.add(id);
    return { id, status, serverSeq: outcome.seq };
  });
  return { results, newHead, sharedCommit: 1 };
}

/**
 * A console's `device.revoked` record revokes the device's token the way HQ does
 * (`revoked_at`, enrolment-store.ts `revokeDevice`), in the transaction that stores the
 * record, and keeps its cutoff; of two revocations the lower cutoff wins (as on consoles).
 * An HQ revocation (cutoff NULL) is left as it is: it already refuses everything.
 */
async function applyRevocations(
  trx: Transaction<TrackerDatabase>,
  facility: string,
  fresh: readonly CheckedEvent[],
  now: number,
): Promise<void> {
  for (const event of fresh) {
    if (event.envelope.type !== 'device.revoked') continue;
    const record = DeviceRevokedPayload.safeParse(event.envelope.payload);
    if (!record.success || record.data.facility !== facility) continue;
    await revokeDeviceByRecord(trx, { ...record.data, facility }, now);
  }
}

async function storedEvents(trx: Transaction<TrackerDatabase>, ids: readonly string[]): Promise<Map<string, EventRow>> {
  const found = new Map<string, EventRow>();
  for (const part of chunks(ids, IN_LIST_SIZE)) {
    const rows = await trx.selectFrom('events').selectAll().where('id', 'in', part).execute();
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

function assertSameFact(existing: EventRow, event: CheckedEvent, device: AuthedDevice, batch: CheckedBatch): void {
  if (existing.facility === device.facility && sameFact(rowToEnvelope(existing), event.envelope)) return;
  const index = batch.order.indexOf(event.envelope.id);
  throw new TrackerFailure(conflictError(event.envelope.id, `events.${index}.id`));
}

function toRow(e: CheckedEvent, device: AuthedDevice, receivedAt: number): EventInsert {
  return {
    id: e.envelope.id,
    facility: device.facility,
    stream_id: e.envelope.streamId,
    type: e.envelope.type,
    payload: e.payloadText,
    actor: e.envelope.actor,
    device_id: e.envelope.deviceId,
    device_time: e.envelope.deviceTime,
    hlc: e.envelope.hlc,
    received_at: receivedAt,
    pushed_by: device.id,
    device_seq: e.envelope.deviceSeq ?? null,
    sig: e.envelope.sig ?? null,
    prev: e.envelope.prev ?? null,
  };
}
