/**
 * The console's side of "relayed by anyone, authored by no one else": before an event
 * from the tracker or a peer is stored, its author must be a device of this facility
 * whose key is on the keyring, and its signature must verify. Refused events are logged
 * (`refused_events`, bounded) and never stored.
 *
 * Where keys come from:
 * - this console's own key;
 * - the tracker's key, learned at enrolment (`identity.tracker_key`);
 * - `device.enrolled` records in the facility's log (device_keys), each verified like
 *   any event when it arrives: signed by the tracker, or by a device already on the
 *   keyring (the pairing admin console of a facility that never reached a tracker). A
 *   console-signed record may add a device, never rebind a device that has a key.
 *
 * Pre-signature events (no `sig`) are accepted from the tracker only, and only from
 * before their author had a key: for a device, older (by HLC) than the record that bound
 * its key, or any age while it has no record; for the tracker itself, older than the
 * moment this console learned the tracker's key. The tracker has applied its own rule
 * (only their author, enrolled before signing, could push them); the time bound keeps a
 * tracker database edited behind the tracker's back from passing new facts off as old
 * ones by stripping their signatures. From a peer they are always refused: a peer could
 * have written them itself. Events the log already holds are not checked again.
 *
 * A batch is verified by author runs (src-common/trust/author-chain.ts): a linked run of
 * one author costs one signature check, its start is checked against the author hash this
 * console holds for the event before it, and any break falls back to the per-event rule,
 * so exactly the bad events are refused.
 *
 * Revoked devices (`device.revoked`, device-revocations.ts): an event its author wrote
 * after the revocation's cutoff is withheld — logged like a refusal and not stored — but it
 * does not make the rest of the batch suspect: an honest relay may have taken it before it
 * learnt of the revocation.
 */
import { createKeyring, verifyAuthoredEvent, verifyByRuns, type Keyring } from '../../../src-common/trust/index.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { decodeHlc, isHlc } from '../../../src-shared/hlc.ts';
import { DeviceRevokedPayload } from '../../../src-shared/device-revocation.ts';
import {
  DeviceEnrolledPayload,
  TRACKER_DEVICE_ID,
  type TrustRefusal,
  type TrustVerdict,
} from '../../../src-shared/signed-envelope.ts';
import type { EventStore, PreparedEvent } from '../store/event-store.ts';
import type { ReceivedPrep } from '../sync/received-prep.ts';
import type { Revocations } from './device-revocations.ts';

export const TRACKER_KEY_META = 'identity.tracker_key';
const TRACKER_KEY_AT_META = 'identity.tracker_key_at';
const REFUSED_KEEP = 10_000;

export type EventSource = 'tracker' | `peer:${string}`;

export interface RefusedEvent {
  eventId: string;
  deviceId: string;
  source: string;
  code: string;
  field: string | null;
  reason: string;
  refusedAt: number;
}

export interface ConsoleKeyring {
  readonly keyring: Keyring;
  trackerKey(): string | null;
  setTrackerKey(publicKey: string): void;
  verify(event: EventEnvelope, source: EventSource, ahead?: ReceivedPrep): TrustVerdict;
  /**
   * Splits received events into those to store and those refused (logged here), in
   * order: a `device.enrolled` record that verifies makes its device's later events in
   * the same batch verifiable. `prepared` holds, per checked event object, the canonical
   * text and author hash the check computed, for the store's append (AppendOptions.prepared).
   * `ahead` holds what a worker thread computed for some of the events (received-prep.ts).
   * `held`, when given, is which of their ids the log holds, read by the caller in this turn.
   */
  screen<E extends EventEnvelope>(
    events: readonly E[],
    source: EventSource,
    ahead?: ReadonlyMap<object, ReceivedPrep>,
    held?: ReadonlySet<string>,
  ): { accepted: E[]; refused: number; withheld: number; prepared: ReadonlyMap<object, PreparedEvent> };
  refused(limit?: number): RefusedEvent[];
}

