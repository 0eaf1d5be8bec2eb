/**
 * Folds `device.enrolled` records into `device_keys`, the console's keyring table. A
 * record reaches the log only after its own signature was verified (console-keyring.ts)
 * or because this console wrote it, so the fold trusts what it sees. Keys are only ever
 * added: a device re-enrolled with a new key keeps its old one for its old events.
 */
import { DeviceEnrolledPayload } from '../../../src-shared/signed-envelope.ts';
import type { Projector } from '../store/event-store.ts';

export const deviceKeyProjector: Projector = {
  name: 'device-keys',
  handles: (type) => type === 'device.enrolled',
  project(db, _streamId, events) {
    const insert = db.prepare(
      `INSERT INTO device_keys (device_id, public_key, facility, label, enrolled_by, event_id, hlc, signing_since)
       VALUES (@deviceId, @publicKey, @facility, @label, @enrolledBy, @eventId, @hlc, @signingSince)
       ON CONFLICT (device_id, public_key) DO NOTHING`,
    );
    for (const event of events) {
      if (event.type !== 'device.enrolled') continue;
      const record = DeviceEnrolledPayload.safeParse(event.payload);
      if (!record.success) continue;
      insert.run({ ...record.data, signingSince: record.data.signingSince ?? null, eventId: event.id, hlc: event.hlc });
    }
  },
};
