/**
 * A device enrolled straight into a tracker store (no HTTP), with its public key from
 * device-keys.ts, and the device row the push path authenticates as: what the tracker's
 * ingest tests and the ingest bench push as.
 */
import type { TrackerDb } from '../../src-tracker/db/database.ts';
import { hashSecret } from '../../src-tracker/auth/tokens.ts';
import { createEnrolmentCode, enrollDevice } from '../../src-tracker/enrolment/enrolment-store.ts';
import type { AuthedDevice } from '../../src-tracker/http/auth.ts';
import { createTrackerAuthor } from '../../src-tracker/identity/authored-events.ts';
import { loadTrackerIdentity } from '../../src-tracker/identity/tracker-identity.ts';
import { DEFAULT_LIMITS } from '../../src-tracker/server.ts';
import { testKey } from './device-keys.ts';

export async function enrolInStore(
  store: TrackerDb,
  facility: string,
  deviceId: string,
  label: string,
): Promise<{ device: AuthedDevice; token: string }> {
  const { code } = await createEnrolmentCode(store, { facility, ttlMinutes: 5 }, Date.now());
  const identity = await loadTrackerIdentity(store, Date.now());
  const author = createTrackerAuthor({ store, identity, limits: DEFAULT_LIMITS, clock: Date.now });
  const { deviceToken } = await enrollDevice(
    { store, identity, author },
    { code, deviceId, label, publicKey: testKey(deviceId).publicKey },
    Date.now(),
  );
  const row = await store.db
    .selectFrom('devices')
    .select(['id', 'device_id', 'facility'])
    .where('token_hash', '=', hashSecret(deviceToken))
    .executeTakeFirstOrThrow();
  return { device: { id: row.id, deviceId: row.device_id, facility: row.facility }, token: deviceToken };
}
