/**
 * The tracker's authorship rule as a pure function over plain data, so it runs the same
 * on the event loop and in the verification workers (verify-pool.ts). The rule itself is
 * explained in verify-authors.ts.
 */
import { createKeyring, verifyAuthoredEvent, type KeyringEntry } from '../../src-common/trust/index.ts';
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
}

/** Index (into `events`) and verdict of the first event that fails, or null. */
export function firstRefusal(check: AuthorCheck): { index: number; verdict: TrustRefusal } | null {
  const keyring = createKeyring(check.entries);
  for (const [index, event] of check.events.entries()) {
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
