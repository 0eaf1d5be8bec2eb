/**
 * The signed envelope (DESIGN §10, issue 12): every event a console authors carries its
 * author's `deviceId`, a per-device sequence number `deviceSeq` (1, 2, 3… gap-free per
 * author, assigned in the append transaction) and `sig`, an Ed25519 signature by the
 * author's key over `canonicalEnvelope(event)`.
 *
 * The signed bytes are the very bytes the console's hash chain hashes (JCS, RFC 8785,
 * `canonicalJson` in canonical-json.ts): one canonical form, so a relayed event verifies
 * wherever it lands, whatever key order a peer's JSON had. `sig` itself is outside the
 * signed bytes; `deviceSeq` is inside, so a relay cannot renumber an author's feed.
 *
 * Events stored before signing existed carry neither field ("pre-signature"). Their
 * canonical bytes are unchanged (JCS drops absent members), so old chains still verify
 * and old events are never rewritten. Verification itself (node:crypto) lives in
 * `src-common/trust`, owned by the console core and the tracker alike.
 */
import { canonicalJson } from './canonical-json.ts';
import { z } from 'zod';

/** The envelope fields that are signed (and hashed into the console's chain). */
export interface SignableEnvelope {
  id: string;
  streamId: string;
  type: string;
  payload: unknown;
  actor: string;
  deviceId: string;
  deviceTime: number;
  hlc: string;
  deviceSeq?: number | undefined;
  /**
   * Author chain (Secure Scuttlebutt's feed model): the author hash (`authorSignedForm`)
   * of the same author's previous event, deviceSeq − 1. Absent on an author's first event
   * and on events signed before the chain existed; signed, so a relay cannot relink a feed.
   */
  prev?: string | undefined;
}

/**
 * A string member's JCS text: JSON.stringify's, for a well-formed string (RFC 8785 §3.2.2.2).
 * Undefined for anything else, which goes the general way (canonicalJson, which names it).
 */
function stringMember(value: unknown): string | undefined {
  return typeof value === 'string' && (value as string & { isWellFormed(): boolean }).isWellFormed()
    ? JSON.stringify(value)
    : undefined;
}

/** A number member's JCS text: JSON.stringify's for a finite number (§3.2.2.3); undefined otherwise. */
function numberMember(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? JSON.stringify(value) : undefined;
}

/**
 * The envelope's canonical text written member by member: its keys are fixed, so their
 * sorted order is too (actor, deviceId, deviceSeq, deviceTime, hlc, id, payload, prev,
 * streamId, type; an absent optional member is left out, as JCS does), and only the
 * payload needs canonicalJson's sorted copy. The copy of the envelope itself (a ten-key
 * object built, sorted and copied again per event) was about a third of an event's
 * canonicalisation on the tracker's verification workers (issue 16). Anything not plainly
 * of its type (a non-string id, a lone surrogate, a non-finite number) gives undefined, and
 * the caller takes the general way, so the text and the refusals stay canonicalJson's;
 * test/unit/shared/canonical-json.test.ts compares the two over generated envelopes.
 */
function directEnvelope(e: SignableEnvelope): string | undefined {
  const actor = stringMember(e.actor);
  const deviceId = stringMember(e.deviceId);
  const deviceSeq = e.deviceSeq === undefined ? '' : numberMember(e.deviceSeq);
  const deviceTime = numberMember(e.deviceTime);
  const hlc = stringMember(e.hlc);
  const id = stringMember(e.id);
  const prev = e.prev === undefined ? '' : stringMember(e.prev);
  const streamId = stringMember(e.streamId);
  const type = stringMember(e.type);
  if (
    actor === undefined ||
    deviceId === undefined ||
    deviceSeq === undefined ||
    deviceTime === undefined ||
    hlc === undefined ||
    id === undefined ||
    prev === undefined ||
    streamId === undefined ||
    type === undefined ||
    e.payload === undefined
  ) {
    return undefined;
  }
  let payload: string | undefined;
  try {
    payload = canonicalJson(e.payload);
  } catch {
    return undefined; // the general way refuses it with its own words
  }
  if (payload === undefined) return undefined;
  return (
    `{"actor":${actor},"deviceId":${deviceId}` +
    (deviceSeq === '' ? '' : `,"deviceSeq":${deviceSeq}`) +
    `,"deviceTime":${deviceTime},"hlc":${hlc},"id":${id},"payload":${payload}` +
    (prev === '' ? '' : `,"prev":${prev}`) +
    `,"streamId":${streamId},"type":${type}}`
  );
}

