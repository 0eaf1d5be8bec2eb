/**
 * The tracker's authorship rule as a pure function over plain data, so it runs the same
 * on the event loop and in the verification workers (verify-pool.ts). The rule itself is
 * explained in verify-authors.ts.
 */
import { createKeyring, verifyAuthoredEvent, type KeyringEntry } from '../../src-common/trust/index.ts';
import { DeviceRevokedPayload, revokedAfterCutoff } from '../../src-shared/device-revocation.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { decodeHlc } from '../../src-shared/hlc.ts';
import type { TrustRefusal } from '../../src-shared/signed-envelope.ts';

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
}

/** Index (into `events`) and verdict of the first event that fails, or null. */
export function firstRefusal(check: AuthorCheck): { index: number; verdict: TrustRefusal } | null {
  const keyring = createKeyring(check.entries);
  for (const [index, event] of check.events.entries()) {
    if (check.revokedThrough && revokedAfterCutoff(check.revokedThrough, event)) {
      const reason = `${event.deviceId} was revoked after its event #${check.revokedThrough[event.deviceId]}`;
      return { index, verdict: { ok: false, code: 'unknown_device', field: 'deviceId', reason } };
    }
    if (event.type === 'device.revoked') {
      const record = DeviceRevokedPayload.safeParse(event.payload);
      if (record.success && record.data.facility !== check.facility) {
        const reason = `revocation of ${record.data.deviceId} is for ${record.data.facility}`;
        return { index, verdict: { ok: false, code: 'other_facility', field: 'deviceId', reason } };
      }
    }
    const verdict = verifyAuthoredEvent(event, keyring, {
      facility: check.facility,
      allowUnsigned: (e, entries) =>
        e.deviceId === check.pusher &&
        entries.some((k) => k.publicKey === null || (k.keyBoundAt != null && decodeHlc(e.hlc).wallMs < k.keyBoundAt)),
    });
    if (!verdict.ok) return { index, verdict };
  }
  return null;
}
