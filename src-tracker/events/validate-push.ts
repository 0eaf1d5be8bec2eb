/**
 * Checks a pushed batch before anything touches the database. Pure, so every rule
 * is unit-tested without HTTP. The first failure refuses the whole batch and names
 * the field (`events.3.payload.title`), so a console can quarantine exactly the
 * event that is wrong.
 */
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { EventEnvelope, parseEventPayload } from '../../src-shared/events.ts';
import { decodeHlc, isHlc } from '../../src-shared/hlc.ts';
import type { FieldIssue } from '../../src-shared/errors.ts';
import { PUSH_MAX_EVENTS, type TrackerError } from '../../src-shared/sync-wire.ts';

export interface CheckedEvent {
  envelope: EventEnvelope;
  /** Canonical JSON of the payload as sent: what is stored and compared on replay. */
  payloadText: string;
  /** Canonical JSON of the whole event: equal texts mean the same fact. */
  fingerprint: string;
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
    const envelope = EventEnvelope.safeParse(raw);
    if (!envelope.success) return { ok: false, error: zodFailure(envelope.error, at) };
    const event = envelope.data;

    const payload = parseEventPayload(event.type, event.payload);
    if (!payload.success) return { ok: false, error: zodFailure(payload.error, `${at}.payload`) };
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
    const aheadMs = decodeHlc(event.hlc).wallMs - rules.now;
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

    const checked = toChecked(event);
    const earlier = byId.get(event.id);
    if (earlier && earlier.fingerprint !== checked.fingerprint) {
      return { ok: false, error: conflictError(event.id, `${at}.id`) };
    }
    if (!earlier) {
      byId.set(event.id, checked);
      events.push(checked);
    }
    order.push(event.id);
  }
  return { ok: true, batch: { events, order } };
}

export function conflictError(id: string, field: string): TrackerError {
  return { code: 'conflict', message: `event ${id} already exists with different content`, field };
}

export function eventFingerprint(e: EventEnvelope, payloadText: string): string {
  return stableJson([e.id, e.streamId, e.type, payloadText, e.actor, e.deviceId, e.deviceTime, e.hlc]);
}

function toChecked(envelope: EventEnvelope): CheckedEvent {
  const payloadText = stableJson(envelope.payload);
  return { envelope, payloadText, fingerprint: eventFingerprint(envelope, payloadText) };
}

function stableJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be serialised as JSON');
  return text;
}

function claimedFacility(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null || !('facility' in payload)) return null;
  const facility = (payload as { facility: unknown }).facility;
  return typeof facility === 'string' ? facility.trim() : null;
}

function zodFailure(error: z.ZodError, base: string): TrackerError {
  const issues: FieldIssue[] = error.issues.map((i) => ({
    field: [base, ...i.path.map(String)].filter((part) => part !== '').join('.') || '(root)',
    message: i.message,
    code: i.code,
  }));
  const first = issues[0] ?? { field: base || '(root)', message: 'invalid', code: 'custom' };
  return { code: 'invalid_input', message: `${first.field}: ${first.message}`, field: first.field, issues };
}