export function canonicalEnvelope(e: SignableEnvelope): string {
  const direct = directEnvelope(e);
  if (direct !== undefined) return direct;
  const text = canonicalJson({
    id: e.id,
    streamId: e.streamId,
    type: e.type,
    payload: e.payload,
    actor: e.actor,
    deviceId: e.deviceId,
    deviceTime: e.deviceTime,
    hlc: e.hlc,
    deviceSeq: e.deviceSeq,
    prev: e.prev,
  });
  if (text === undefined) throw new TypeError(`event ${e.id} cannot be serialised`);
  return text;
}

/**
 * An authored event in its signed form: the canonical envelope, a line feed, the
 * signature. Its sha256 (base64url, `authorHash` in src-common/trust) is the event's
 * **author hash**, which the author's next event carries as `prev`. The signature is
 * inside, so a signature on event n covers every earlier event of a linked run, their
 * signatures included. JCS text never holds a raw line feed and a signature is 86
 * base64url characters, so the form is unambiguous; and it reuses the canonical text the
 * chain hash and the signature already computed (one canonicalisation per event).
 */
export function authorSignedForm(canonical: string, sig: string): string {
  return `${canonical}\n${sig}`;
}

/** An Ed25519 signature (64 bytes) in base64url without padding: 86 characters. */
export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;
export const EventSignature = z.string().regex(SIGNATURE_PATTERN, { error: 'not an Ed25519 signature' });
/** An Ed25519 public key, the raw 32 bytes in base64url without padding: 43 characters. */
export const PublicKeyText = z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: 'not an Ed25519 public key' });
export const DeviceSeq = z.number().int().positive();
/** An author hash (sha256, base64url without padding: 43 characters): what `prev` holds. */
export const AUTHOR_HASH_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const AuthorHash = z.string().regex(AUTHOR_HASH_PATTERN, { error: 'not an author hash' });

/** Author id of events the tracker writes itself (roster changes made at HQ). */
export const TRACKER_DEVICE_ID = 'tracker';

/**
 * `device.enrolled`: the facility's record that `deviceId` holds `publicKey`. Written
 * and signed by the tracker when a console enrols (or binds its key after upgrading);
 * for a facility that never reached a tracker, by the admin console that paired it
 * (issue 12b). Consoles fold these records into their keyring; events of devices with
 * no record are refused.
 */
export const DeviceEnrolledPayload = z
  .object({
    deviceId: z.string().min(1).max(64),
    publicKey: PublicKeyText,
    facility: z.string().trim().min(1).max(120),
    label: z.string().trim().max(120).default(''),
    /** `tracker` or the device id of the pairing admin console. */
    enrolledBy: z.string().min(1).max(64),
    /**
     * Since when (ms) the device signs everything it authors: its key's creation. Unsigned
     * events of this device with a later HLC are forgeries; earlier ones are its
     * pre-signature history.
     */
    signingSince: z.number().int().nonnegative().optional(),
  })
  .strict();
export type DeviceEnrolledPayload = z.infer<typeof DeviceEnrolledPayload>;

export const deviceStreamId = (deviceId: string) => `device:${deviceId}`;

/** Why a receiver refused an event. `field` names the envelope field at fault. */
export const TRUST_REFUSALS = [
  'unknown_device',
  'other_facility',
  'unsigned',
  'bad_signature',
  'key_mismatch',
  'fork',
] as const;
export type TrustRefusalCode = (typeof TRUST_REFUSALS)[number];
export interface TrustRefusal {
  ok: false;
  code: TrustRefusalCode;
  field: 'deviceId' | 'sig' | 'deviceSeq' | 'prev' | 'payload.publicKey';
  reason: string;
}
export type TrustVerdict = { ok: true; preSignature: boolean } | TrustRefusal;
