/**
 * The canonical JSON that signatures and hashes cover must not change by a single byte:
 * an event signed by one console has to verify on every other and at the tracker, and
 * stored chains must still verify. So `canonicalJson` is checked against the
 * `canonicalize` package it stands in for, on generated values of every kind, for the
 * same text or the same refusal.
 */
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src-shared/canonical-json.ts';
import { canonicalEnvelope, type SignableEnvelope } from '../../../src-shared/signed-envelope.ts';

type Outcome = { text: string | undefined } | { error: string };

function outcome(f: () => string | undefined): Outcome {
  try {
    return { text: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const same = (value: unknown): void => {
  expect(outcome(() => canonicalJson(value))).toEqual(outcome(() => canonicalize(value)));
};

/** Keys that trip a naive sorted copy: array-index-like, `__proto__`, lone surrogates, toJSON. */
const awkwardKey = fc.constantFrom(
  '0',
  '1',
  '10',
  '9',
  '01',
  '-1',
  '4294967295',
  '__proto__',
  'toJSON',
  '\ud800',
  'é',
  'a',
);
const awkwardValue = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e21, 5e-324, undefined, '\udc00x', 'ok'),
  fc.string({ unit: 'binary' }),
  fc.double(),
);

describe('canonical JSON', () => {
  it('gives the canonicalize package’s exact text for JSON data, events included', () => {
    fc.assert(fc.property(fc.jsonValue(), same), { numRuns: 2_000 });
    fc.assert(
      fc.property(
        fc.record({
          id: fc.uuid(),
          streamId: fc.uuid(),
          type: fc.constant('incident.created'),
          payload: fc.dictionary(fc.string(), fc.jsonValue()),
          actor: fc.string(),
          deviceId: fc.string(),
          deviceTime: fc.nat(),
          hlc: fc.string(),
          deviceSeq: fc.option(fc.nat(), { nil: undefined }),
          prev: fc.option(fc.string(), { nil: undefined }),
        }),
        same,
      ),
      { numRuns: 1_000 },
    );
  });

  it('gives the same text, or the same refusal, for awkward keys, numbers, strings and non-plain values', () => {
    fc.assert(
      fc.property(
        fc.anything({
          key: fc.oneof(fc.string(), awkwardKey),
          values: [awkwardValue],
          withBoxedValues: true,
          withNullPrototype: true,
          withSparseArray: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withObjectString: true,
        }),
        same,
      ),
      { numRuns: 3_000 },
    );
  });

  it('refuses cycles as the package does, and keeps toJSON and deep nesting exact', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    same(cycle);
    same({ when: new Date(0), list: [{ toJSON: () => 'x' }], b: { toJSON: 'not a function' } });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 1_000; i++) deep = { [`k${i % 3}`]: [deep] };
    same(deep);
    same(Object.assign(Object.create(null) as object, { b: 1, a: 2 }));
  });
});

describe('canonical envelope', () => {
  /** The envelope's signed members, as canonicalEnvelope covers them, through the package. */
  const viaPackage = (e: Record<string, unknown>) =>
    outcome(() => {
      const text = canonicalize({
        id: e.id,
        streamId: e.streamId,
        type: e.type,
        payload: e.payload,
        actor: e.actor,
        deviceId: e.deviceId,
        deviceTime: e.deviceTime,
        hlc: e.hlc,
        deviceSeq: e.deviceSeq,
        prev: e.prev,
      });
      if (text === undefined) throw new TypeError(`event ${String(e.id)} cannot be serialised`);
      return text;
    });
  const sameEnvelope = (e: Record<string, unknown>) => {
    const ours = outcome(() => canonicalEnvelope(e as unknown as SignableEnvelope));
    const theirs = viaPackage(e);
    // The same text; where the package refuses, canonicalEnvelope refuses too (its message may name the event).
    if ('text' in theirs) expect(ours).toEqual(theirs);
    else expect(ours).toHaveProperty('error');
  };
  /** Members that are sometimes not what the envelope's type says: the member-by-member text must step aside. */
  const member = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom('\ud800', 'a\udc00', 'ok', '"quoted"\n', 'é', '') },
    { weight: 1, arbitrary: awkwardValue },
    { weight: 1, arbitrary: fc.constantFrom(null, 0, -0, 1e21, true, [], {}) },
  );
  const number = fc.oneof(
    { weight: 4, arbitrary: fc.nat() },
    { weight: 1, arbitrary: awkwardValue },
    { weight: 1, arbitrary: fc.constantFrom('12', null) },
  );

  it('gives the package’s exact text for generated envelopes, members of any kind included', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            id: fc.oneof(fc.uuid(), member),
            streamId: member,
            type: fc.oneof(fc.constant('incident.created'), member),
            payload: fc.oneof(
              { weight: 4, arbitrary: fc.dictionary(fc.string(), fc.jsonValue()) },
              { weight: 1, arbitrary: fc.anything({ values: [awkwardValue], withBoxedValues: true }) },
            ),
            actor: member,
            deviceId: member,
            deviceTime: number,
            hlc: member,
            deviceSeq: number,
            prev: member,
            sig: fc.string(),
          },
          { requiredKeys: ['id', 'streamId', 'type', 'actor', 'deviceId', 'deviceTime', 'hlc'] },
        ),
        sameEnvelope,
      ),
      { numRuns: 5_000 },
    );
  });

  it('leaves out an absent deviceSeq and prev, as JCS drops absent members', () => {
    const e = {
      id: 'e',
      streamId: 's',
      type: 'incident.created',
      payload: { b: 1, a: [2, { d: 'x', c: null }] },
      actor: 'x',
      deviceId: 'd',
      deviceTime: 5,
      hlc: 'h',
    };
    expect(canonicalEnvelope(e)).toBe(
      '{"actor":"x","deviceId":"d","deviceTime":5,"hlc":"h","id":"e","payload":{"a":[2,{"c":null,"d":"x"}],"b":1},"streamId":"s","type":"incident.created"}',
    );
    expect(canonicalEnvelope({ ...e, deviceSeq: 3, prev: 'p' })).toBe(canonicalize({ ...e, deviceSeq: 3, prev: 'p' }));
  });
});
