/**
 * The event catalogue. Events are facts; projections (incident list, line status…)
 * are views folded from them. Every payload is validated against its schema here
 * before it is stored, synced or folded.
 */
import { z } from 'zod';
import { IncidentFields, IncidentPatch, IncidentStatus, Uuid } from './incident.ts';
import { LineProblemReportedPayload, LineStatusChangedPayload } from './telephony.ts';
import {
  OutageConfirmedPayload,
  OutageDismissedPayload,
  OutageLineJoinedPayload,
  OutageOpenedPayload,
  OutageResolvedPayload,
} from './outages.ts';
import {
  AccessDeniedPayload,
  AuthLockedOutPayload,
  AuthSessionLockedPayload,
  AuthSignedInPayload,
  AuthSignedOutPayload,
  AuthSignInFailedPayload,
  StaffEnrolledPayload,
  StaffPinSetPayload,
  StaffUpdatedPayload,
} from './staff.ts';
import {
  EscalationAcknowledgedPayload,
  EscalationNotifiedPayload,
  EscalationResolvedPayload,
  EscalationStartedPayload,
  EscalationTimedOutPayload,
} from './escalation.ts';
import { AuditExportedPayload } from './audit.ts';
import { CarrierTicketSetPayload } from './carrier-ticket.ts';
import { LinesDeclaredPayload } from './figures-catalog.ts';
import { IncidentArchivedPayload, IncidentViewedPayload } from './retention.ts';
import { LineVoiceTestedPayload } from './voice.ts';
import { AuthorHash, DeviceEnrolledPayload, DeviceSeq, EventSignature } from './signed-envelope.ts';
import { DeviceRevokedPayload } from './device-revocation.ts';

export const IncidentCreatedPayload = IncidentFields;
export const IncidentUpdatedPayload = z.object({ patch: IncidentPatch });
/** A status change's reason and a note's text (characters), for their schemas and payload-quick.ts. */
export const PAYLOAD_TEXT_LIMITS = { reason: 1000, note: 5000 } as const;
export const IncidentStatusChangedPayload = z.object({
  from: IncidentStatus,
  to: IncidentStatus,
  reason: z.string().trim().max(PAYLOAD_TEXT_LIMITS.reason).default(''),
});
export const IncidentNoteAddedPayload = z.object({
  noteId: Uuid,
  text: z.string().trim().min(1, { error: 'required' }).max(PAYLOAD_TEXT_LIMITS.note),
});

/** A supervisor or admin stopped this console (issue 14); it monitors nothing until started again. */
export const ConsoleQuitApprovedPayload = z.object({
  staffNumber: z.string().min(1).max(120),
  host: z.enum(['electron', 'web', 'test']),
});

export const EVENT_PAYLOADS = {
  'incident.created': IncidentCreatedPayload,
  'incident.updated': IncidentUpdatedPayload,
  'incident.status_changed': IncidentStatusChangedPayload,
  'incident.note_added': IncidentNoteAddedPayload,
  // Data protection: the incident left this console's views; someone opened it.
  'incident.archived': IncidentArchivedPayload,
  'incident.viewed': IncidentViewedPayload,
  'line.status_changed': LineStatusChangedPayload,
  'line.problem_reported': LineProblemReportedPayload,
  // Voice path (issue 17): one synthetic test call and its measurements.
  'line.voice_tested': LineVoiceTestedPayload,
  'outage.opened': OutageOpenedPayload,
  'outage.line_joined': OutageLineJoinedPayload,
  'outage.resolved': OutageResolvedPayload,
  'outage.confirmed': OutageConfirmedPayload,
  'outage.dismissed': OutageDismissedPayload,
  'outage.carrier_ticket_set': CarrierTicketSetPayload,
  'facility.lines_declared': LinesDeclaredPayload,
  'staff.enrolled': StaffEnrolledPayload,
  'staff.updated': StaffUpdatedPayload,
  'staff.pin_set': StaffPinSetPayload,
  'auth.signed_in': AuthSignedInPayload,
  'auth.signed_out': AuthSignedOutPayload,
  'auth.sign_in_failed': AuthSignInFailedPayload,
  'auth.locked_out': AuthLockedOutPayload,
  'auth.session_locked': AuthSessionLockedPayload,
  'access.denied': AccessDeniedPayload,
  'escalation.started': EscalationStartedPayload,
  'escalation.notified': EscalationNotifiedPayload,
  'escalation.acknowledged': EscalationAcknowledgedPayload,
  'escalation.timed_out': EscalationTimedOutPayload,
  'escalation.resolved': EscalationResolvedPayload,
  'audit.exported': AuditExportedPayload,
  'console.quit_approved': ConsoleQuitApprovedPayload,
  // Facility mesh (issue 12): the record that binds a device id to its public key.
  'device.enrolled': DeviceEnrolledPayload,
  // Facility-wide peer removal: nothing the device authors after its cutoff is accepted.
  'device.revoked': DeviceRevokedPayload,
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];
export const EventTypeSchema = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

/** The envelope's text limits (characters), for its schema and the mesh's quick check (mesh-wire-check.ts). */
export const ENVELOPE_LIMITS = { streamId: 200, actor: 120, deviceId: 64, hlc: 120 } as const;

