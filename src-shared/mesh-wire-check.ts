/**
 * A quick check of an `events` frame beside its zod schema (mesh-wire.ts `MeshFrame`), for the
 * frame a receiving console parses most: a catch-up's batches. It answers only "certainly
 * valid, and the schema's output is this very value": then the frame is JSON.parse's value
 * itself, as the schema would give it (the same members in the same order, `payload` handed
 * through untouched), and otherwise false, and the caller asks zod, which decides and names the
 * field. So it can change no answer, only skip zod for frames zod accepts unchanged.
 *
 * Why by hand: zod's parse of a frame (a new object per event, each member checked through its
 * generic code paths) and the comparison of its output with JSON.parse's value (`sameParse`)
 * were a fifth of the frame worker's CPU in a catch-up (docs/performance.md, round 12x). The
 * limits and patterns are the schemas' own (ENVELOPE_LIMITS, the id's, signature's and author
 * hash's patterns); anything unusual (a member the schema does not know, members in another
 * order, a value of another kind, a prototype other than Object's or Array's) goes to zod. A
 * property test (test/unit/shared/mesh-wire-check.test.ts) holds it to zod's answers.
 */
import { ENVELOPE_LIMITS, EVENT_PAYLOADS } from './events.ts';
import { FeedEvent, MESH_FRAME_MAX_EVENTS } from './mesh-wire.ts';
import { isPlainObject, keysAre, UUID_PATTERN } from './quick-check.ts';
import { AUTHOR_HASH_PATTERN, SIGNATURE_PATTERN } from './signed-envelope.ts';

const isText = (value: unknown, max: number): boolean =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;
/** z.number().int(): a safe integer (zod 4); -0 passes, as in zod. */
const isCount = (value: unknown, min: 0 | 1): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

/**
 * One feed event whose keys are exactly FeedEvent's, in its shape's order (an absent optional
 * member skipped), each valid: what zod's parse gives back member for member.
 */
function quickFeedEvent(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  // Keys before values: a reordered or extra member is zod's at once (its output would differ).
  let expect = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    // id streamId type payload actor deviceId deviceTime hlc [deviceSeq] [sig] [prev] seq serverSeq
    for (;;) {
      const want = ORDER[expect++];
      if (want === undefined) return false;
      if (want === key) break;
      if (!OPTIONAL.has(want)) return false;
    }
  }
  if (expect !== ORDER.length) return false; // seq or serverSeq missing (the last two are required)
  const e = value;
  if (
    typeof e.id !== 'string' ||
    !UUID_PATTERN!.test(e.id) ||
    !isText(e.streamId, ENVELOPE_LIMITS.streamId) ||
    typeof e.type !== 'string' ||
    !Object.hasOwn(EVENT_PAYLOADS, e.type) ||
    e.payload === undefined ||
    !isText(e.actor, ENVELOPE_LIMITS.actor) ||
    !isText(e.deviceId, ENVELOPE_LIMITS.deviceId) ||
    !isCount(e.deviceTime, 0) ||
    !isText(e.hlc, ENVELOPE_LIMITS.hlc) ||
    !isCount(e.seq, 1) ||
    (e.serverSeq !== null && !isCount(e.serverSeq, 1))
  )
    return false;
  if ('deviceSeq' in e && !isCount(e.deviceSeq, 1)) return false;
  if ('sig' in e && (typeof e.sig !== 'string' || !SIGNATURE_PATTERN.test(e.sig))) return false;
  if ('prev' in e && (typeof e.prev !== 'string' || !AUTHOR_HASH_PATTERN.test(e.prev))) return false;
  return true;
}

/** FeedEvent's members in its shape's order (EventEnvelope's, then seq and serverSeq), from the schema itself. */
const ORDER: readonly string[] = Object.keys(FeedEvent.shape);
/** The members the schema lets a frame leave out (deviceSeq, sig, prev). */
const OPTIONAL: ReadonlySet<string> = new Set(
  ORDER.filter(
    (key) => (FeedEvent.shape as Record<string, { _zod: { optin?: string } }>)[key]!._zod.optin === 'optional',
  ),
);

/**
 * Whether `json` (JSON.parse's value of a frame) is an `events` frame that `MeshFrame`'s parse
 * certainly accepts and gives back unchanged: `t`, `events`, `last` in that order and nothing
 * else, at most MESH_FRAME_MAX_EVENTS events, each a quick feed event. False: ask zod.
 */
export function quickEventsFrame(json: unknown): boolean {
  if (UUID_PATTERN === undefined || !isPlainObject(json) || !keysAre(json, FRAME_ORDER)) return false;
  if (json.t !== 'events' || !isCount(json.last, 0)) return false;
  const events = json.events;
  if (!Array.isArray(events) || Object.getPrototypeOf(events) !== Array.prototype) return false;
  if (events.length > MESH_FRAME_MAX_EVENTS) return false;
  for (let j = 0; j < events.length; j++) if (!quickFeedEvent(events[j])) return false;
  return true;
}

const FRAME_ORDER = ['t', 'events', 'last'] as const;
