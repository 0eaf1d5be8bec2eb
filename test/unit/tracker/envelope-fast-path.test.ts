import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, EventEnvelope } from '../../../src-shared/events.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { fastEnvelope } from '../../../src-tracker/events/envelope-fast-path.ts';

const SIG = 'A'.repeat(43) + '_-'.repeat(21) + 'z';
const PREV = 'b'.repeat(22) + '_-'.repeat(10) + 'Z';

function valid(): Record<string, unknown> {
  return {
    id: '0192a0c0-0000-7000-8000-000000000001',
    streamId: '0192a0c0-0000-7000-9000-000000000001',
    type: 'incident.note_added',
    payload: { noteId: '0192a0c0-0000-7000-a000-000000000001', text: 'Samtal noterat.' },
    actor: 'V1234',
    deviceId: 'ws-1',
    deviceTime: 1_764_100_000_000,
    hlc: encodeHlc({ wallMs: 1_764_100_000_000, counter: 0, node: 'ws-1' }),
    deviceSeq: 12,
    sig: SIG,
    prev: PREV,
  };
}

/** Values around each field's rules: valid ones, boundaries, wrong types, oddities zod may still accept. */
const anyText = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.constantFrom(
    '',
    'x'.repeat(64),
    'x'.repeat(65),
    'x'.repeat(120),
    'x'.repeat(121),
    'x'.repeat(200),
    'x'.repeat(201),
  ),
  fc.constantFrom('😀'.repeat(60), '😀'.repeat(100), 'å'.repeat(120)),
);
const anyValue = fc.oneof(
  anyText,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, undefined, true, 0, -0, -1, 1, 2 ** 53, 2 ** 53 - 1, NaN, Infinity, 1.5, [], {}),
);
// sig and prev: base64url-only strings around the length too, since fast-check's own strings
// from the wider class almost always hold a + / or = and would never probe the length rule.
const fieldValues: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.oneof(
    fc.uuid(),
    fc.uuid().map((u) => u.toUpperCase()),
    fc.constantFrom(
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '0192a0c0-0000-0000-8000-000000000001',
      '0192a0c0-0000-7000-c000-000000000001',
      'nope',
    ),
    anyValue,
  ),
  streamId: fc.oneof(fc.uuid(), anyValue),
  type: fc.oneof(fc.constantFrom(...EVENT_TYPES, 'toString', '__proto__', 'incident.nope'), anyValue),
  payload: anyValue,
  actor: anyValue,
  deviceId: anyValue,
  deviceTime: anyValue,
  hlc: anyValue,
  deviceSeq: anyValue,
  sig: fc.oneof(
    fc.constant(SIG),
    fc.stringMatching(/^[A-Za-z0-9_-]{85,87}$/),
    fc.stringMatching(/^[A-Za-z0-9_+/=-]{85,87}$/),
    anyValue,
  ),
  prev: fc.oneof(
    fc.constant(PREV),
    fc.stringMatching(/^[A-Za-z0-9_-]{42,44}$/),
    fc.stringMatching(/^[A-Za-z0-9_+/=-]{42,44}$/),
    anyValue,
  ),
};

describe('envelope fast path', () => {
  it('takes the signed and pre-signature envelopes consoles push, with zod’s exact output', () => {
    const signed = valid();
    const { deviceSeq: _seq, sig: _sig, prev: _prev, ...unsigned } = valid();
    for (const raw of [signed, unsigned, { ...signed, extra: 'dropped' }]) {
      const fast = fastEnvelope(raw);
      expect(fast).not.toBeNull();
      expect(fast).toStrictEqual(EventEnvelope.parse(raw));
    }
  });

  it('answers only where the schema accepts, and then exactly as the schema parses', () => {
    // One field changed (or removed) at a time: the fast path checks fields independently.
    const oneChange = fc
      .constantFrom(...Object.keys(fieldValues))
      .chain((key) => fc.tuple(fc.constant(key), fc.option(fieldValues[key]!, { nil: undefined }), fc.boolean()));
    let answered = 0;
    fc.assert(
      fc.property(oneChange, ([key, value, remove]) => {
        const raw: Record<string, unknown> = valid();
        if (remove) delete raw[key];
        else raw[key] = value;
        const fast = fastEnvelope(raw);
        const slow = EventEnvelope.safeParse(raw);
        if (fast !== null) {
          answered += 1;
          expect(slow.success).toBe(true);
          expect(fast).toStrictEqual(slow.data);
        }
      }),
      { numRuns: 5_000 },
    );
    // Not vacuous: a good share of the generated envelopes did take the fast path.
    expect(answered).toBeGreaterThan(100);
  });

  it('keeps a field the schema has and the fast path does not check exactly as the schema parses it', () => {
    // A field added to EventEnvelope later must never be stripped or let through unchecked.
    const values = ['x', 'A'.repeat(43), 'A'.repeat(86), 7, null, undefined];
    for (const key of Object.keys(EventEnvelope.shape).filter((k) => !(k in valid()))) {
      for (const value of values) {
        const raw = { ...valid(), [key]: value };
        const fast = fastEnvelope(raw);
        const slow = EventEnvelope.safeParse(raw);
        if (fast === null) continue;
        expect(slow.success, `${key}: ${String(value)}`).toBe(true);
        expect(fast).toStrictEqual(slow.data);
      }
    }
    expect(Object.keys(fastEnvelope(valid())!).every((k) => k in EventEnvelope.shape)).toBe(true);
  });

  it('leaves anything that is not a plain object to the schema', () => {
    expect(fastEnvelope(null)).toBeNull();
    expect(fastEnvelope([valid()])).toBeNull();
    expect(fastEnvelope(Object.assign(Object.create({ sig: SIG }), valid()))).toBeNull();
    expect(fastEnvelope({ ...valid(), sig: undefined })).toBeNull();
  });
});