/** Fields every event carries, wherever it was produced. */
export const EventEnvelope = z.object({
  id: Uuid,
  streamId: z.string().min(1).max(ENVELOPE_LIMITS.streamId),
  type: EventTypeSchema,
  payload: z.unknown(),
  actor: z.string().min(1).max(ENVELOPE_LIMITS.actor),
  deviceId: z.string().min(1).max(ENVELOPE_LIMITS.deviceId),
  /** The producing device's wall clock (ms). Evidence only: never used for ordering. */
  deviceTime: z.number().int().nonnegative(),
  hlc: z.string().min(1).max(ENVELOPE_LIMITS.hlc),
  /**
   * Signed envelope (signed-envelope.ts): the author's sequence number and Ed25519
   * signature. Both absent on pre-signature events (stored before issue 12).
   */
  deviceSeq: DeviceSeq.optional(),
  sig: EventSignature.optional(),
  /** Author chain: the author hash of the author's previous event (signed-envelope.ts). */
  prev: AuthorHash.optional(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export interface TypedEvent<T extends EventType = EventType> extends Omit<EventEnvelope, 'payload' | 'type'> {
  type: T;
  payload: EventPayload<T>;
}

/** An event as held in a console's log: envelope plus chain and sync bookkeeping. */
export const StoredEvent = EventEnvelope.extend({
  seq: z.number().int(),
  prevHash: z.string(),
  hash: z.string(),
  syncedAt: z.number().nullable(),
  serverSeq: z.number().int().nullable(),
});
export type StoredEvent = z.infer<typeof StoredEvent>;

type PayloadResult<T extends EventType> = z.ZodSafeParseResult<EventPayload<T>>;

/**
 * Parses already made, so the fold need not run zod on the same payload again (node --cpu-prof,
 * issue 16 and 12i), keyed by the payload object the next parse is given:
 * - a command's payload built from input the dispatch has just parsed is its schema's output
 *   already (`parsedPayload`; kept while the payload lives; a marked payload must not change);
 * - a received event's payload that the receiver's gate validated, handed to the fold of the
 *   append right after (`parseEventPayloadForLater`); taken once, so no two consumers share
 *   the parsed object, and one nobody parses again is dropped with the payload.
 * The mark is the type alone: a success whose data is the payload itself is made when it is
 * read. Before round 12q each mark held an entry object and a result object, two objects per
 * received event kept as long as its payload (and promoted with it), made by the gate for
 * every event of a catch-up.
 */
const parsedAs = new WeakMap<object, EventType>();
/** Marks taken once: a parse zod made (its data may differ from the payload: defaults, transforms). */
const parsedOnce = new WeakMap<object, { type: EventType; result: PayloadResult<EventType> }>();

/** `payload` is what `type`'s schema gives (a command's payload from parsed input): the fold need not parse it again. */
export function parsedPayload<T extends EventType>(type: T, payload: EventPayload<T>): EventPayload<T> {
  parsedAs.set(payload as object, type);
  return payload;
}

/** The member `markParsed` gives a payload: a symbol, and not enumerable, so JSON, keys and spreads never see it. */
const PARSED_AS = Symbol('parsedAs');

/**
 * `payload`, a fresh object read from storage, is what `type`'s schema gives for it, as proved
 * where it was checked (the tracker's verification workers, for HQ's fold): the fold need not
 * parse it again. As `parsedPayload`, for many short-lived payloads at once: a member on the
 * object costs a fraction of a WeakMap entry, which was a visible share of the tracker's
 * projector thread (issue 16, branch 16q). The payload must not change afterwards.
 */
export function markParsed(type: EventType, payload: object): void {
  Object.defineProperty(payload, PARSED_AS, { value: type });
}

/** Validate an envelope's payload against the catalogue; returns the parsed payload or the zod error. */
export function parseEventPayload<T extends EventType>(type: T, payload: unknown): PayloadResult<T> {
  if (typeof payload === 'object' && payload !== null) {
    if ((payload as { [PARSED_AS]?: EventType })[PARSED_AS] === type)
      return { success: true, data: payload } as PayloadResult<T>;
    const once = parsedOnce.get(payload);
    if (once) {
      parsedOnce.delete(payload);
      if (once.type === type) return once.result as PayloadResult<T>;
    }
    if (parsedAs.get(payload) === type) return { success: true, data: payload } as PayloadResult<T>;
  }
  return (EVENT_PAYLOADS[type] as unknown as z.ZodType<EventPayload<T>>).safeParse(payload);
}

/**
 * As parseEventPayload, and a success is handed to the next parse of the same payload object,
 * which must not change in between (a received event between the gate and its append's fold).
 */
export function parseEventPayloadForLater<T extends EventType>(type: T, payload: unknown): PayloadResult<T> {
  const result = parseEventPayload(type, payload);
  if (result.success && typeof payload === 'object' && payload !== null) {
    parsedOnce.set(payload, { type, result: result as PayloadResult<EventType> });
  }
  return result;
}

/** Deterministic order for folding: HLC, then device id, then event id. */
export function compareEvents(
  a: Pick<EventEnvelope, 'hlc' | 'deviceId' | 'id'>,
  b: Pick<EventEnvelope, 'hlc' | 'deviceId' | 'id'>,
): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * `events` in fold order (compareEvents): the array itself when it is in that order already,
 * else a sorted copy; never changes `events`. A received catch-up hands the folds each stream's
 * new events in order, and a copy and a sort per stream and fold were garbage there (heap
 * sampling of the receive path, issue 12n).
 */
export function inFoldOrder<E extends Pick<EventEnvelope, 'hlc' | 'deviceId' | 'id'>>(
  events: readonly E[],
): readonly E[] {
  for (let i = 1; i < events.length; i++) {
    if (compareEvents(events[i - 1]!, events[i]!) > 0) return [...events].sort(compareEvents);
  }
  return events;
}
