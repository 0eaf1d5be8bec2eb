/**
 * The tracker's own Ed25519 key. It signs the events the tracker authors (roster changes
 * made at HQ, `device.enrolled` records), and consoles learn its public key at enrolment.
 *
 * Kept in the database rather than a file: several tracker instances on one PostgreSQL
 * (DESIGN §6) must sign as one tracker. The first instance to start creates the row;
 * a racing second one loses the insert and reads the winner's key.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { generateDeviceKeyPair, rawPublicKey, signEnvelope } from '../../src-common/trust/index.ts';
import type { SignableEnvelope } from '../../src-shared/signed-envelope.ts';
import type { TrackerDb } from '../db/database.ts';

export interface TrackerIdentity {
  /** Raw Ed25519 public key, base64url. */
  readonly publicKey: string;
  signEvent(event: SignableEnvelope): string;
}

const ROW_ID = 'tracker';

export async function loadTrackerIdentity(store: TrackerDb, now: number): Promise<TrackerIdentity> {
  let row = await store.db.selectFrom('tracker_identity').selectAll().where('id', '=', ROW_ID).executeTakeFirst();
  if (!row) {
    const pair = generateDeviceKeyPair();
    await store.db
      .insertInto('tracker_identity')
      .values({ id: ROW_ID, private_key_pem: pair.privateKeyPem, public_key: pair.publicKey, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await store.db.selectFrom('tracker_identity').selectAll().where('id', '=', ROW_ID).executeTakeFirstOrThrow();
  }
  const privateKey: KeyObject = createPrivateKey(row.private_key_pem);
  if (rawPublicKey(privateKey) !== row.public_key)
    throw new Error('tracker_identity: public key does not match the private key');
  return { publicKey: row.public_key, signEvent: (event) => signEnvelope(event, privateKey) };
}
