/**
 * Checks a pushed batch before anything touches the database. Pure, so every rule
 * is unit-tested without HTTP. The first failure refuses the whole batch and names
 * the field (`events.3.payload.title`), so a console can quarantine exactly the
 * event that is wrong.
 */
import { isDerivedEventId } from '../../src-shared/derived-ids.ts';
import { canonicalJson } from '../../src-shared/canonical-json.ts';
import { sameJson } from '../../src-shared/same-json.ts';
import { z } from 'zod';
import { EventEnvelope, parseEventPayload } from '../../src-shared/events.ts';
import { HLC_WALL_DIGITS, isHlc } from '../../src-shared/hlc.ts';
import { fastEnvelope } from './envelope-fast-path.ts';
import type { FieldIssue } from '../../src-shared/errors.ts';
import { PUSH_MAX_EVENTS, type TrackerError } from '../../src-shared/sync-wire.ts';

export interface CheckedEvent {
  envelope: EventEnvelope;
  /** JSON of the payload as sent (the console's key order): what is stored and pulled. */
  payloadText: string;
}

export interface CheckedBatch {
  /** Distinct events, first occurrence order. */
  events: CheckedEvent[];
  /** Event id for each position of the request, so results come back in request order. */
  order: string[];
}

export type BatchCheck = { ok: true; batch: CheckedBatch } | { ok: false; error: TrackerError };

export interface BatchRules {
  facility: string;
  now: number;
  maxFutureHlcMs: number;
  /**
   * Leave the payloads to the caller, which checks them with `firstBadPayload` and refuses
   * the batch with `payloadError`: the push route does so on its verification workers, off
   * the event loop (zod's payload parse was a tenth of a drain's event loop).
   */
  payloadsElsewhere?: boolean;
}

const BatchShape = z.object({
  events: z.array(z.unknown()).max(PUSH_MAX_EVENTS, { error: `at most ${PUSH_MAX_EVENTS} events per push` }),
});

export function checkPushBatch(body: unknown, rules: BatchRules): BatchCheck {
  const shape = BatchShape.safeParse(body);
  if (!shape.success) return { ok: false, error: zodFailure(shape.error, '') };

  const events: CheckedEvent[] = [];
  const byId = new Map<string, CheckedEvent>();
  const order: string[] = [];
  for (const [index, raw] of shape.data.events.entries()) {
    const at = `events.${index}`;
    let event = fastEnvelope(raw);
    if (event === null) {
      const envelope = EventEnvelope.safeParse(raw);
      if (!envelope.success) return { ok: false, error: zodFailure(envelope.error, at) };
      event = envelope.data;
    }

    if (!rules.payloadsElsewhere) {
      const payload = parseEventPayload(event.type, event.payload);
      if (!payload.success) return { ok: false, error: zodFailure(payload.error, `${at}.payload`) };
    }
    const claimed = claimedFacility(event.payload);
    if (claimed !== null && claimed !== rules.facility) {
      return {
        ok: false,
        error: {
          code: 'forbidden',
          message: `${at}.payload.facility: this device belongs to ${rules.facility}, not ${claimed}`,
          field: `${at}.payload.facility`,
        },
      };
    }

    if (!isHlc(event.hlc)) {
      return {
        ok: false,
        error: { code: 'invalid_input', message: `${at}.hlc: not an HLC timestamp`, field: `${at}.hlc` },
      };
    }
    // The wall time is the first 15 digits of a timestamp isHlc accepted (hlc.ts), read without a
    // second match of the whole pattern: decodeHlc was a visible share of the drain's event loop.
    const aheadMs = Number(event.hlc.slice(0, HLC_WALL_DIGITS)) - rules.now;
    if (aheadMs > rules.maxFutureHlcMs) {
      const hours = Math.round(aheadMs / 3_600_000);
      return {
        ok: false,
        error: {
          code: 'invalid_input',
          message: `${at}.hlc: ${hours} h ahead of the tracker clock; fix the workstation clock`,
          field: `${at}.hlc`,
        },
      };
    }

    const earlier = byId.get(event.id);
    if (earlier && !sameFact(earlier.envelope, event)) {
      return { ok: false, error: conflictError(event.id, `${at}.id`) };
    }
    if (!earlier) {
      const checked = { envelope: event, payloadText: JSON.stringify(event.payload) };
      byId.set(event.id, checked);
      events.push(checked);
    }
    order.push(event.id);
  }
  return { ok: true, batch: { events, order } };
}

