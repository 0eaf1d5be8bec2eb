/**
 * The dispatch's quick check of `incidents.create` (round 16u) may only skip zod, never change an
 * answer: whatever it accepts, zod accepts with exactly the same value (trimmed, defaults, keys
 * in the same order); whatever zod refuses, it leaves to zod. And it does accept the ordinary
 * form input, or it would save nothing.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { z } from 'zod';
import { IncidentCreateInput } from '../../../src-shared/api.ts';
import { quickIncidentCreate } from '../../../src-shared/incident-create-check.ts';
import { INCIDENT_CATEGORIES, INCIDENT_SEVERITIES } from '../../../src-shared/incident.ts';
import { incidentInput } from '../../support/incidents.ts';

const edgeText = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', ' ', '  a  ', '\t\n', '\u00a0x\u00a0', '\ufeff', 'ö', '\u0000'),
  fc.integer({ min: 0, max: 5100 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 0, max: 300 }).map((n) => ' '.repeat(n % 3) + 'y'.repeat(n) + ' '.repeat(n % 2)),
);
const anyValue = fc.oneof(
  edgeText,
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(undefined),
  fc.constantFrom(...INCIDENT_CATEGORIES, ...INCIDENT_SEVERITIES, 'Threat', 'HIGH'),
);
const dates = fc.oneof(
  fc.constantFrom(
    '2026-11-25T21:14:00+01:00',
    '2026-11-25T21:14:00Z',
    '2026-11-25T21:14:00.123+01:00',
    '2026-02-30T21:14:00Z',
    '2026-11-25 21:14',
    '2026-11-25T21:14:00',
    ' 2026-11-25T21:14:00Z',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 30 }),
);
const ids = fc.oneof(
  fc.uuid(),
  fc.constantFrom('019ab000-0000-7000-8000-000000000001', '019AB000-0000-7000-8000-000000000001', 'not-a-uuid', ''),
  fc.constant(undefined),
  fc.integer(),
);
const people = fc.oneof(
  fc.array(edgeText, { maxLength: 4 }),
  fc.integer({ min: 48, max: 52 }).map((n) => Array.from({ length: n }, (_, i) => `P ${i}`)),
  fc.constant(undefined),
  fc.constant([1]),
  fc.string(),
);

/** Fields drawn near the rules' edges, some left out, some of the wrong kind, sometimes a key the schema does not know. */
const createInput = fc
  .record(
    {
      facility: fc.oneof(edgeText, anyValue),
      unit: fc.oneof(edgeText, anyValue),
      category: fc.oneof(fc.constantFrom(...INCIDENT_CATEGORIES), anyValue),
      severity: fc.oneof(fc.constantFrom(...INCIDENT_SEVERITIES), anyValue),
      title: fc.oneof(edgeText, anyValue),
      description: fc.oneof(edgeText, anyValue),
      peopleInvolved: people,
      location: fc.oneof(edgeText, anyValue),
      occurredAt: dates,
      reportedBy: fc.oneof(edgeText, anyValue),
      id: ids,
      extra: anyValue,
    },
    { requiredKeys: [] },
  )
  .map((r) => r as Record<string, unknown>);

/** Mostly valid input (the form's), one field at a time pushed to an edge. */
const nearlyValid = fc
  .tuple(
    fc.constantFrom(
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
    ),
    fc.oneof(anyValue, dates, ids, people),
    fc.boolean(),
  )
  .map(([key, value, drop]) => {
    const input: Record<string, unknown> = { ...incidentInput() };
    if (drop) delete input[key];
    else input[key] = value;
    return input;
  });

function agreesWithZod(input: unknown): void {
  const quick = quickIncidentCreate(input);
  if (quick === null) return;
  const parsed = IncidentCreateInput.safeParse(input);
  expect(parsed.success).toBe(true);
  if (!parsed.success) return;
  expect(Object.keys(quick)).toEqual(Object.keys(parsed.data));
  expect(quick).toStrictEqual(parsed.data);
  expect(JSON.stringify(quick)).toBe(JSON.stringify(parsed.data));
}

describe('the quick check of an incident create', () => {
  it('accepts only what zod accepts, with exactly zod’s value', () => {
    fc.assert(
      fc.property(createInput, (input) => agreesWithZod(input)),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(nearlyValid, (input) => agreesWithZod(input)),
      { numRuns: 3000 },
    );
  });

  it('accepts the form’s ordinary input, with or without an id and the optional fields', () => {
    const full = incidentInput({ title: '  Hot vid matsalen  ', peopleInvolved: [' A. Andersson ', 'B'] });
    const { description: _d, peopleInvolved: _p, location: _l, ...bare } = incidentInput();
    for (const input of [
      full,
      { ...full, id: '019ab000-0000-7000-8000-000000000001' },
      { ...full, id: undefined },
      bare,
    ]) {
      expect(quickIncidentCreate(input)).not.toBeNull();
      agreesWithZod(input);
    }
  });

  it('leaves to zod what it cannot be sure of: unknown keys, other prototypes, non-objects', () => {
    expect(quickIncidentCreate({ ...incidentInput(), note: 'x' })).toBeNull();
    expect(quickIncidentCreate(Object.assign(Object.create({ inherited: 1 }), incidentInput()))).toBeNull();
    expect(quickIncidentCreate(null)).toBeNull();
    expect(quickIncidentCreate([incidentInput()])).toBeNull();
    expect(quickIncidentCreate(JSON.parse(`{"__proto__": {"x": 1}, "title": "t"}`))).toBeNull();
  });

  it('is pinned to the schema it mirrors: a change to IncidentCreateInput fails here until the quick check is reviewed', () => {
    // A rule added to the schema (a refine, a new limit, a new field) is not one the random
    // inputs above are sure to meet: review quickIncidentCreate against it, then update the hash.
    const schema = JSON.stringify(z.toJSONSchema(IncidentCreateInput, { io: 'input' }));
    expect(createHash('sha256').update(schema).digest('hex'), `review quickIncidentCreate for ${schema}`).toBe(
      '87f1339c2bc3e2a277954efa20f3b0e0cc310e660d74dc61597e5f29c91301bc',
    );
  });
});
