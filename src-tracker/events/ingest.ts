/**
 * Stores a checked batch in one transaction: new events get the next server seqs,
 * replays of stored events get their original seqs back, and a replay whose content
 * differs aborts the whole batch (409) with nothing stored. HQ's projections of the
 * touched streams are refolded in the same transaction, so HQ never sees an event
 * without its effect.
 */
import { sql, type Transaction } from 'kysely';
import type { PushResult } from '../../src-shared/sync-wire.ts';
import type { TrackerDb } from '../db/database.ts';
import type { TrackerDatabase } from '../db/schema.ts';
import type { AuthedDevice } from '../http/auth.ts';
import { TrackerFailure } from '../http/errors.ts';
import { incidentProjector } from '../projections/incidents.ts';
import { outageProjector } from '../projections/outages.ts';
import { prepareRefold } from '../projections/refold.ts';
import { chunks, rowToEnvelope, type EventRow } from './event-rows.ts';
import { conflictError, sameFact, type CheckedBatch, type CheckedEvent } from './validate-push.ts';

const IN_LIST_SIZE = 500;
const PROJECTORS = [incidentProjector, outageProjector];
/** 1000 rows x 11 columns stays under SQLite's 32766 and PostgreSQL's 65535 parameters. */
const INSERT_ROWS = 1000;

export interface IngestOutcome {
  results: PushResult[];
  /** Largest seq of the facility after the commit when this batch added events, else null. */
  newHead: number | null;
}

export async function ingestBatch(
  store: TrackerDb,
  device: AuthedDevice,
  batch: CheckedBatch,
  receivedAt: number,
): Promise<IngestOutcome> {
  if (batch.order.length === 0) return { results: [], newHead: null };
  return store.db.transaction().execute(async (trx) => {
    if (store.kind === 'postgres') {
      // Seqs come from a sequence, and a concurrent transaction could commit seq 11
      // before seq 10: a console pulling in between would skip 10 forever. Holding a
      // per-facility lock until commit makes a facility's seqs become visible in order.
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${'guardline.ingest:' + device.facility}, 0))`.execute(
        trx,
      );
    }
    const seqs = new Map<string, { seq: number; status: PushResult['status'] }>();
    const stored = await storedEvents(
      trx,
      batch.events.map((e) => e.envelope.id),
    );
    const fresh: CheckedEvent[] = [];
    for (const event of batch.events) {
      const existing = stored.get(event.envelope.id);
      if (!existing) {
        fresh.push(event);
        continue;
      }
      assertSameFact(existing, event, device, batch);
      seqs.set(event.envelope.id, { seq: Number(existing.server_seq), status: 'duplicate' });
    }

    const refold = await prepareRefold(
      trx,
      device.facility,
      PROJECTORS,
      fresh.map((e) => e.envelope),
    );

    let newHead: number | null = null;
    const raced: CheckedEvent[] = [];
    for (const part of chunks(fresh, INSERT_ROWS)) {
      const inserted = await trx
        .insertInto('events')
        .values(part.map((e) => toRow(e, device, receivedAt)))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning(['id', 'server_seq'])
        .execute();
      const insertedIds = new Set<string>();
      for (const row of inserted) {
        const seq = Number(row.server_seq);
        insertedIds.add(row.id);
        seqs.set(row.id, { seq, status: 'accepted' });
        newHead = Math.max(newHead ?? 0, seq);
      }
      for (const e of part) if (!insertedIds.has(e.envelope.id)) raced.push(e);
    }
    if (raced.length > 0) {
      // Another facility's transaction stored the same id between our read and insert.
      const winners = await storedEvents(
        trx,
        raced.map((e) => e.envelope.id),
      );
      for (const event of raced) {
        const existing = winners.get(event.envelope.id);
        if (!existing) throw new Error(`event ${event.envelope.id} neither inserted nor found`);
        assertSameFact(existing, event, device, batch);
        seqs.set(event.envelope.id, { seq: Number(existing.server_seq), status: 'duplicate' });
      }
    }

    const accepted = fresh.filter((e) => seqs.get(e.envelope.id)?.status === 'accepted').map((e) => e.envelope);
    await refold.apply(accepted);

    const reported = new Set<string>();
    const results = batch.order.map((id): PushResult => {
      const outcome = seqs.get(id);
      if (!outcome) throw new Error(`no outcome for event ${id}`);
      // A repeated id inside one batch is stored once; later copies report as duplicates.
      const status = reported.has(id) ? 'duplicate' : outcome.status;
      reported.add(id);
      return { id, status, serverSeq: outcome.seq };
    });
    return { results, newHead };
  });
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

function toRow(e: CheckedEvent, device: AuthedDevice, receivedAt: number) {
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
  };
}