/** Where a payload failed its schema: the event's index and zod's issues, as plain data a worker can post. */
export interface PayloadFailure {
  index: number;
  issues: { path: string[]; message: string; code: string }[];
}

/** The first of `events` whose payload fails its type's schema, or null. */
export function firstBadPayload(events: readonly EventEnvelope[]): PayloadFailure | null {
  return checkPayloads(events).bad;
}

/**
 * The payload check of a push (or a worker's slice of one): the first payload failing its
 * type's schema, and the indexes of payloads, up to that one, that the schema returns
 * unchanged (`sameJson`: no trim, default, strip or transform changed anything). HQ's
 * projector may fold those as they are stored instead of parsing them again
 * (projections/parsed-hints.ts): the schema's answer for them is the payload itself.
 */
export function checkPayloads(events: readonly EventEnvelope[]): { bad: PayloadFailure | null; asParsed: number[] } {
  const asParsed: number[] = [];
  for (const [index, event] of events.entries()) {
    const payload = parseEventPayload(event.type, event.payload);
    if (payload.success) {
      if (sameJson(payload.data, event.payload)) asParsed.push(index);
      continue;
    }
    const issues = payload.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code }));
    return { bad: { index, issues }, asParsed };
  }
  return { bad: null, asParsed };
}

/** The error checkPushBatch gives for a payload failing at request position `at` (`events.N`). */
export function payloadError(failure: PayloadFailure, at: string): TrackerError {
  return issuesFailure(failure.issues, `${at}.payload`);
}

export function conflictError(id: string, field: string): TrackerError {
  return { code: 'conflict', message: `event ${id} already exists with different content`, field };
}

/**
 * Whether two events with one id record the same fact. Payloads are compared in
 * canonical form (key order does not matter), and only when everything else matches:
 * replays are rare, so the common path never pays for canonicalisation.
 */
export function sameFact(a: EventEnvelope, b: EventEnvelope): boolean {
  // A derived id names a fact that several consoles record independently (see
  // derived-ids.ts): their envelopes differ, the first stored copy wins.
  if (isDerivedEventId(a.id)) return a.id === b.id && a.streamId === b.streamId && a.type === b.type;
  return (
    a.id === b.id &&
    a.streamId === b.streamId &&
    a.type === b.type &&
    a.actor === b.actor &&
    a.deviceId === b.deviceId &&
    a.deviceTime === b.deviceTime &&
    a.hlc === b.hlc &&
    a.deviceSeq === b.deviceSeq &&
    a.prev === b.prev &&
    canonicalJson(a.payload) === canonicalJson(b.payload)
  );
}

function claimedFacility(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null || !('facility' in payload)) return null;
  const facility = (payload as { facility: unknown }).facility;
  return typeof facility === 'string' ? facility.trim() : null;
}

function zodFailure(error: z.ZodError, base: string): TrackerError {
  return issuesFailure(
    error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })),
    base,
  );
}

function issuesFailure(list: PayloadFailure['issues'], base: string): TrackerError {
  const issues: FieldIssue[] = list.map((i) => ({
    field: [base, ...i.path].filter((part) => part !== '').join('.') || '(root)',
    message: i.message,
    code: i.code,
  }));
  const first = issues[0] ?? { field: base || '(root)', message: 'invalid', code: 'custom' };
  return { code: 'invalid_input', message: `${first.field}: ${first.message}`, field: first.field, issues };
}
