/** Row <-> wire conversions for the events table. */
import type { Selectable } from 'kysely';
import type { EventEnvelope } from '../../src-shared/events.ts';
import type { PulledEvent } from '../../src-shared/sync-wire.ts';
import type { EventsTable } from '../db/schema.ts';

export type EventRow = Selectable<EventsTable>;

/** The columns an envelope is built from; the author's seq, signature and link may be left unread (HQ's folds). */
export type EnvelopeRow = Pick<
  EventRow,
  'id' | 'stream_id' | 'type' | 'payload' | 'actor' | 'device_id' | 'device_time' | 'hlc'
> &
  Partial<Pick<EventRow, 'device_seq' | 'sig' | 'prev'>>;

export function rowToEnvelope(row: EnvelopeRow): EventEnvelope {
  return {
    id: row.id,
    streamId: row.stream_id,
    type: row.type as EventEnvelope['type'],
    payload: JSON.parse(row.payload) as unknown,
    actor: row.actor,
    deviceId: row.device_id,
    deviceTime: Number(row.device_time),
    hlc: row.hlc,
    ...(row.device_seq != null ? { deviceSeq: Number(row.device_seq) } : {}),
    ...(row.sig != null ? { sig: row.sig } : {}),
    ...(row.prev != null ? { prev: row.prev } : {}),
  };
}

export function rowToPulled(row: EventRow): PulledEvent {
  return { ...rowToEnvelope(row), serverSeq: Number(row.server_seq), receivedAt: Number(row.received_at) };
}

/** Split for IN lists and multi-row inserts: keeps statements well under SQLite's and PostgreSQL's parameter limits. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
