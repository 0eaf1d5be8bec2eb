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
 * and has not upgraded yet) or when its HLC is older than the device's `signingSince`
 * (when its key was made; its pre-signature backlog). Nobody may relay unsigned events: the tracker could not
 * tell them from forgeries. Devices enrolled after this change always have a key.
 *
 * Revoked devices are out of the keyring: their events are refused even when relayed. A
 * device a console revoked (`device.revoked`) keeps its events up to the record's cutoff;
 * later ones are refused (`revokedCutoffs`). A revocation in the batch itself counts for
 * the events after it: if it is forged, its signature fails and the whole batch with it.
 * The checks themselves run on worker threads (verify-pool.ts), by author runs: a linked
 * run of one author costs one signature, and its first `prev` must match the author hash
 * of the event before it that the tracker holds (`fork` on `events.N.prev` otherwise).
 */
import { authorHash, type KeyringEntry } from '../../src-common/trust/index.ts';
import { DeviceRevokedPayload, mergeCutoff } from '../../src-shared/device-revocation.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { TRACKER_DEVICE_ID } from '../../src-shared/signed-envelope.ts';
import type { TrackerError } from '../../src-shared/sync-wire.ts';
import type { TrackerDb } from '../db/database.ts';
import type { AuthedDevice } from '../http/auth.ts';
import type { TrackerIdentity } from '../identity/tracker-identity.ts';
import { heldKey } from './author-check.ts';
import { chunks, rowToEnvelope } from './event-rows.ts';
import { payloadError, type CheckedBatch } from './validate-push.ts';
import type { VerifyPool } from './verify-pool.ts';

const IN_LIST_SIZE = 500;

/**
 * Why the check refused a push, naming the event: `author`, its authorship (403, logged as
 * a possible forgery), or `payload`, a payload failing its schema (400), which the push
 * route leaves to the workers (validate-push.ts `payloadsElsewhere`).
 */
export interface PushRefusal {
  kind: 'author' | 'payload';
  error: TrackerError;
  eventId: string;
  author: string;
}

/** The keys of `authors` in every facility (so a key elsewhere is named as such), plus the tracker's own. */
export async function loadAuthorKeys(
  store: TrackerDb,
  identity: TrackerIdentity,
  authors: Iterable<string>,
): Promise<KeyringEntry[]> {
  const entries: KeyringEntry[] = [{ deviceId: TRACKER_DEVICE_ID, publicKey: identity.publicKey, facility: null }];
  const ids = [...new Set(authors)].filter((id) => id !== TRACKER_DEVICE_ID);
  for (const part of chunks(ids, IN_LIST_SIZE)) {
    const rows = await store.db
      .selectFrom('devices')
      .select(['device_id', 'facility', 'public_key', 'key_bound_at'])
      .where('device_id', 'in', part)
      // Revoked by a console: its events up to the cutoff still verify (the cutoff is checked apart).
      .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_through_seq', 'is not', null)]))
      .execute();
    for (const r of rows) {
      entries.push({
        deviceId: r.device_id,
        publicKey: r.public_key,
        facility: r.facility,
        keyBoundAt: r.key_bound_at === null ? null : Number(r.key_bound_at),
      });
    }
  }
  return entries;
}

/**
 * Checks a batch's authors, and with `payloads` its payloads' schemas; `verdict` settles
 * with the first refusal, or null when every event checks out, and `asParsed` with the ids of
 * the events whose payload its schema returns unchanged (validate-push.ts `checkPayloads`). A bad payload outranks
 * authorship, as when checkPushBatch checked payloads before anything was verified; each
 * kind names its earliest event in request order. In two steps, so the push's insert can run while the
 * workers verify (ingestor.ts): the reads it needs (keys, cutoffs, run anchors) are done when this
 * resolves, and `verdict` settles once the workers answer. The workers never touch the
 * database, so the verdict may be awaited inside the write transaction that stores the
 * batch; nothing of it commits before the verdict is in.
 */