export function createConsoleKeyring(deps: {
  store: EventStore;
  deviceId: string;
  publicKey: string;
  facility: () => string;
  wallClock: () => number;
  log?: (message: string) => void;
  revocations?: Revocations;
}): ConsoleKeyring {
  const { store } = deps;
  const db = store.db;
  const keyring = createKeyring();
  keyring.add({ deviceId: deps.deviceId, publicKey: deps.publicKey, facility: null });
  const trackerKey = () => store.getMeta(TRACKER_KEY_META);
  const known = store.getMeta(TRACKER_KEY_META);
  const knownAt = Number(store.getMeta(TRACKER_KEY_AT_META) ?? 0);
  if (known) keyring.add({ deviceId: TRACKER_DEVICE_ID, publicKey: known, facility: null, keyBoundAt: knownAt });
  const rows = db
    .prepare<
      [],
      { device_id: string; public_key: string; facility: string; hlc: string; signing_since: number | null }
    >('SELECT device_id, public_key, facility, hlc, signing_since FROM device_keys')
    .all();
  for (const r of rows) {
    const keyBoundAt = r.signing_since ?? wallOf(r.hlc);
    keyring.add({ deviceId: r.device_id, publicKey: r.public_key, facility: r.facility, keyBoundAt });
  }

  const q = {
    refuse: db.prepare(
      `INSERT INTO refused_events (event_id, device_id, source, code, field, reason, envelope, refused_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    trim: db.prepare('DELETE FROM refused_events WHERE id <= (SELECT max(id) FROM refused_events) - ?'),
    list: db.prepare<
      [number],
      {
        event_id: string;
        device_id: string;
        source: string;
        code: string;
        field: string | null;
        reason: string;
        refused_at: number;
      }
    >('SELECT * FROM refused_events ORDER BY id DESC LIMIT ?'),
  };

  function verify(event: EventEnvelope, source: EventSource, ahead?: ReceivedPrep): TrustVerdict {
    const verdict = verifyAuthoredEvent(event, keyring, {
      facility: deps.facility(),
      prepared: ahead,
      allowUnsigned: (e, entries) =>
        source === 'tracker' &&
        entries.every((k) => k.publicKey === null || (k.keyBoundAt != null && wallOf(e.hlc) < k.keyBoundAt)),
    });
    if (!verdict.ok) return verdict;
    if (event.type === 'device.revoked') return checkRevocation(event);
    if (event.type !== 'device.enrolled') return verdict;
    return checkRecord(event);
  }

  /** A verified `device.revoked` record must be about this facility. */
  function checkRevocation(event: EventEnvelope): TrustVerdict {
    const record = DeviceRevokedPayload.safeParse(event.payload);
    if (record.success && record.data.facility !== deps.facility())
      return refusal(
        'other_facility',
        'deviceId',
        `revocation of ${record.data.deviceId} is for ${record.data.facility}`,
      );
    return { ok: true, preSignature: false };
  }

  /** A verified `device.enrolled` record: right facility, and only the tracker may rebind a keyed device. */
  function checkRecord(event: EventEnvelope): TrustVerdict {
    const record = DeviceEnrolledPayload.safeParse(event.payload);
    if (!record.success) return { ok: true, preSignature: false }; // payload validation reports it
    if (record.data.facility !== deps.facility()) {
      return refusal(
        'other_facility',
        'deviceId',
        `record for ${record.data.deviceId} belongs to ${record.data.facility}`,
      );
    }
    const existing = keyring.entries(record.data.deviceId).filter((e) => e.publicKey !== null);
    const rebinds = existing.length > 0 && !existing.some((e) => e.publicKey === record.data.publicKey);
    if (rebinds && event.deviceId !== TRACKER_DEVICE_ID) {
      return refusal(
        'key_mismatch',
        'payload.publicKey',
        `only the tracker may bind a new key to ${record.data.deviceId}, which already has one`,
      );
    }
    return { ok: true, preSignature: false };
  }

  function logRefusal(event: EventEnvelope, source: string, why: TrustRefusal) {
    store.transaction(() => {
      q.refuse.run(
        event.id,
        event.deviceId,
        source,
        why.code,
        why.field,
        why.reason,
        JSON.stringify(event).slice(0, 20_000),
        deps.wallClock(),
      );
      q.trim.run(REFUSED_KEEP);
    });
    deps.log?.(`refused event ${event.id} from ${source}: ${why.code} (${why.field}) ${why.reason}`);
  }

  return {
    keyring,
    trackerKey,
    setTrackerKey(publicKey) {
      const at = Number(store.getMeta(TRACKER_KEY_AT_META) ?? deps.wallClock());
      store.transaction(() => {
        store.setMeta(TRACKER_KEY_META, publicKey);
        store.setMeta(TRACKER_KEY_AT_META, String(at));
      });
      keyring.add({ deviceId: TRACKER_DEVICE_ID, publicKey, facility: null, keyBoundAt: at });
    },
    verify,
    screen(events, source, ahead, heldIds) {
      // Already held: the append skips them as duplicates, no check needed.
      const held = heldIds ?? store.heldIds(events.map((event) => event.id));
      const fresh = held.size === 0 ? events : events.filter((event) => !held.has(event.id));
      // Records first, in order, each on its own: an enrolment record that holds adds the
      // key its device's events (later in this batch, or in a run whose head it signs)
      // verify with; a revocation record that holds sets its device's cutoff before that
      // device's events in the same batch are looked at.
      const recordVerdicts = new Map<object, TrustVerdict>();
      for (const event of fresh) {
        if (event.type !== 'device.enrolled' && event.type !== 'device.revoked') continue;
        const verdict = verify(event, source, ahead?.get(event));
        recordVerdicts.set(event, verdict);
        if (!verdict.ok) continue;
        if (event.type === 'device.revoked') {
          deps.revocations?.note(event);
          continue;
        }
        const record = DeviceEnrolledPayload.safeParse(event.payload);
        if (record.success) {
          keyring.add({
            deviceId: record.data.deviceId,
            publicKey: record.data.publicKey,
            facility: record.data.facility,
            keyBoundAt: record.data.signingSince ?? wallOf(event.hlc),
          });
        }
      }
      // A revoked device's event after the cutoff is withheld — logged, not stored — but
      // does not make the rest of the batch suspect: an honest relay may have taken it
      // before it learnt of the revocation. Taking it out of its run only breaks the run,
      // and a broken run falls back to per-event checks.
      const withheldEvents = new Set<object>();
      for (const event of fresh) {
        if (!deps.revocations?.withheld(event)) continue;
        const cut = deps.revocations.cutoff(event.deviceId);
        logRefusal(
          event,
          source,
          refusal('unknown_device', 'deviceId', `${event.deviceId} was revoked after its event #${cut}`),
        );
        withheldEvents.add(event);
      }
      const checkable = fresh.filter((event) => !withheldEvents.has(event));
      const { verdicts, canonicals, hashes } = verifyByRuns(checkable, {
        verifyOne: (event) => recordVerdicts.get(event) ?? verify(event as EventEnvelope, source, ahead?.get(event)),
        heldHash: (deviceId, seq) => store.authorHashAt(deviceId, seq),
        prepared: (event) => ahead?.get(event),
      });
      // By object, not id: a forged copy and the genuine event may share one id.
      const refusedEvents = new Set<object>();
      // Indexed, not entries(): that made an [i, event] array per event (round 12q).
      for (let i = 0; i < checkable.length; i++) {
        const event = checkable[i]!;
        const verdict = recordVerdicts.get(event) ?? verdicts[i]!;
        if (verdict.ok) continue;
        logRefusal(event, source, verdict);
        refusedEvents.add(event);
      }
      const accepted = events.filter((event) => !refusedEvents.has(event) && !withheldEvents.has(event));
      // The text and hash the runs were checked on: the store's append need not compute them again.
      const prepared = new Map<object, PreparedEvent>();
      for (let i = 0; i < checkable.length; i++) {
        const event = checkable[i]!;
        const canonical = canonicals[i];
        const authorHash = hashes[i] ?? null;
        if (canonical == null && authorHash === null) continue;
        // The frame worker's guess of its chain hash goes with them (the append checks it).
        const chain = ahead?.get(event)?.chain;
        prepared.set(event, {
          ...(canonical != null ? { canonical } : {}),
          authorHash,
          ...(chain ? { chain } : {}),
        });
      }
      return { accepted, refused: refusedEvents.size, withheld: withheldEvents.size, prepared };
    },
    refused: (limit = 100) =>
      q.list.all(limit).map((r) => ({
        eventId: r.event_id,
        deviceId: r.device_id,
        source: r.source,
        code: r.code,
        field: r.field,
        reason: r.reason,
        refusedAt: r.refused_at,
      })),
  };
}

function refusal(code: TrustRefusal['code'], field: TrustRefusal['field'], reason: string): TrustRefusal {
  return { ok: false, code, field, reason };
}

/** Wall time of an HLC (ms); 0 for text that is not one, so nothing passes as older than it. */
function wallOf(hlc: string): number {
  return isHlc(hlc) ? decodeHlc(hlc).wallMs : 0;
}
