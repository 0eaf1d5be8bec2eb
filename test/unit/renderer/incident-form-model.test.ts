// Local times are checked in Stockholm, which has both CET (+01:00) and CEST (+02:00).
process.env.TZ = 'Europe/Stockholm';

import { describe, expect, it } from 'vitest';
import { IncidentCreateInput } from '../../../src-shared/api.ts';
import { fromZodError } from '../../../src-shared/errors.ts';
import {
  formatOffset,
  isoToLocalInput,
  localInputToIso,
  toLocalInput,
} from '../../../src-renderer/features/incidents/model/occurred-at.ts';
import { formatPeople, parsePeople } from '../../../src-renderer/features/incidents/model/people.ts';
import { firstInvalidField, toFieldErrors } from '../../../src-renderer/features/incidents/model/field-errors.ts';
import {
  DRAFT_FIELDS,
  draftToInput,
  isDirty,
  type IncidentDraft,
} from '../../../src-renderer/features/incidents/model/draft.ts';

describe('occurred-at conversion', () => {
  it('adds the winter offset to a local time in January', () => {
    expect(localInputToIso('2026-01-15T21:14')).toBe('2026-01-15T21:14:00+01:00');
  });

  it('adds the summer offset to a local time in July', () => {
    expect(localInputToIso('2026-07-15T08:05')).toBe('2026-07-15T08:05:00+02:00');
  });

  it('rejects dates that do not exist and the hour skipped at spring-forward', () => {
    expect(localInputToIso('2026-02-30T10:00')).toBeNull();
    expect(localInputToIso('2026-03-29T02:30')).toBeNull();
    expect(localInputToIso('not a date')).toBeNull();
    expect(localInputToIso('')).toBeNull();
  });

  it('produces what the contract accepts as an ISO date-time with offset', () => {
    const iso = localInputToIso('2026-11-25T21:14');
    expect(iso).not.toBeNull();
    expect(Date.parse(iso!)).toBe(Date.UTC(2026, 10, 25, 20, 14));
  });

  it('round-trips ISO from another zone into local wall-clock text', () => {
    expect(isoToLocalInput('2026-11-25T20:14:00Z')).toBe('2026-11-25T21:14');
    expect(isoToLocalInput('2026-11-25T15:14:00-05:00')).toBe('2026-11-25T21:14');
    expect(isoToLocalInput('garbage')).toBeNull();
    expect(localInputToIso(toLocalInput(new Date(Date.UTC(2026, 5, 1, 12, 0))))).toBe('2026-06-01T14:00:00+02:00');
  });

  it('formats offsets west and east of UTC, including half hours', () => {
    expect(formatOffset(-60)).toBe('+01:00');
    expect(formatOffset(300)).toBe('-05:00');
    expect(formatOffset(-330)).toBe('+05:30');
    expect(formatOffset(0)).toBe('+00:00');
  });
});

describe('people involved', () => {
  it('splits on lines and commas, trimming blanks', () => {
    expect(parsePeople('Anna Berg, Olle  Ek\n\n  Sara Lind ,')).toEqual(['Anna Berg', 'Olle Ek', 'Sara Lind']);
  });

  it('gives an empty list for empty text', () => {
    expect(parsePeople('  \n , ')).toEqual([]);
  });

  it('formats one name per line so editing round-trips', () => {
    expect(parsePeople(formatPeople(['A', 'B C']))).toEqual(['A', 'B C']);
  });
});

const draft: IncidentDraft = {
  category: '',
  severity: '',
  title: '',
  description: '',
  people: '',
  location: '',
  occurredAt: '2026-11-25T21:14',
  unit: 'Avdelning B',
  reportedBy: '',
};

describe('field errors from the API', () => {
  const apiErrorFor = (d: IncidentDraft) => {
    const parsed = IncidentCreateInput.safeParse(draftToInput(d, '0190f5a4-0000-7000-8000-000000000000', 'Anstalt X'));
    if (parsed.success) throw new Error('expected the draft to be invalid');
    return fromZodError(parsed.error);
  };

  it('names every missing field of an empty form with a choose/required message', () => {
    expect(toFieldErrors(apiErrorFor(draft))).toEqual({
      category: 'choose',
      severity: 'choose',
      title: 'required',
      reportedBy: 'required',
    });
  });

  it('reports too long text and a bad date on their own fields', () => {
    const errors = toFieldErrors(
      apiErrorFor({
        ...draft,
        category: 'fire',
        severity: 'low',
        title: 'x'.repeat(201),
        reportedBy: 'A',
        occurredAt: 'nu',
      }),
    );
    expect(errors).toEqual({ title: 'tooLong', occurredAt: 'invalidDate' });
  });

  it('folds dotted paths onto their top-level field', () => {
    const errors = toFieldErrors({
      code: 'invalid_input',
      message: 'x',
      issues: [{ field: 'peopleInvolved.3', message: 'at most 120 characters', code: 'too_big' }],
    });
    expect(errors).toEqual({ peopleInvolved: 'tooLong' });
  });

  it('gives no field errors for errors that are not about input', () => {
    expect(toFieldErrors({ code: 'disconnected', message: 'x' })).toEqual({});
  });

  it('focuses the first invalid field in form order', () => {
    expect(firstInvalidField(DRAFT_FIELDS, { reportedBy: 'required', title: 'required' })).toBe('title');
    expect(firstInvalidField(DRAFT_FIELDS, {})).toBeNull();
  });
});

describe('draft to API input', () => {
  it('produces a valid create input from a filled form', () => {
    const input = draftToInput(
      {
        ...draft,
        category: 'threat',
        severity: 'high',
        title: 'Hot mot personal',
        people: 'A, B',
        reportedBy: 'K. Ek',
      },
      '0190f5a4-0000-7000-8000-000000000000',
      'Anstalt X',
    );
    const parsed = IncidentCreateInput.safeParse(input);
    expect(parsed.success).toBe(true);
    expect(input).toMatchObject({
      facility: 'Anstalt X',
      peopleInvolved: ['A', 'B'],
      occurredAt: '2026-11-25T21:14:00+01:00',
    });
  });

  it('notices any change as dirty', () => {
    expect(isDirty(draft, draft)).toBe(false);
    expect(isDirty({ ...draft, title: 'x' }, draft)).toBe(true);
  });
});