export async function startAuthorCheck(
  store: TrackerDb,
  identity: TrackerIdentity,
  verifier: VerifyPool,
  pusher: AuthedDevice,
  batch: CheckedBatch,
  options: { payloads: boolean } = { payloads: false },
): Promise<{ verdict: Promise<PushRefusal | null>; asParsed: Promise<ReadonlySet<string>> }> {
  if (batch.events.length === 0) return { verdict: Promise.resolve(null), asParsed: Promise.resolve(new Set()) };
  const events = batch.events.map((e) => e.envelope);
  const entries = await loadAuthorKeys(
    store,
    identity,
    events.map((e) => e.deviceId),
  );
  const revokedThrough = await revokedCutoffs(store, pusher.facility, events);
  const held = await loadRunAnchors(store, pusher.facility, events);
  const checked = verifier.check(
    {
      events,
      entries,
      facility: pusher.facility,
      pusher: pusher.deviceId,
      held,
      ...(Object.keys(revokedThrough).length > 0 ? { revokedThrough } : {}),
      ...(options.payloads ? { payloads: true } : {}),
    },
    // The payloads' JSON as stored: the workers get these texts rather than the objects (packed-envelopes.ts).
    batch.events.map((e) => e.payloadText),
  );
  const verdict = checked.then(({ refusal, badPayload }): PushRefusal | null => {
    const at = (index: number) => {
      const envelope = events[index]!;
      return { envelope, position: `events.${batch.order.indexOf(envelope.id)}` };
    };
    if (badPayload) {
      const { envelope, position } = at(badPayload.index);
      return {
        kind: 'payload',
        eventId: envelope.id,
        author: envelope.deviceId,
        error: payloadError(badPayload, position),
      };
    }
    if (!refusal) return null;
    const { envelope, position } = at(refusal.index);
    const field = `${position}.${refusal.verdict.field}`;
    return {
      kind: 'author',
      eventId: envelope.id,
      author: envelope.deviceId,
      error: { code: 'forbidden', message: `${field}: ${refusal.verdict.reason} [${refusal.verdict.code}]`, field },
    };
  });
  // The ids of events whose payload the schema keeps as it is (HQ's projector folds them
  // without parsing again); none when the check failed, which the verdict reports.
  const asParsed = checked.then(
    ({ asParsed }): ReadonlySet<string> => new Set(asParsed.map((index) => events[index]!.id)),
    (): ReadonlySet<string> => new Set(),
  );
  // Whoever holds it awaits it; a push that fails earlier (a commit error) may not, and a
  // worker's failure then must not surface as an unhandled rejection.
  verdict.catch(() => {});
  return { verdict, asParsed };
}

/** Cutoffs of the batch's authors revoked by a console, merged with revocations inside the batch. */
async function revokedCutoffs(
  store: TrackerDb,
  facility: string,
  events: readonly EventEnvelope[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const ids = [...new Set(events.map((e) => e.deviceId))].filter((id) => id !== TRACKER_DEVICE_ID);
  for (const part of chunks(ids, IN_LIST_SIZE)) {
    const rows = await store.db
      .selectFrom('devices')
      .select(['device_id', 'revoked_through_seq'])
      .where('device_id', 'in', part)
      .where('facility', '=', facility)
      .where('revoked_through_seq', 'is not', null)
      .execute();
    for (const r of rows) out[r.device_id] = mergeCutoff(out[r.device_id], Number(r.revoked_through_seq));
  }
  for (const e of events) {
    if (e.type !== 'device.revoked') continue;
    const record = DeviceRevokedPayload.safeParse(e.payload);
    if (record.success && record.data.facility === facility)
      out[record.data.deviceId] = mergeCutoff(out[record.data.deviceId], record.data.throughSeq);
  }
  return out;
}

/**
 * Author hashes of the stored events each chained event of the batch links to, where that
 * predecessor is not itself in the batch: in practice one row per author and push (the
 * event before the run). Computed from the stored row (the same canonical bytes the author
 * signed), so the ingest path never hashes every event it stores.
 */
export async function loadRunAnchors(
  store: TrackerDb,
  facility: string,
  events: readonly EventEnvelope[],
): Promise<Record<string, string>> {
  // Seqs per author as numbers: a key string per event cost a visible share of a drain's event loop.
  const inBatch = new Map<string, Set<number>>();
  for (const e of events) {
    if (e.deviceSeq === undefined) continue;
    const seqs = inBatch.get(e.deviceId);
    if (seqs) seqs.add(e.deviceSeq);
    else inBatch.set(e.deviceId, new Set([e.deviceSeq]));
  }
  const wanted = new Map<string, number[]>();
  for (const e of events) {
    if (e.prev === undefined || e.deviceSeq === undefined || e.deviceSeq < 2) continue;
    if (inBatch.get(e.deviceId)!.has(e.deviceSeq - 1)) continue;
    const list = wanted.get(e.deviceId) ?? [];
    list.push(e.deviceSeq - 1);
    wanted.set(e.deviceId, list);
  }
  const held: Record<string, string> = {};
  for (const [deviceId, seqs] of wanted) {
    for (const part of chunks(seqs, IN_LIST_SIZE)) {
      const rows = await store.db
        .selectFrom('events')
        .selectAll()
        .where('device_id', '=', deviceId)
        .where('device_seq', 'in', part)
        .where('facility', '=', facility)
        .execute();
      for (const row of rows) {
        const hash = authorHash(rowToEnvelope(row));
        if (hash !== null && row.device_seq !== null) held[heldKey(deviceId, Number(row.device_seq))] = hash;
      }
    }
  }
  return held;
}
