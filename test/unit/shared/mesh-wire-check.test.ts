/**
 * The quick check of an `events` frame (round 12x) may only skip zod, never change an answer:
 * whatever it accepts, `MeshFrame`'s parse accepts and gives back member for member, in the same
 * order, with the payload handed through (so the frame worker may take JSON.parse's value as the
 * schema's output); whatever zod refuses or changes, it leaves to zod. And it does accept the
 * frames an honest sender writes, or it would save nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MeshFrame } from '../../../src-shared/mesh-wire.ts';
import { quickEventsFrame } from '../../../src-shared/mesh-wire-check.ts';
import { sameJson } from '../../../src-shared/same-json.ts';
import { decodeFrameBody, encodeEventsFrame } from '../../../src-main/core/mesh/frame-codec.ts';
import { toFeed } from '../../../src-main/core/mesh/peer-session.ts';
import type { StoredEvent } from '../../../src-shared/events.ts';
import { offlineBacklog } from '../../bench/sync/offline-events.ts';

const honest = offlineBacklog({
  count: 60,
  deviceId: 'quick-sender',
  facility: 'Märsta',
  unit: 'Avdelning B',
  actor: 'A-quick',
  startMs: 1_790_000_000_000,
  signed: true,
  escalations: true,
}).events.map((e, i) =>
  toFeed({ seq: i + 1, ...e, prevHash: '', hash: '', syncedAt: null, serverSeq: null } as StoredEvent),
);

const sig = 'x'.repeat(86);
const authorHash = 'y'.repeat(43);
/** Values near each member's edges, and of other kinds. */
const EDGE_VALUES: unknown[] = [
  '',
  'a',
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(120),
  'x'.repeat(121),
  'x'.repeat(200),
  'x'.repeat(201),
  sig,
  sig.slice(1),
  `${sig.slice(1)}+`,
  authorHash,
  `${authorHash}=`,
  '019ab000-0000-7000-8000-000000000001',
  '019AB000-0000-7000-8000-000000000001',
  '019ab000-0000-9000-8000-000000000001',
  '00000000-0000-0000-0000-000000000000',
  'incident.created',
  'incident.note_added',
  'toString',
  '__proto__',
  'ö',
  '\ud800',
  0,
  -0,
  1,
  -1,
  1.5,
  2 ** 53 - 1,
  2 ** 53,
  Number.MAX_VALUE,
  null,
  true,
  undefined,
  [],
  {},
  [1],
  { a: 1 },
  'events',
  'ack',
];
const edges = fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.string({ maxLength: 6 }), fc.integer());

const MEMBERS = [
  't',
  'events',
  'last',
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
  'seq',
  'serverSeq',
  'extra',
];

type Mutation =
  | { kind: 'set'; at: number; key: string; value: unknown }
  | { kind: 'drop'; at: number; key: string }
  | { kind: 'swap'; at: number; i: number; j: number }
  | { kind: 'frame'; key: string; value: unknown }
  | { kind: 'proto'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(9), key: fc.constantFrom(...MEMBERS), value: edges }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(9), key: fc.constantFrom(...MEMBERS) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(9), i: fc.nat(13), j: fc.nat(13) }),
  fc.record({
    kind: fc.constant('frame' as const),
    key: fc.constantFrom('t', 'events', 'last', 'extra'),
    value: edges,
  }),
  fc.record({ kind: fc.constant('proto' as const), at: fc.nat(9) }),
);

/** A frame of honest events (from `start`, `count` of them) as JSON.parse gives it, then mutated. */
function frameOf(start: number, count: number, mutations: Mutation[]): unknown {
  const json = JSON.parse(
    encodeEventsFrame(
      honest.slice(start, start + count).map((e) => JSON.stringify(e)),
      start + count,
    )
      .subarray(4)
      .toString('utf8'),
  ) as { events: Record<string, unknown>[] } & Record<string, unknown>;
  for (const m of mutations) {
    if (m.kind === 'frame') {
      (json as Record<string, unknown>)[m.key] = m.value;
      continue;
    }
    const events = json.events;
    if (!Array.isArray(events) || events.length === 0) continue;
    const at = m.at % events.length;
    const event = events[at]!;
    if (typeof event !== 'object' || event === null) continue;
    if (m.kind === 'set') event[m.key] = m.value;
    else if (m.kind === 'drop') delete event[m.key];
    else if (m.kind === 'proto') events[at] = Object.assign(Object.create({ inherited: 1 }), event);
    else {
      const entries = Object.entries(event);
      if (entries.length < 2) continue;
      const i = m.i % Math.max(entries.length, 1);
      const j = m.j % Math.max(entries.length, 1);
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
      events[at] = Object.fromEntries(entries);
    }
  }
  return json;
}

