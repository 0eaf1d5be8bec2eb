/**
 * "Relayed by anyone, authored by no one else" at the tracker (issue 12). A token may
 * push events authored by any device of its facility — store-and-forward: a console
 * whose WAN is up carries its peers' events — but each must carry its author's valid
 * signature. Refused, with the field named, nothing of the batch stored:
 *
 * - an author that is not an enrolled, unrevoked device (`unknown_device`),
 * - an author enrolled in another facility (`other_facility`),
 * - a signature that does not verify with the author's bound key: tampered content,
 *   an event re-signed as another device, a relay's forgery (`bad_signature`),
 * - an unsigned event, unless the pre-signature rule below admits it (`unsigned`).
 *
 * Pre-signature rule: an unsigned event is accepted only from the token of its own
 * author, and only while that device has no key bound (it was enrolled before signing
 * and has not upgraded yet) or when its HLC is older than the moment its key was bound
 * (its pre-signature backlog). Nobody may relay unsigned events: the tracker could not
 * tell them from forgeries. Devices enrolled after this change always have a key.
 *
 * Revoked devices are out of the keyring: their events are refused even when relayed.
 */
import { createKeyring, verifyAuthoredEvent, type Keyring } from '../../src-common/trust/index.ts';
import { decodeHlc } from '../../src-shared/hlc.ts';
import { TRACKER_DEVICE_ID } from '../../src-shared/signed-envelope.ts';
import type { TrackerError } from '../../src-shared/sync-wire.ts';
import type { TrackerDb } from '../db/database.ts';
import type { AuthedDevice } from '../http/auth.ts';
import type { TrackerIdentity } from '../identity/tracker-identity.ts';
import { chunks } from './event-rows.ts';
import type { CheckedBatch } from './validate-push.ts';

const IN_LIST_SIZE = 500;
/**
 * An Ed25519 verification costs tens of microseconds: a 1,000-event push is tens of
 * milliseconds of CPU. Yielding to the event loop between slices keeps other consoles'
 * requests (and SSE heartbeats) moving while a big batch is checked.
 */
const VERIFY_SLICE = 64;

export interface AuthorRefusal {
  error: TrackerError;
  eventId: string;
  author: string;
}

export async function loadAuthorKeyring(
  store: TrackerDb,
  identity: TrackerIdentity,
  authors: Iterable<string>,
): Promise<Keyring> {
  const keyring = createKeyring([{ deviceId: TRACKER_DEVICE_ID, publicKey: identity.publicKey, facility: null }]);
  const ids = [...new Set(authors)].filter((id) => id !== TRACKER_DEVICE_ID);
  for (const part of chunks(ids, IN_LIST_SIZE)) {
    const rows = await store.db
      .selectFrom('devices')
      .select(['device_id', 'facility', 'public_key', 'key_bound_at'])
      .where('device_id', 'in', part)
      .where('revoked_at', 'is', null)
      .execute();
    for (const r of rows) {
      keyring.add({
        deviceId: r.device_id,
        publicKey: r.public_key,
        facility: r.facility,
        keyBoundAt: r.key_bound_at === null ? null : Number(r.key_bound_at),
      });
    }
  }
  return keyring;
}

/** Returns the first refusal in request order, or null when every author checks out. */
export async function verifyAuthors(
  store: TrackerDb,
  identity: TrackerIdentity,
  pusher: AuthedDevice,
  batch: CheckedBatch,
): Promise<AuthorRefusal | null> {
  if (batch.events.length === 0) return null;
  const keyring = await loadAuthorKeyring(
    store,
    identity,
    batch.events.map((e) => e.envelope.deviceId),
  );
  for (const [i, { envelope }] of batch.events.entries()) {
    if (i > 0 && i % VERIFY_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const verdict = verifyAuthoredEvent(envelope, keyring, {
      facility: pusher.facility,
      allowUnsigned: (event, entries) =>
        event.deviceId === pusher.deviceId &&
        entries.some(
          (e) =>
            e.publicKey === null ||
            (e.keyBoundAt !== undefined && e.keyBoundAt !== null && decodeHlc(event.hlc).wallMs < e.keyBoundAt),
        ),
    });
    if (verdict.ok) continue;
    const field = `events.${batch.order.indexOf(envelope.id)}.${verdict.field}`;
    return {
      eventId: envelope.id,
      author: envelope.deviceId,
      error: { code: 'forbidden', message: `${field}: ${verdict.reason} [${verdict.code}]`, field },
    };
  }
  return null;
}
