/**
 * Enrolment: HQ creates a short-lived one-time code for a facility; a console trades
 * it and its Ed25519 public key for a device token. Codes and tokens are stored only as
 * hashes. Spending a code is one conditional UPDATE, so two consoles racing with the
 * same code cannot both win.
 *
 * The key is bound to the token (issue 12), and in the same transaction the tracker
 * writes a signed `device.enrolled` record into the facility's log, so every console of
 * the facility learns the new device's key before any event the device authors.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TrackerDb } from '../db/database.ts';
import type { TrackerDatabase } from '../db/schema.ts';
import { hashSecret, newDeviceToken, newEnrolmentCode, normaliseEnrolmentCode } from '../auth/tokens.ts';
import { fail } from '../http/errors.ts';
import type { DeviceKeyResponse, EnrollResponse, EnrolmentCodeResponse } from '../../src-shared/sync-wire.ts';
import { deviceStreamId, TRACKER_DEVICE_ID, type DeviceEnrolledPayload } from '../../src-shared/signed-envelope.ts';
import type { DeviceRevokedPayload } from '../../src-shared/device-revocation.ts';
import type { TrackerAuthor } from '../identity/authored-events.ts';
import type { TrackerIdentity } from '../identity/tracker-identity.ts';

/** Creates the facility if new (named `name`, else by its id); a given name renames an existing one. */
export async function ensureFacility(store: TrackerDb, facility: string, now: number, name?: string): Promise<void> {
  await store.db
    .insertInto('facilities')
    .values({ id: facility, created_at: now, name: name ?? facility })
    .onConflict((oc) => (name ? oc.column('id').doUpdateSet({ name }) : oc.column('id').doNothing()))
    .execute();
}

/** Which facility an unspent, unexpired code enrols into, with its display name; null otherwise. */
export async function previewEnrolment(store: TrackerDb, code: string, now: number) {
  const row = await store.db
    .selectFrom('enrolment_codes as c')
    .innerJoin('facilities as f', 'f.id', 'c.facility')
    .select(['f.id', 'f.name'])
    .where('c.code_hash', '=', hashSecret(normaliseEnrolmentCode(code)))
    .where('c.used_at', 'is', null)
    .where('c.expires_at', '>', now)
    .executeTakeFirst();
  return row ? { facility: row.id, facilityName: row.name ?? row.id } : null;
}

export async function createEnrolmentCode(
  store: TrackerDb,
  request: { facility: string; ttlMinutes: number; name?: string | undefined },
  now: number,
): Promise<EnrolmentCodeResponse> {
  const code = newEnrolmentCode();
  const expiresAt = now + request.ttlMinutes * 60_000;
  await ensureFacility(store, request.facility, now, request.name);
  await store.db
    .insertInto('enrolment_codes')
    .values({
      code_hash: hashSecret(normaliseEnrolmentCode(code)),
      facility: request.facility,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  const named = await store.db
    .selectFrom('facilities')
    .select('name')
    .where('id', '=', request.facility)
    .executeTakeFirst();
  return { code, facility: request.facility, facilityName: named?.name ?? request.facility, expiresAt };
}

export interface KeyedEnrolment {
  store: TrackerDb;
  identity: TrackerIdentity;
  author: TrackerAuthor;
}

/** What a device record says; the tracker authors it. */
function deviceRecord(deviceId: string, publicKey: string, facility: string, label: string, signingSince: number) {
  const payload: DeviceEnrolledPayload = {
    deviceId,
    publicKey,
    facility,
    label,
    enrolledBy: TRACKER_DEVICE_ID,
    signingSince,
  };
  return { type: 'device.enrolled' as const, streamId: deviceStreamId(deviceId), payload, actor: 'enrolment' };
}

export async function enrollDevice(
  deps: KeyedEnrolment,
  request: { code: string; deviceId: string; label: string; publicKey: string; signingSince?: number | undefined },
  now: number,
): Promise<EnrollResponse & { newHead: number | null }> {
  if (request.deviceId === TRACKER_DEVICE_ID) {
    throw fail('invalid_input', `deviceId: "${TRACKER_DEVICE_ID}" is the tracker's own author id`, 'deviceId');
  }
  const codeHash = hashSecret(normaliseEnrolmentCode(request.code));
  const deviceToken = newDeviceToken();
  return deps.store.db.transaction().execute(async (trx) => {
    const spent = await trx
      .updateTable('enrolment_codes')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('facility')
      .executeTakeFirst();
    if (!spent) {
      const known = await trx
        .selectFrom('enrolment_codes')
        .select(['used_at'])
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      const why = !known ? 'unknown enrolment code' : known.used_at !== null ? 'code already used' : 'code expired';
      throw fail('unauthenticated', why, 'code');
    }
    await trx
      .insertInto('devices')
      .values({
        id: randomUUID(),
        device_id: request.deviceId,
        facility: spent.facility,
        label: request.label,
        token_hash: hashSecret(deviceToken),
        created_at: now,
        revoked_at: null,
        public_key: request.publicKey,
        key_bound_at: Math.min(request.signingSince ?? now, now),
      })
      .execute();
    const { newHead } = await deps.author.record(
      trx,
      spent.facility,
      [
        deviceRecord(
          request.deviceId,
          request.publicKey,
          spent.facility,
          request.label,
          Math.min(request.signingSince ?? now, now),
        ),
      ],
      now,
    );
    const named = await trx.selectFrom('facilities').select('name').where('id', '=', spent.facility).executeTakeFirst();
    return {
      deviceToken,
      facility: spent.facility,
      facilityName: named?.name ?? spent.facility,
      trackerKey: deps.identity.publicKey,
      newHead,
    };
  });
}

/**
 * A device enrolled before signing existed binds its key, once, with its own token.
 * Events it authored before this moment may still arrive unsigned from it (its
 * pre-signature backlog); everything after must be signed.
 */
export async function bindDeviceKey(
  deps: KeyedEnrolment,
  device: { id: string; deviceId: string; facility: string },
  publicKey: string,
  now: number,
  signingSince: number = now,
): Promise<DeviceKeyResponse & { newHead: number | null }> {
  const since = Math.min(signingSince, now);
  return deps.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('devices')
      .select(['public_key', 'key_bound_at', 'label'])
      .where('id', '=', device.id)
      .executeTakeFirstOrThrow();
    if (row.public_key !== null) {
      if (row.public_key !== publicKey) {
        throw fail('conflict', 'this device token is already bound to another key; enrol again', 'publicKey');
      }
      return { trackerKey: deps.identity.publicKey, boundAt: Number(row.key_bound_at), newHead: null };
    }
    await trx
      .updateTable('devices')
      .set({ public_key: publicKey, key_bound_at: since })
      .where('id', '=', device.id)
      .where('public_key', 'is', null)
      .execute();
    const { newHead } = await deps.author.record(
      trx,
      device.facility,
      [deviceRecord(device.deviceId, publicKey, device.facility, row.label, since)],
      now,
    );
    return { trackerKey: deps.identity.publicKey, boundAt: since, newHead };
  });
}

