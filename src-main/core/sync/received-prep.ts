/**
 * The pure half of the gate for received events (remote-events.ts), as a function over
 * plain data so it can run on a worker thread (core/mesh/frame-preparer.ts) while the
 * console's thread stores the batch before: each payload against its type's schema, each
 * event's canonical text and author hash, and the signature checks the author check will
 * want, against the keys the console had when the batch arrived.
 *
 * Nothing here decides. The console's thread runs the same gate over its own keyring,
 * held events, revocations and clock and only takes these answers instead of computing
 * them again (verify-event.ts `PreparedEnvelope`); where this guessed differently (a key
 * learnt from the batch before, a run the held feed breaks) it checks for itself. So a
 * batch is refused with the same code and message with or without this step.
 */
import {
  authorHashOf,
  createKeyring,
  verifyBytes,
  verifyByRuns,
  type AuthoredEvent,
  type KeyringEntry,
  type PreparedEnvelope,
} from '../../../src-common/trust/index.ts';
import { parseEventPayloadForLater, type EventEnvelope } from '../../../src-shared/events.ts';
import { canonicalEnvelope, DeviceEnrolledPayload, type TrustVerdict } from '../../../src-shared/signed-envelope.ts';

/** One received event, prepared ahead. */
export interface ReceivedPrep extends PreparedEnvelope {
  /** The payload's first schema issue as the gate words it (`payload.<field>: <message>`), or null. */
  payloadIssue: string | null;
  /**
   * The payload parsed, and its schema's output is the payload itself, member for member in the
   * same order (nothing stripped, defaulted or transformed). A structured clone of such a payload
   * is what the schema gives, so the console's thread may hand it to the fold as parsed
   * (remote-events.ts) instead of running zod on it a second time.
   */
  payloadExact?: boolean;
}

/**
 * The payload's first schema issue as the gate's refusal names it, or null when it parses (the
 * parse is then handed to the fold of the append that follows: parseEventPayloadForLater).
 */
export function payloadIssueOf(event: Pick<EventEnvelope, 'type' | 'payload'>): string | null {
  const payload = parseEventPayloadForLater(event.type, event.payload);
  if (payload.success) return null;
  const issue = payload.error.issues[0];
  return `payload.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
}

/** The payload's issue as payloadIssueOf words it, and whether the schema's output is the payload itself. */
function payloadCheck(event: Pick<EventEnvelope, 'type' | 'payload'>): { issue: string | null; exact: boolean } {
  const payload = parseEventPayloadForLater(event.type, event.payload);
  if (payload.success) return { issue: null, exact: sameJson(payload.data, event.payload) };
  const issue = payload.error.issues[0];
  return { issue: `payload.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, exact: false };
}

/**
 * Whether `a` and `b` are the same JSON value: plain objects with the same keys in the same
 * order, arrays, and primitives (`Object.is`, so -0 is not 0). Anything else is not.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (
    Array.isArray(b) ||
    Object.getPrototypeOf(a) !== Object.prototype ||
    Object.getPrototypeOf(b) !== Object.prototype
  )
    return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    if (key !== keysB[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

const REFUSED: TrustVerdict = { ok: false, code: 'bad_signature', field: 'sig', reason: 'not verified here' };
const ACCEPTED: TrustVerdict = { ok: true, preSignature: false };

/**
 * Prepares `events` (in batch order) against `entries`, the console's keyring when the
 * batch was posted, plus the keys the batch's own `device.enrolled` records name (whether
 * the console takes a record is its thread's decision; checking against its key is only
 * a guess that saves work when it does). Signatures are checked the way the author check
 * will: by author runs, one check per linked run, each event of a run whose head fails.
 */
export function prepareReceived(events: readonly EventEnvelope[], entries: readonly KeyringEntry[]): ReceivedPrep[] {
  const keyring = createKeyring(entries);
  for (const event of events) {
    if (event.type !== 'device.enrolled') continue;
    const record = DeviceEnrolledPayload.safeParse(event.payload);
    if (record.success) {
      keyring.add({ deviceId: record.data.deviceId, publicKey: record.data.publicKey, facility: record.data.facility });
    }
  }
  const preps = new Map<object, ReceivedPrep>();
  for (const event of events) {
    const signed = (event as AuthoredEvent).sig;
    const canonical = signed === undefined ? null : canonicalEnvelope(event);
    const payload = payloadCheck(event);
    preps.set(event, {
      payloadIssue: payload.issue,
      payloadExact: payload.exact,
      canonical,
      authorHash: canonical !== null && event.deviceSeq !== undefined ? authorHashOf(canonical, signed!) : null,
      signatures: new Map<string, boolean>(),
    });
  }
  verifyByRuns(events, {
    prepared: (event) => preps.get(event),
    // The held feed is the console's to check: here every run is taken to start where it holds.
    heldHash: () => null,
    verifyOne(event) {
      const prep = preps.get(event)!;
      if (event.sig === undefined || prep.canonical === null) return REFUSED;
      const bytes = Buffer.from(prep.canonical, 'utf8');
      const signature = Buffer.from(event.sig, 'base64url');
      const signatures = prep.signatures as Map<string, boolean>;
      for (const entry of keyring.entries(event.deviceId)) {
        if (entry.publicKey === null || signatures.has(entry.publicKey)) continue;
        let key;
        try {
          key = keyring.keyObject(entry.publicKey);
        } catch {
          continue; // not a key: the console's thread meets the same error itself
        }
        const ok = verifyBytes(key, bytes, signature);
        signatures.set(entry.publicKey, ok);
        if (ok) return ACCEPTED;
      }
      return REFUSED;
    },
  });
  return events.map((event) => preps.get(event)!);
}
