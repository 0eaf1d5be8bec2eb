/**
 * The push's envelope check without zod for the common case. Zod's safeParse of
 * `EventEnvelope` cost about as much as the rest of a push's validation together
 * (~2 µs an event, 1,000 events a push), almost all of it generic machinery: the
 * envelope is ten fields of known shape.
 *
 * This is a filter, not a second definition: it answers with the envelope only when
 * every field already passes a rule at least as strict as the schema's (a narrower
 * UUID pattern, UTF-16 length where zod counts code points, safe integers), and it
 * builds exactly what zod would return (the schema's keys, unknown ones dropped).
 * Anything else, odd but valid or invalid, gets null, and the caller asks zod, which
 * names the field. So the schema stays the one source of the rules and of the error
 * messages; test/unit/tracker/envelope-fast-path.test.ts checks the "at least as
 * strict, same output" claim against the schema over generated envelopes.
 */
import { EVENT_PAYLOADS, EventEnvelope } from '../../src-shared/events.ts';

/** Lower-case RFC 9562 UUID, versions 1–8: a subset of what `z.uuid()` accepts. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** signed-envelope.ts's EventSignature pattern. */
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;
/** signed-envelope.ts's AuthorHash pattern (`prev`, the author chain's link). */
const AUTHOR_HASH = /^[A-Za-z0-9_-]{43}$/;

/** The envelope fields this filter checks itself. */
const CHECKED = new Set([
  'id',
  'streamId',
  'type',
  'payload',
  'actor',
  'deviceId',
  'deviceTime',
  'hlc',
  'deviceSeq',
  'sig',
  'prev',
]);
/**
 * Fields the schema has and this filter does not check (one added to the envelope after
 * it was written): each present is parsed by its own schema from the envelope's shape,
 * exactly as the envelope's parse would, never stripped here.
 */
const UNCHECKED = Object.entries(EventEnvelope.shape).filter(([key]) => !CHECKED.has(key));

const text = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;

export function fastEnvelope(raw: unknown): EventEnvelope | null {
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) return null;
  const e = raw as Record<string, unknown>;
  const { id, streamId, type, payload, actor, deviceId, deviceTime, hlc, deviceSeq, sig, prev } = e;
  if (
    typeof id !== 'string' ||
    !UUID.test(id) ||
    !text(streamId, 200) ||
    typeof type !== 'string' ||
    !Object.hasOwn(EVENT_PAYLOADS, type) ||
    payload === undefined ||
    !text(actor, 120) ||
    !text(deviceId, 64) ||
    typeof deviceTime !== 'number' ||
    !Number.isSafeInteger(deviceTime) ||
    deviceTime < 0 ||
    !text(hlc, 120)
  ) {
    return null;
  }
  const envelope = {
    id,
    streamId,
    type: type as EventEnvelope['type'],
    payload,
    actor,
    deviceId,
    deviceTime,
    hlc,
  } as EventEnvelope;
  if (deviceSeq !== undefined) {
    if (typeof deviceSeq !== 'number' || !Number.isSafeInteger(deviceSeq) || deviceSeq <= 0) return null;
    envelope.deviceSeq = deviceSeq;
  } else if ('deviceSeq' in e) return null;
  if (sig !== undefined) {
    if (typeof sig !== 'string' || !SIGNATURE.test(sig)) return null;
    envelope.sig = sig;
  } else if ('sig' in e) return null;
  // Checked here rather than by its own schema below: zod's per-field parse of every chained
  // event's link was a visible share of this function in the drain's profile.
  if (prev !== undefined) {
    if (typeof prev !== 'string' || !AUTHOR_HASH.test(prev)) return null;
    envelope.prev = prev;
  } else if ('prev' in e) return null;
  for (const [key, schema] of UNCHECKED) {
    if (!(key in e)) continue;
    const field = schema.safeParse(e[key]);
    if (!field.success) return null;
    (envelope as Record<string, unknown>)[key] = field.data;
  }
  return envelope;
}
