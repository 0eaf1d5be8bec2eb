/**
 * Signing and verifying authored events (DESIGN §10). One function for every receiver
 * — the tracker's push route, a console pulling from the tracker, a console taking
 * events from a peer — so "relayed by anyone, authored by no one else" means the same
 * thing everywhere:
 *
 * - the author (`event.deviceId`) must be in the receiver's keyring, for the receiver's
 *   facility (the tracker's own key is valid for every facility);
 * - `sig` must be the author's Ed25519 signature over `canonicalEnvelope(event)`;
 *   whoever relayed the event does not matter;
 * - an event without `sig` (pre-signature) passes only when the receiver's own policy
 *   (`allowUnsigned`) says so: the tracker lets a device enrolled before signing push its
 *   own old events; a console accepts unsigned events only from the tracker, which has
 *   applied that rule already.
 */
import type { KeyObject } from 'node:crypto';
import {
  canonicalEnvelope,
  type SignableEnvelope,
  type TrustRefusal,
  type TrustVerdict,
} from '../../src-shared/signed-envelope.ts';
import type { Keyring, KeyringEntry } from './keyring.ts';
import { signBytes, verifyBytes } from './keys.ts';

export interface AuthoredEvent extends SignableEnvelope {
  sig?: string | undefined;
}

export interface VerifyOptions {
  /** The receiver's facility: authors enrolled elsewhere are refused. */
  facility: string;
  /**
   * Whether an unsigned event may pass, given the author's keyring entries for this
   * facility (possibly empty). Absent: never.
   */
  allowUnsigned?: (event: AuthoredEvent, entries: readonly KeyringEntry[]) => boolean;
  /** What was computed for this very event off the receiver's thread (see `PreparedEnvelope`). */
  prepared?: PreparedEnvelope | undefined;
}

/**
 * Pure work on an event done ahead, on a worker thread (the console's frame preparer): its
 * canonical text, its author hash, and the outcome of each signature check already run,
 * by raw public key. The rule itself always runs on the receiver's thread over its own
 * keyring; these only spare it computing the same bytes and checks again. A key missing
 * from `signatures` is checked here.
 */
export interface PreparedEnvelope {
  canonical: string | null;
  authorHash: string | null;
  signatures: ReadonlyMap<string, boolean>;
}

/** The signature of `event` by `privateKey`, base64url: what goes into `event.sig`. */
export function signEnvelope(event: SignableEnvelope, privateKey: KeyObject): string {
  return signCanonical(canonicalEnvelope(event), privateKey);
}

/** The same signature, from the envelope's canonical text already in hand (`canonicalEnvelope`). */
export function signCanonical(canonical: string, privateKey: KeyObject): string {
  return signBytes(privateKey, Buffer.from(canonical, 'utf8')).toString('base64url');
}

export function verifyAuthoredEvent(event: AuthoredEvent, keyring: Keyring, options: VerifyOptions): TrustVerdict {
  const all = keyring.entries(event.deviceId);
  const mine = all.filter((e) => e.facility === null || e.facility === options.facility);
  if (event.sig === undefined) {
    if (options.allowUnsigned?.(event, mine)) return { ok: true, preSignature: true };
    if (mine.length === 0) return unknownAuthor(event, all, options.facility);
    return refuse('unsigned', 'sig', `event ${event.id} by ${event.deviceId} carries no signature`);
  }
  if (mine.length === 0) return unknownAuthor(event, all, options.facility);
  const keys = mine.filter((e) => e.publicKey !== null);
  if (keys.length === 0) {
    return refuse('unknown_device', 'deviceId', `no public key is bound to device ${event.deviceId}`);
  }
  const prepared = options.prepared;
  let bytes: Buffer | null = null;
  let signature: Buffer | null = null;
  for (const entry of keys) {
    const checked = prepared?.signatures.get(entry.publicKey!);
    if (checked === true) return { ok: true, preSignature: false };
    if (checked === false) continue;
    bytes ??= Buffer.from(prepared?.canonical ?? canonicalEnvelope(event), 'utf8');
    signature ??= Buffer.from(event.sig, 'base64url');
    if (verifyBytes(keyring.keyObject(entry.publicKey!), bytes, signature)) return { ok: true, preSignature: false };
  }
  return refuse(
    'bad_signature',
    'sig',
    `event ${event.id}: the signature is not ${event.deviceId}'s over this content (tampered, or signed by another key)`,
  );
}

function unknownAuthor(event: AuthoredEvent, all: readonly KeyringEntry[], facility: string): TrustRefusal {
  if (all.length > 0) {
    return refuse('other_facility', 'deviceId', `device ${event.deviceId} is not enrolled in ${facility}`);
  }
  return refuse('unknown_device', 'deviceId', `device ${event.deviceId} is not enrolled (no key known)`);
}

function refuse(code: TrustRefusal['code'], field: TrustRefusal['field'], reason: string): TrustRefusal {
  return { ok: false, code, field, reason };
}
