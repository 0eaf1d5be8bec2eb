import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { METHOD_NAMES } from '../../../src-shared/api.ts';
import { parseEventPayload, EVENT_TYPES, type EventType } from '../../../src-shared/events.ts';
import { cleanupTestConsoles, openTestConsole } from '../../support/consoles.ts';
import { signIn } from '../../support/staff.ts';

// Methods that would reach outside the process (enrolment contacts a tracker URL taken from
// the input) are fuzzed elsewhere against a loopback tracker; everything else gets arbitrary JSON.
const EXCLUDED = new Set(['sync.enroll']);
const KEYS = [
  'id',
  'patch',
  'to',
  'text',
  'query',
  'status',
  'category',
  'severity',
  'limit',
  'offset',
  'staffNumber',
  'pin',
  'name',
  'role',
  'units',
  'eventId',
  'lineId',
  'problem',
  'fault',
  'outageId',
  'facility',
  'unit',
  'title',
  'occurredAt',
  'reportedBy',
  'description',
  'peopleInvolved',
  'location',
  'escalationId',
  'from',
  'until',
  'kind',
  'filters',
  'note',
];
const UUID = '019ab000-0000-7000-8000-000000000001';
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(UUID, 'open', 'resolved', 'threat', 'critical', '', ' ', '\u0000', 'ö'.repeat(300), -1, 1e300, null),
);
const input = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }));

const consoles: ReturnType<typeof openTestConsole>[] = [];
afterAll(async () => {
  for (const c of consoles) await c.close();
  cleanupTestConsoles();
});

describe('console API fuzzing', () => {
  it(
    'answers every method with arbitrary JSON by a value or a typed error — never a crash, never an internal error, never stored garbage',
    { timeout: 240_000 },
    async () => {
      const c = openTestConsole({ escalationPolicies: [] });
      consoles.push(c);
      await signIn(c.core.dispatch);
      await c.call('incidents.create', {
        id: UUID,
        facility: 'Märsta',
        unit: 'Avdelning B',
        category: 'technical',
        severity: 'low',
        title: 'Mål för fuzz',
        occurredAt: '2026-11-25T21:14:00+01:00',
        reportedBy: 'fuzz',
      });
      const methods = METHOD_NAMES.filter((m) => !EXCLUDED.has(m));
      const outcomes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...methods), input, async (method, payload) => {
          const result = await c.core.dispatch(method, payload, { origin: 'test' });
          outcomes.set(method, (outcomes.get(method) ?? 0) + (result.ok ? 1 : 0));
          if (!result.ok) expect(result.error.code, `${method}: ${result.error.message}`).not.toBe('internal');
          // Fuzzed sign-out/lock must not starve the rest of the run.
          const session = await c.core.dispatch('auth.session', {}, { origin: 'test' });
          if (session.ok && !(session.value as { session: unknown }).session) await signIn(c.core.dispatch);
        }),
        { numRuns: Number(process.env.GUARDLINE_FUZZ_RUNS ?? 1500), seed: 20261125 },
      );

      // The fuzzer must get past validation often enough to exercise handlers, not just schemas.
      const reachedHandlers = [...outcomes.values()].filter((ok) => ok > 0).length;
      console.log(`fuzz: methods answered ok at least once: ${reachedHandlers}/${methods.length}`);
      expect(reachedHandlers).toBeGreaterThan(methods.length / 4);
      expect(c.core.store.verifyChain().ok).toBe(true);
      const rows = c.core.store.db.prepare('SELECT id, type, payload FROM events').all() as {
        id: string;
        type: string;
        payload: string;
      }[];
      const garbage = rows.filter(
        (r) =>
          !EVENT_TYPES.includes(r.type as EventType) ||
          !parseEventPayload(r.type as EventType, JSON.parse(r.payload)).success,
      );
      expect(garbage).toEqual([]);
      const raw = new Database(c.file, { readonly: true });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
    },
  );
});
