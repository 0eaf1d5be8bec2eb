/**
 * The tracker's authorship rule as a pure function over plain data, so it runs the same
 * on the event loop and in the verification workers (verify-pool.ts). The rule itself is
 * explained in verify-authors.ts; events are checked by author runs
 * (src-common/trust/author-chain.ts): one signature per linked run, the per-event rule
 * wherever a run breaks, so the refusal names exactly the bad event.
 */
import { createKeyring, verifyAuthoredEvent, verifyByRuns, type KeyringEntry } from '../../src-common/trust/index.ts';
import { DeviceRevokedPayload, revokedAfterCutoff } from '../../src-shared/device-revocation.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { decodeHlc } from '../../src-shared/hlc.ts';
import type { TrustRefusal } from '../../src-shared/signed-envelope.ts';
import { checkPayloads, type PayloadFailure } from './validate-push.ts';

export interface AuthorCheck {
  events: readonly EventEnvelope[];
  /** Keys of the batch's authors (every facility: a key elsewhere names `other_facility`). */
  entries: readonly KeyringEntry[];
  facility: string;
  /** The device id of the token that pushed the batch. */
  pusher: string;
  /**
   * Devices revoked by a console of the facility: author id → cutoff (`device.revoked`,
   * src-shared/device-revocation.ts). Their events after the cutoff are refused.
   */
  revokedThrough?: Readonly<Record<string, number>>;
  /**
   * Author hashes of stored events just before the batch's runs, keyed `deviceId:seq`
   * (heldKey): a run's first `prev` must match the feed the tracker holds.
   */
  held?: Readonly<Record<string, string>>;
  /** Also check each payload against its type's schema (validate-push.ts `checkPayloads`). */
  payloads?: boolean;
}

/** A slice's answer: the first refusal of authorship and the first payload failing its schema, by index. */
export interface SliceVerdict {
  refusal: { index: number; verdict: TrustRefusal } | null;
  badPayload: PayloadFailure | null;
  /** With `payloads`: indexes of the events whose payload its schema returns unchanged (validate-push.ts `checkPayloads`). */
  asParsed: number[];
}

/** What a verification worker runs on its slice (and the event loop on a tiny batch). */
export function checkSlice(check: AuthorCheck): SliceVerdict {
  const payloads = check.payloads ? checkPayloads(check.events) : { bad: null, asParsed: [] };
  return { refusal: firstRefusal(check), badPayload: payloads.bad, asParsed: payloads.asParsed };
}

export const heldKey = (deviceId: string, seq: number) => `${deviceId}:${seq}`;

/** Index (into `events`) and verdict of the first event that fails, or null. */
export function firstRefusal(check: AuthorCheck): { index: number; verdict: TrustRefusal } | null {
  const keyring = createKeyring(check.entries);
  // Revocation rules first (no signature needed to refuse them), then signatures by runs;
  // the refusal names the earliest bad event of either kind.
  let first: { index: number; verdict: TrustRefusal } | null = null;
  for (const [index, event] of check.events.entries()) {
    if (check.revokedThrough && revokedAfterCutoff(check.revokedThrough, event)) {
      const reason = `${event.deviceId} was revoked after its event #${check.revokedThrough[event.deviceId]}`;
      first = { index, verdict: { ok: false, code: 'unknown_device', field: 'deviceId', reason } };
      break;
    }
    if (event.type === 'device.revoked') {
      const record = DeviceRevokedPayload.safeParse(event.payload);
      if (record.success && record.data.facility !== check.facility) {
        const reason = `revocation of ${record.data.deviceId} is for ${record.data.facility}`;
        first = { index, verdict: { ok: false, code: 'other_facility', field: 'deviceId', reason } };
        break;
      }
    }
  }
  const held = check.held ?? {};
  const { verdicts } = verifyByRuns(check.events, {
    verifyOne: (e) =>
      verifyAuthoredEvent(e, keyring, {
        facility: check.facility,
        allowUnsigned: (u, entries) =>
          u.deviceId === check.pusher &&
          entries.some((k) => k.publicKey === null || (k.keyBoundAt != null && decodeHlc(u.hlc).wallMs < k.keyBoundAt)),
      }),
    heldHash: (deviceId, seq) => held[heldKey(deviceId, seq)] ?? null,
  });
  const index = verdicts.findIndex((v) => !v.ok);
  if (index >= 0 && (first === null || index < first.index)) return { index, verdict: verdicts[index] as TrustRefusal };
  return first;
}
