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
 * (docs/performance.md, round 12x). The limits are the schemas' own (PAYLOAD_TEXT_LIMITS, the
 * statuses, the id's schema; a created incident through quickIncidentCreate, which holds to
 * IncidentFields' rules); anything unusual goes to zod. A property test
 * (test/unit/shared/payload-quick.test.ts) holds it to zod's answers.
 */
import {
  IncidentNoteAddedPayload,
  IncidentStatusChangedPayload,
  PAYLOAD_TEXT_LIMITS,
  type EventType,
} from './events.ts';
import { quickIncidentCreate } from './incident-create-check.ts';
import { INCIDENT_STATUSES } from './incident.ts';
import { isPlainObject, keysAre, UUID_PATTERN } from './quick-check.ts';
import { sameJson } from './same-json.ts';

const STATUSES: ReadonlySet<unknown> = new Set(INCIDENT_STATUSES);

/** Text the schema's trim leaves as it is, of min to max characters. */
const trimmedText = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'string' && value.length >= min && value.length <= max && value.trim() === value;

/** The schemas' members in their output order (noteId text; from to reason). */
const NOTE_KEYS = Object.keys(IncidentNoteAddedPayload.shape);
const STATUS_KEYS = Object.keys(IncidentStatusChangedPayload.shape);

/** Whether `type`'s schema certainly accepts `payload` and gives back the payload itself; false: ask zod. */
export function quickExactPayload(type: EventType, payload: unknown): boolean {
  if (!isPlainObject(payload) || UUID_PATTERN === undefined) return false;
  switch (type) {
    case 'incident.note_added':
      return (
        keysAre(payload, NOTE_KEYS) &&
        typeof payload.noteId === 'string' &&
        UUID_PATTERN.test(payload.noteId) &&
        trimmedText(payload.text, 1, PAYLOAD_TEXT_LIMITS.note)
      );
    case 'incident.status_changed':
      return (
        keysAre(payload, STATUS_KEYS) &&
        STATUSES.has(payload.from) &&
        STATUSES.has(payload.to) &&
        trimmedText(payload.reason, 0, PAYLOAD_TEXT_LIMITS.reason)
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
