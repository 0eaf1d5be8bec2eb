/**
 * The quick check of a received payload (round 12x) may only skip zod, never change an answer:
 * whatever it accepts, the type's schema accepts and gives back member for member, in the same
 * order (so the frame worker may record it as parsed exactly); whatever zod refuses or changes
 * (trims, defaults, strips), it leaves to zod. And it accepts the payloads an honest console
 * writes, or it would save nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EVENT_PAYLOADS, EVENT_TYPES, type EventType } from '../../../src-shared/events.ts';
import { INCIDENT_CATEGORIES, INCIDENT_SEVERITIES, INCIDENT_STATUSES } from '../../../src-shared/incident.ts';
import { quickExactPayload } from '../../../src-shared/payload-quick.ts';
import { sameJson } from '../../../src-shared/same-json.ts';
import { payloadCheck } from '../../../src-main/core/sync/received-prep.ts';
import { offlineBacklog } from '../../bench/sync/offline-events.ts';

const honest = offlineBacklog({
  count: 200,
  deviceId: 'quick-sender',
  facility: 'Märsta',
  unit: 'Avdelning B',
  actor: 'A-quick',
  startMs: 1_790_000_000_000,
  signed: true,
  escalations: true,
}).events.map((e) => ({ type: e.type, payload: JSON.parse(JSON.stringify(e.payload)) as unknown }));

const text = fc.oneof(
  fc.constantFrom('', ' ', ' a', 'a ', '\u00a0x', 'x\ufeff', 'ö', '\u0000', 'Samtal noterat.', '\ud800'),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(119, 120, 121, 999, 1000, 1001, 4999, 5000, 5001).map((n) => 'x'.repeat(n)),
);
const value = fc.oneof(
  text,
  fc.constantFrom(...INCIDENT_STATUSES, ...INCIDENT_CATEGORIES, ...INCIDENT_SEVERITIES, 'Open', 'closed '),
  fc.constantFrom(
    '019ab000-0000-7000-8000-000000000001',
    '019AB000-0000-7000-8000-000000000001',
    '019ab000-0000-9000-8000-000000000001',
    'not-a-uuid',
    '2026-11-25T21:14:00+01:00',
    '2026-11-25 21:14',
  ),
  fc.constantFrom(null, undefined, 0, 1, true, [], ['A. Andersson'], ['  '], {}),
);
const KEYS = [
  'noteId',
  'text',
  'from',
  'to',
  'reason',
  'facility',
  'unit',
  'category',
  'severity',
  'title',
  'description',
  'peopleInvolved',
  'location',
  'occurredAt',
  'reportedBy',
  'id',
  'extra',
];

/** An honest payload of `type`'s kind with members set, dropped or moved. */
const mutated = fc
  .record({
    base: fc.nat(honest.length - 1),
    type: fc.option(
      fc.constantFrom<EventType>('incident.note_added', 'incident.status_changed', 'incident.created', ...EVENT_TYPES),
      {
        nil: undefined,
      },
    ),
    sets: fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 2 }),
    drop: fc.option(fc.constantFrom(...KEYS), { nil: undefined }),
    rotate: fc.boolean(),
  })
  .map(({ base, type, sets, drop, rotate }) => {
    const from = honest[base]!;
    let payload = { ...(from.payload as Record<string, unknown>) };
    for (const [key, v] of sets) payload[key] = v;
    if (drop !== undefined) delete payload[drop];
    if (rotate) {
      const entries = Object.entries(payload);
      entries.push(entries.shift()!);
      payload = Object.fromEntries(entries);
    }
    return { type: type ?? from.type, payload };
  });

const exactByZod = (type: EventType, payload: unknown) => {
  const parsed = EVENT_PAYLOADS[type].safeParse(payload);
  return parsed.success && sameJson(parsed.data, payload);
};

describe('the quick check of a received payload', () => {
  it('accepts only what the schema accepts and gives back unchanged', () => {
    let quick = 0;
    fc.assert(
      fc.property(mutated, ({ type, payload }) => {
        if (!quickExactPayload(type, payload)) return;
        quick += 1;
        expect({ type, payload, exact: exactByZod(type, payload) }).toEqual({ type, payload, exact: true });
      }),
      { numRuns: 5000 },
    );
    expect(quick).toBeGreaterThan(100);
  });

  it('accepts no single member set to an edge value, or left out, that zod refuses or changes', () => {
    const edges: unknown[] = [
      '',
      ' ',
      ' a',
      'a ',
      'x'.repeat(1000),
      'x'.repeat(1001),
      'x'.repeat(5000),
      'x'.repeat(5001),
      'x'.repeat(120),
      'x'.repeat(121),
      '019AB000-0000-7000-8000-000000000001',
      'not-a-uuid',
      'Open',
      ...INCIDENT_STATUSES,
      null,
      undefined,
      0,
      [],
      ['  '],
    ];
    for (const type of ['incident.note_added', 'incident.status_changed', 'incident.created'] as const) {
      const from = honest.find((h) => h.type === type)!.payload as Record<string, unknown>;
      for (const key of KEYS) {
        for (const v of edges) {
          const payload = { ...from, [key]: v };
          if (quickExactPayload(type, payload))
            expect({ type, key, v, exact: exactByZod(type, payload) }).toEqual({ type, key, v, exact: true });
        }
        const dropped = { ...from };
        delete dropped[key];
        if (quickExactPayload(type, dropped))
          expect({ type, key, exact: exactByZod(type, dropped) }).toEqual({ type, key, exact: true });
      }
    }
  });

  it('accepts the payloads an honest console writes, and the worker’s check gives zod’s answer for them', () => {
    for (const { type, payload } of honest) {
      if (type === 'incident.note_added' || type === 'incident.status_changed' || type === 'incident.created')
        expect({ type, quick: quickExactPayload(type, payload) }).toEqual({ type, quick: true });
      expect(payloadCheck({ type, payload })).toEqual({ issue: null, exact: exactByZod(type, payload) });
    }
  });

  it('leaves a bad payload to zod, which names the field', () => {
    const payload = { noteId: '019ab000-0000-7000-8000-000000000001', text: '  ' };
    expect(quickExactPayload('incident.note_added', payload)).toBe(false);
    expect(payloadCheck({ type: 'incident.note_added', payload })).toEqual({
      issue: 'payload.text: required',
      exact: false,
    });
  });
});
