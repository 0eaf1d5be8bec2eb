/**
 * A quick check of a received event's payload beside its zod schema (events.ts EVENT_PAYLOADS),
 * for the payloads a catch-up carries most (a note, a status change, a created incident: nine in
 * ten of the mesh bench's events). It answers only "certainly valid, and the schema's output is
 * the payload itself, member for member" (nothing trimmed, defaulted or stripped): then the
 * receiver's frame worker records it as parsed exactly (received-prep.ts `payloadCheck`), and
 * otherwise false, and the caller asks zod, which decides and names the field. So it can change
 * no answer, only skip zod for payloads zod accepts unchanged.
 *
 * Why by hand: the payloads' zod was about a tenth of the frame worker's CPU in a catch-up
 * (docs/performance.md, round 12x). The limits are the schemas' own (INCIDENT_LIMITS, the
 * statuses, the id's schema; a created incident through quickIncidentCreate, which holds to
 * IncidentFields' rules); anything unusual goes to zod. A property test
 * (test/unit/shared/payload-quick.test.ts) holds it to zod's answers.
 */
import type { EventType } from './events.ts';
import { quickIncidentCreate } from './incident-create-check.ts';
import { INCIDENT_STATUSES, Uuid } from './incident.ts';
import { sameJson } from './same-json.ts';

/** The id schema's own pattern (z.uuid's whole check is this regex); without one, nothing is quick. */
const UUID_PATTERN: RegExp | undefined = Uuid._zod.def.pattern;
const STATUSES: ReadonlySet<unknown> = new Set(INCIDENT_STATUSES);
/** IncidentNoteAddedPayload's and IncidentStatusChangedPayload's limits (events.ts). */
const NOTE_MAX = 5000;
const REASON_MAX = 1000;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** The object's own keys are exactly `keys`, in that order (the schema's output order). */
function keysAre(value: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in value) if (!Object.hasOwn(value, key) || key !== keys[i++]) return false;
  return i === keys.length;
}

/** Text the schema's trim leaves as it is, of min to max characters. */
const trimmedText = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'string' && value.length >= min && value.length <= max && value.trim() === value;

const NOTE_KEYS = ['noteId', 'text'];
const STATUS_KEYS = ['from', 'to', 'reason'];

/** Whether `type`'s schema certainly accepts `payload` and gives back the payload itself; false: ask zod. */
export function quickExactPayload(type: EventType, payload: unknown): boolean {
  if (!isPlainObject(payload) || UUID_PATTERN === undefined) return false;
  switch (type) {
    case 'incident.note_added':
      return (
        keysAre(payload, NOTE_KEYS) &&
        typeof payload.noteId === 'string' &&
        UUID_PATTERN.test(payload.noteId) &&
        trimmedText(payload.text, 1, NOTE_MAX)
      );
    case 'incident.status_changed':
      return (
        keysAre(payload, STATUS_KEYS) &&
        STATUSES.has(payload.from) &&
        STATUSES.has(payload.to) &&
        trimmedText(payload.reason, 0, REASON_MAX)
      );
    case 'incident.created': {
      // IncidentFields is IncidentCreateInput without the id, which it would strip.
      if ('id' in payload) return false;
      const output = quickIncidentCreate(payload);
      return output !== null && sameJson(output, payload);
    }
    default:
      return false;
  }
}