/**
 * HQ revokes an enrolment: its token stops authenticating and nothing the device authored
 * is accepted any more (no cutoff). In the same transaction the tracker writes a signed
 * `device.revoked` record into the facility's log, so every console drops the device from
 * its mesh too; its cutoff for consoles is the device's highest `device_seq` the tracker
 * holds. Returns null when no such enrolment exists. Revoking twice keeps the first time
 * and writes no second record.
 */
export async function revokeDevice(
  deps: KeyedEnrolment,
  id: string,
  now: number,
): Promise<{ facility: string; newHead: number | null } | null> {
  return deps.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('devices')
      .select(['device_id', 'facility', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    if (row.revoked_at !== null) return { facility: row.facility, newHead: null };
    await trx.updateTable('devices').set({ revoked_at: now }).where('id', '=', id).execute();
    if (row.device_id === TRACKER_DEVICE_ID) return { facility: row.facility, newHead: null };
    const head = await trx
      .selectFrom('events')
      .select((eb) => eb.fn.max('device_seq').as('top'))
      .where('facility', '=', row.facility)
      .where('device_id', '=', row.device_id)
      .executeTakeFirst();
    const payload: DeviceRevokedPayload = {
      deviceId: row.device_id,
      facility: row.facility,
      throughSeq: Number(head?.top ?? 0),
      revokedBy: TRACKER_DEVICE_ID,
      reason: 'HQ',
    };
    const fact = { type: 'device.revoked' as const, streamId: deviceStreamId(row.device_id), payload, actor: 'hq' };
    const { newHead } = await deps.author.record(trx, row.facility, [fact], now);
    return { facility: row.facility, newHead };
  });
}

/**
 * A console's `device.revoked` record revokes the device the same way (its token stops
 * authenticating: `revoked_at`, checked by http/auth.ts), plus the record's cutoff and
 * author. Revoking twice keeps the first time; a second record can only lower the cutoff,
 * and an HQ revocation (no cutoff: nothing accepted) never gains one.
 */
export async function revokeDeviceByRecord(
  db: Kysely<TrackerDatabase>,
  record: { deviceId: string; facility: string; throughSeq: number; revokedBy: string },
  now: number,
): Promise<void> {
  const rows = await db
    .selectFrom('devices')
    .select(['id', 'revoked_at', 'revoked_through_seq'])
    .where('device_id', '=', record.deviceId)
    .where('facility', '=', record.facility)
    .execute();
  for (const row of rows) {
    const cutoff = { revoked_through_seq: record.throughSeq, revoked_by: record.revokedBy };
    if (row.revoked_at === null) {
      await db
        .updateTable('devices')
        .set({ revoked_at: now, ...cutoff })
        .where('id', '=', row.id)
        .execute();
    } else if (row.revoked_through_seq !== null && record.throughSeq < Number(row.revoked_through_seq)) {
      await db.updateTable('devices').set(cutoff).where('id', '=', row.id).execute();
    }
  }
}
