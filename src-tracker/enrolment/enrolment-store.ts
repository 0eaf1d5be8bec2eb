/**
 * Enrolment: HQ creates a short-lived one-time code for a facility; a console trades
 * it for a device token. Codes and tokens are stored only as hashes. Spending a code
 * is one conditional UPDATE, so two consoles racing with the same code cannot both win.
 */
import { randomUUID } from 'node:crypto';
import type { TrackerDb } from '../db/database.ts';
import { hashSecret, newDeviceToken, newEnrolmentCode, normaliseEnrolmentCode } from '../auth/tokens.ts';
import { fail } from '../http/errors.ts';
import type { EnrollResponse, EnrolmentCodeResponse } from '../../src-shared/sync-wire.ts';

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

export async function enrollDevice(
  store: TrackerDb,
  request: { code: string; deviceId: string; label: string },
  now: number,
): Promise<EnrollResponse> {
  const codeHash = hashSecret(normaliseEnrolmentCode(request.code));
  const deviceToken = newDeviceToken();
  return store.db.transaction().execute(async (trx) => {
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
      })
      .execute();
    const named = await trx.selectFrom('facilities').select('name').where('id', '=', spent.facility).executeTakeFirst();
    return { deviceToken, facility: spent.facility, facilityName: named?.name ?? spent.facility };
  });
}

/** Returns false when no such enrolment exists. Revoking twice keeps the first time. */
export async function revokeDevice(store: TrackerDb, id: string, now: number): Promise<boolean> {
  const found = await store.db.selectFrom('devices').select('id').where('id', '=', id).executeTakeFirst();
  if (!found) return false;
  await store.db
    .updateTable('devices')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return true;
}