describe('the quick check of an events frame', () => {
  it('accepts only what MeshFrame accepts, and only where its output is the value itself', () => {
    let quick = 0;
    let zodOnly = 0;
    fc.assert(
      fc.property(
        fc.nat(50),
        fc.integer({ min: 0, max: 8 }),
        fc.array(mutation, { maxLength: 3 }),
        (start, count, mutations) => {
          const json = frameOf(start, count, mutations);
          const parsed = MeshFrame.safeParse(json);
          if (quickEventsFrame(json)) {
            quick += 1;
            expect(parsed.success).toBe(true);
            // The same members in the same order, every value the same (payloads by reference too).
            expect(sameJson(parsed.data, json)).toBe(true);
            const events = (parsed.data as { events: { payload: unknown }[] }).events;
            events.forEach((e, i) =>
              expect(e.payload).toBe((json as { events: { payload: unknown }[] }).events[i]!.payload),
            );
          } else if (parsed.success && sameJson(parsed.data, json)) {
            zodOnly += 1;
          }
        },
      ),
      { numRuns: 3000 },
    );
    // Both sides of the check were met.
    expect(quick).toBeGreaterThan(100);
    expect(zodOnly).toBeGreaterThanOrEqual(0);
  });

  it('accepts no member set to an edge value, or left out, that zod refuses or changes', () => {
    const values: unknown[] = [...EDGE_VALUES, 'x'.repeat(199), 'x'.repeat(63), 'x'.repeat(119)];
    for (const key of MEMBERS) {
      for (const value of values) {
        for (const m of [
          { kind: 'set', at: 1, key, value },
          { kind: 'frame', key, value },
        ] as Mutation[]) {
          const json = frameOf(0, 3, [m]);
          const parsed = MeshFrame.safeParse(json);
          const exact = parsed.success && sameJson(parsed.data, json);
          // Quick only where zod accepts unchanged (it may leave some of those to zod: an extra member at the end).
          if (quickEventsFrame(json))
            expect({ key, value, kind: m.kind, exact }).toEqual({ key, value, kind: m.kind, exact: true });
        }
      }
      const json = frameOf(0, 3, [{ kind: 'drop', at: 1, key }]);
      const parsed = MeshFrame.safeParse(json);
      if (quickEventsFrame(json))
        expect({ key, exact: parsed.success && sameJson(parsed.data, json) }).toEqual({ key, exact: true });
    }
  });

  it('accepts the frames an honest sender writes', () => {
    for (let start = 0; start < honest.length; start += 20) expect(quickEventsFrame(frameOf(start, 20, []))).toBe(true);
  });

  it('leaves other frames and refusals to zod, with zod’s words', () => {
    for (const frame of [
      { t: 'ack', last: 3 },
      { t: 'ping' },
      null,
      [],
      'events',
      { t: 'events', events: [], last: -1 },
    ])
      expect(quickEventsFrame(frame)).toBe(false);
    const bad = frameOf(0, 3, [{ kind: 'set', at: 1, key: 'streamId', value: 'x'.repeat(201) }]);
    expect(quickEventsFrame(bad)).toBe(false);
    const body = Buffer.from(JSON.stringify(bad));
    expect(() => decodeFrameBody(body)).toThrow(/bad frame at events\.1\.streamId/);
  });

  it('has the frame decoder hand back JSON.parse’s value for a quick frame', () => {
    const body = encodeEventsFrame(
      honest.slice(0, 5).map((e) => JSON.stringify(e)),
      5,
    ).subarray(4);
    const { frame, json } = decodeFrameBody(body);
    expect(frame).toBe(json);
  });
});
