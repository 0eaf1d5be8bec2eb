/**
 * Facility-wide revocations (`device.revoked`, rule in src-shared/device-revocation.ts):
 * the fold into `device_revocations` and the in-memory cutoffs every receiving path asks
 * ("was this event written by a revoked device after its cutoff?"). The map is loaded once
 * and kept current from commits and from records screened in a batch, so a revocation
 * earlier in a batch applies to the device's later events in the same batch.
 */
import { DeviceRevokedPayload, mergeCutoff, revokedAfterCutoff } from '../../../src-shared/device-revocation.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import type { EventStore, Projector } from '../store/event-store.ts';

export const deviceRevocationProjector: Projector = {
  name: 'device-revocations',
  handles: (type) => type === 'device.revoked',
  project(db, _streamId, events) {
    const upsert = db.prepare(
      `INSERT INTO device_revocations (device_id, through_seq, facility, revoked_by, reason, event_id, hlc)
       VALUES (@deviceId, @throughSeq, @facility, @revokedBy, @reason, @eventId, @hlc)
       ON CONFLICT (device_id) DO UPDATE SET
         through_seq = min(through_seq, excluded.through_seq),
         revoked_by = CASE WHEN excluded.through_seq < through_seq THEN excluded.revoked_by ELSE revoked_by END,
         reason = CASE WHEN excluded.through_seq < through_seq THEN excluded.reason ELSE reason END,
         event_id = CASE WHEN excluded.through_seq < through_seq THEN excluded.event_id ELSE event_id END,
         hlc = CASE WHEN excluded.through_seq < through_seq THEN excluded.hlc ELSE hlc END`,
    );
    for (const event of events) {
      if (event.type !== 'device.revoked') continue;
      const record = DeviceRevokedPayload.safeParse(event.payload);
      if (!record.success) continue;
      upsert.run({ ...record.data, eventId: event.id, hlc: event.hlc });
    }
  },
};

export interface DeviceRevocation {
  deviceId: string;
  throughSeq: number;
  revokedBy: string;
  reason: string;
}

export interface Revocations {
  /** The device's cutoff, or null when it is not revoked. */
  cutoff(deviceId: string): number | null;
  /** True for an event its author wrote after being revoked (refuse it; never forward it). */
  withheld(event: Pick<EventEnvelope, 'deviceId' | 'deviceSeq'>): boolean;
  /** Take a verified record into account before it is stored (screening a batch). */
  note(event: EventEnvelope): void;
  list(): DeviceRevocation[];
  /** Called with the revoked device id whenever a revocation is stored. */
  onRevoked(listener: (deviceId: string) => void): () => void;
}

export function createRevocations(store: EventStore, facility: () => string): Revocations {
  const cutoffs = new Map<string, number>();
  const rows = store.db
    .prepare<[], { device_id: string; through_seq: number }>('SELECT device_id, through_seq FROM device_revocations')
    .all();
  for (const r of rows) cutoffs.set(r.device_id, r.through_seq);
  const listeners = new Set<(deviceId: string) => void>();

  function note(event: EventEnvelope): string | null {
    if (event.type !== 'device.revoked') return null;
    const record = DeviceRevokedPayload.safeParse(event.payload);
    if (!record.success || record.data.facility !== facility()) return null;
    cutoffs.set(record.data.deviceId, mergeCutoff(cutoffs.get(record.data.deviceId), record.data.throughSeq));
    return record.data.deviceId;
  }

  store.onCommitted((result) => {
    for (const event of result.stored) {
      const revoked = note(event);
      if (revoked) for (const l of listeners) l(revoked);
    }
  });

  return {
    cutoff: (deviceId) => cutoffs.get(deviceId) ?? null,
    withheld: (event) => revokedAfterCutoff(cutoffs, event),
    note: (event) => void note(event),
    list: () =>
      store.db
        .prepare<[], { device_id: string; through_seq: number; revoked_by: string; reason: string }>(
          'SELECT device_id, through_seq, revoked_by, reason FROM device_revocations ORDER BY device_id',
        )
        .all()
        .map((r) => ({ deviceId: r.device_id, throughSeq: r.through_seq, revokedBy: r.revoked_by, reason: r.reason })),
    onRevoked(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
