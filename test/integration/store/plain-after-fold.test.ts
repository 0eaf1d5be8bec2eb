/**
 * Round 12w: the incident projection keeps a folded incident only when it reads back from its
 * JSON text as it is (isPlainJson). After an extension it checks the incident's members and only
 * the notes and conflicts the fold added (plainAfterFold), not every earlier note again. Both
 * must decide alike for any fold onto a plain incident, whatever non-plain value lands where.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPlainJson } from '../../../src-main/core/store/event-store.ts';
import { plainAfterFold } from '../../../src-main/core/incidents/projection.ts';
import { continueIncident, foldIncident } from '../../../src-shared/incident-fold.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { corridorThreat } from '../../support/incidents.ts';

const STREAM = '0192a0c0-0000-7000-8000-00000000a001';
let n = 0;
const ev = (type: EventEnvelope['type'], wallMs: number, payload: unknown): EventEnvelope => ({
  id: `0192a0c0-0000-7000-8000-${String(++n).padStart(12, '0')}`,
  streamId: STREAM,
  type,
  payload,
  actor: 'guard-1',
  deviceId: 'dev-a',
  deviceTime: wallMs,
  hlc: encodeHlc({ wallMs, counter: 0, node: 'dev-a' }),
});
const created = () => ev('incident.created', 100, corridorThreat());
const note = (wallMs: number, text: string) =>
  ev('incident.note_added', wallMs, {
    noteId: `0192a0c0-0000-7000-8000-0000000d${String(wallMs).padStart(4, '0')}`,
    text,
  });

/** Values isPlainJson refuses, and some it takes. */
const NOT_PLAIN: unknown[] = [
  undefined,
  -0,
  Number.NaN,
  Infinity,
  new Date(0),
  () => 1,
  new Array<unknown>(2),
  new (class X {})(),
];
const PLAIN: unknown[] = [null, 0, 'x', true, [], {}, Object.create(null) as unknown];

describe('plainAfterFold', () => {
  it('decides as isPlainJson does for any fold onto a plain incident (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.constantFrom('note', 'status', 'retitle', 'recreate'), { maxLength: 5 }),
        fc.boolean(),
        fc.option(
          fc.record({
            where: fc.constantFrom(
              'top',
              'new note',
              'new note member',
              'old note in a new list',
              'new conflict',
              'people',
            ),
            value: fc.constantFrom(...NOT_PLAIN, ...PLAIN),
          }),
        ),
        (earlierNotes, steps, fromRow, injected) => {
          let wallMs = 200;
          const base = foldIncident([
            created(),
            ...Array.from({ length: earlierNotes }, () => note((wallMs += 10), 'n')),
          ])!;
          // What an extension starts from: the kept object, or its row's text parsed.
          const target: Incident = fromRow ? (JSON.parse(JSON.stringify(base)) as Incident) : base;
          expect(isPlainJson(target)).toBe(true);
          const start = {
            notes: target.notes,
            notesFrom: target.notes.length,
            conflicts: target.conflicts,
            conflictsFrom: target.conflicts.length,
          };
          const fresh = steps.map((step) => {
            wallMs += 10;
            if (step === 'note') return note(wallMs, 'ny anteckning');
            if (step === 'status') return ev('incident.status_changed', wallMs, { from: 'open', to: 'acknowledged' });
            if (step === 'retitle') return ev('incident.updated', wallMs, { patch: { title: 'ny titel' } });
            return { ...created(), hlc: encodeHlc({ wallMs, counter: 0, node: 'dev-a' }) };
          });
          const folded = continueIncident(target, fresh) as unknown as Record<string, unknown> & Incident;
          if (injected) {
            const { where, value } = injected;
            if (where === 'top') folded.extra = value;
            else if (where === 'new note') (folded.notes as unknown[]).push(value);
            else if (where === 'new note member') (folded.notes as unknown[]).push({ id: 'x', text: value });
            else if (where === 'old note in a new list') folded.notes = [value, ...folded.notes] as Incident['notes'];
            else if (where === 'new conflict') (folded.conflicts as unknown[]).push(value);
            else folded.peopleInvolved = [value] as string[];
          }
          expect(plainAfterFold(folded, start)).toBe(isPlainJson(folded));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses what isPlainJson refuses among the notes a fold added', () => {
    const base = foldIncident([created(), note(200, 'första')])!;
    const start = { notes: base.notes, notesFrom: base.notes.length, conflicts: base.conflicts, conflictsFrom: 0 };
    const folded = continueIncident(base, [note(300, 'andra')]);
    expect(plainAfterFold(folded, start)).toBe(true);
    (folded.notes as unknown[]).push({ id: 'x', text: undefined });
    expect(plainAfterFold(folded, start)).toBe(false);
    expect(isPlainJson(folded)).toBe(false);
  });
});
