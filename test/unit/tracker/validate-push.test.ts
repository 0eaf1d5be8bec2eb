import fc from 'fast-check';
import { sameJson } from '../../../src-shared/same-json.ts';
import { describe, expect, it } from 'vitest';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { parseEventPayload, type EventEnvelope } from '../../../src-shared/events.ts';
import { checkPayloads, checkPushBatch, type BatchRules } from '../../../src-tracker/events/validate-push.ts';

const NOW = Date.UTC(2026, 10, 25, 20, 0, 0);
const rules: BatchRules = { facility: 'Kumla', now: NOW, maxFutureHlcMs: 24 * 3_600_000 };
let n = 0;

function created(overrides: Partial<EventEnvelope> = {}, payload: Record<string, unknown> = {}): EventEnvelope {
  n += 1;
  const suffix = String(n).padStart(12, '0');
  return {
    id: `0192a0c0-0000-7000-8000-${suffix}`,
    streamId: `0192a0c0-0000-7000-9000-${suffix}`,
    type: 'incident.created',
    payload: {
      facility: 'Kumla',
      unit: 'Avdelning B',
      category: 'medical',
      severity: 'high',
      title: 'Intagen medvetslös',
      occurredAt: '2026-11-25T21:14:00+01:00',
      reportedBy: 'Vakt 1042',
      ...payload,
    },
    actor: 'Vakt 1042',
    deviceId: 'ws-1',
    deviceTime: NOW,
    hlc: encodeHlc({ wallMs: NOW, counter: n, node: 'ws-1' }),
    ...overrides,
  };
}

function refusal(body: unknown) {
  const check = checkPushBatch(body, rules);
  if (check.ok) throw new Error('expected the batch to be refused');
  return check.error;
}

describe('push batch check', () => {
  it('accepts a valid batch and keeps request order', () => {
    const events = [created(), created(), created()];
    const check = checkPushBatch({ events }, rules);
    expect(check.ok && check.batch.order).toEqual(events.map((e) => e.id));
  });

  it('names the first bad payload field with its event index', () => {
    const error = refusal({ events: [created(), created({}, { title: '' })] });
    expect(error).toMatchObject({ code: 'invalid_input', field: 'events.1.payload.title' });
  });

  it('names the payload itself when it is not an object', () => {
    expect(refusal({ events: [created({ payload: 'hej' })] }).field).toBe('events.0.payload');
  });

  it('refuses an event claiming another facility as forbidden, naming the field', () => {
    const error = refusal({ events: [created({}, { facility: 'Hall' })] });
    expect(error).toMatchObject({ code: 'forbidden', field: 'events.0.payload.facility' });
  });

  it('refuses an HLC beyond the future horizon and accepts one on it', () => {
    const at = (wallMs: number) => created({ hlc: encodeHlc({ wallMs, counter: 0, node: 'ws-1' }) });
    expect(refusal({ events: [at(NOW + rules.maxFutureHlcMs + 1)] }).field).toBe('events.0.hlc');
    expect(checkPushBatch({ events: [at(NOW + rules.maxFutureHlcMs)] }, rules).ok).toBe(true);
  });

  it('stores a repeated identical event once but reports every position', () => {
    const e = created();
    const check = checkPushBatch({ events: [e, created(), e] }, rules);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.batch.events).toHaveLength(2);
    expect(check.batch.order).toEqual([e.id, check.batch.events[1]!.envelope.id, e.id]);
  });

  it('refuses one id with two different contents in the same batch as a conflict', () => {
    const e = created();
    const error = refusal({ events: [e, { ...e, actor: 'Någon annan' }] });
    expect(error).toMatchObject({ code: 'conflict', field: 'events.1.id' });
    expect(error.message).toContain(e.id);
  });

  it('treats key order inside a payload as the same fact', () => {
    const e = created();
    const reordered = { ...e, payload: Object.fromEntries(Object.entries(e.payload as object).reverse()) };
    const check = checkPushBatch({ events: [e, reordered] }, rules);
    expect(check.ok && check.batch.events).toHaveLength(1);
  });

  it('refuses more than 1000 events naming the events field', () => {
    const e = created();
    expect(refusal({ events: Array.from({ length: 1001 }, () => e) }).field).toBe('events');
  });

  it('never throws on arbitrary JSON: it either accepts or names a field', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const check = checkPushBatch({ events: [a, { ...created(), payload: b }] }, rules);
        if (!check.ok) expect(check.error.field).toMatch(/^(events|\(root\))/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('payloads the schema keeps as they are (HQ folds them without a second parse)', () => {
  const complete = { description: '', peopleInvolved: [], location: '' };
  // As a console writes it: the schema's own output, in the schema's key order.
  const normal = () => {
    const event = created({}, complete);
    return { ...event, payload: parseEventPayload('incident.created', event.payload).data };
  };

  it('names only the payloads whose parse equals them, up to the first that fails', () => {
    const events = [
      normal(),
      created({}, { ...complete, title: '  Intagen medvetslös ' }), // trimmed by the schema
      created({}, {}), // description, people and location filled in by defaults
      created({}, { ...complete, extra: 1 }), // an unknown key, stripped
      normal(),
      created({}, { title: '' }), // fails
      normal(),
    ];
    expect(checkPayloads(events)).toMatchObject({ bad: { index: 5 }, asParsed: [0, 4] });
  });

  it('compares JSON values strictly: key order, array length, nesting, undefined members', () => {
    expect(sameJson({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson([1, 2], [1, 2, 3])).toBe(false);
    expect(sameJson({ a: { b: 'x' } }, { a: { b: 'y' } })).toBe(false);
    expect(sameJson({ a: undefined }, {})).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});
