/**
 * Model test of the escalation state machine: random policies and random sequences of
 * time passing, acknowledgements (supervisors and a guard, repeats included) and
 * incident resolutions, driven through the pure model the way the runner drives it
 * (each step recorded at its exact deadline), against a small reference model.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  continueEscalation,
  decideAcknowledge,
  escalationStatus,
  foldEscalation,
  nextAction,
  stepCount,
  toView,
} from '../../../src-main/core/escalation/model.ts';
import { eventLog, levels as makeLevels } from './fixtures.ts';

const STAFF = { S1: 'supervisor', S2: 'supervisor', A1: 'admin', G1: 'guard' } as const;
type Who = keyof typeof STAFF;

type Op = { kind: 'advance'; ms: number } | { kind: 'ack'; who: Who } | { kind: 'resolveIncident' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 150_000 }).map((ms) => ({ kind: 'advance' as const, ms })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Who>('S1', 'S2', 'A1', 'G1').map((who) => ({ kind: 'ack' as const, who })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'resolveIncident' as const }) },
);

const policyArb = fc.record({
  timeouts: fc.array(fc.integer({ min: 1000, max: 120_000 }), { minLength: 1, maxLength: 4 }),
  repeat: fc.integer({ min: 1, max: 3 }),
  requiredAcks: fc.constantFrom<1 | 2>(1, 2),
});

/** What the escalation should be, written as plainly as possible. */
function reference(timeouts: number[], repeat: number, requiredAcks: number) {
  const total = timeouts.length * repeat;
  const ref = {
    step: 0,
    notifiedAt: 0,
    notifications: 1,
    exhausted: false,
    acks: [] as string[],
    resolved: null as null | 'acknowledged' | 'incident_resolved',
  };
  return {
    ref,
    advanceTo(t: number) {
      while (!ref.resolved && !ref.exhausted) {
        const deadline = ref.notifiedAt + timeouts[ref.step % timeouts.length]!;
        if (deadline > t) return;
        if (ref.step + 1 < total) {
          ref.step += 1;
          ref.notifiedAt = deadline;
          ref.notifications += 1;
        } else ref.exhausted = true;
      }
    },
    ack(who: Who): boolean {
      if (ref.resolved || STAFF[who] === 'guard' || ref.acks.includes(who)) return false;
      ref.acks.push(who);
      if (ref.acks.length >= requiredAcks) ref.resolved = 'acknowledged';
      return true;
    },
    resolveIncident() {
      ref.resolved ??= 'incident_resolved';
    },
  };
}

describe('escalation state machine (model-based)', () => {
  it('agrees with the reference model and keeps its invariants', () => {
    fc.assert(
      fc.property(policyArb, fc.array(opArb, { maxLength: 40 }), ({ timeouts, repeat, requiredAcks }, ops) => {
        const log = eventLog();
        let now = 0;
        log.started(now, { levels: makeLevels(...timeouts), repeat, requiredAcks });
        const state = () => foldEscalation(log.events)!;

        /** What the runner does: record every step due by `until`, each at its own deadline. */
        const runUntil = (until: number) => {
          for (let guard = 0; guard < 100; guard++) {
            const action = nextAction(state());
            if (action.kind === 'none' || action.dueAt > until) return;
            const at = Math.max(action.dueAt, 0);
            if (action.kind === 'notify') log.notified(at, action.level, action.round);
            else if (action.kind === 'time_out') log.timedOut(at, action.level, action.round);
            else log.resolved(at, action.reason);
          }
          throw new Error('runner did not settle');
        };

        const model = reference(timeouts, repeat, requiredAcks);
        runUntil(now);
        let resolvedView: unknown = null;
        for (const op of ops) {
          if (op.kind === 'advance') {
            now += op.ms;
            runUntil(now);
            model.advanceTo(now);
          } else if (op.kind === 'ack') {
            const decision = decideAcknowledge(state(), op.who, STAFF[op.who]);
            expect(decision.ok).toBe(model.ack(op.who));
            if (decision.ok) {
              log.acked(now, op.who, STAFF[op.who]);
              if (decision.resolves) log.resolved(now, 'acknowledged');
            }
          } else {
            if (!state().resolved) log.resolved(now, 'incident_resolved');
            model.resolveIncident();
          }

          const s = state();
          const view = toView(s);
          const notifications = log.events.filter((e) => e.type === 'escalation.notified').length;
          // Never more notifications than levels × repeat, and exactly as many as the reference.
          expect(notifications).toBeLessThanOrEqual(stepCount(s));
          expect(notifications).toBe(model.ref.notifications);
          expect(view.acknowledgedBy).toEqual(model.ref.acks);
          // Never acknowledged without enough distinct supervisor acknowledgements.
          if (view.resolvedReason === 'acknowledged') {
            const supervisors = new Set(s.acks.filter((a) => a.role !== 'guard').map((a) => a.by));
            expect(supervisors.size).toBeGreaterThanOrEqual(requiredAcks);
          }
          expect(view.resolvedReason).toBe(model.ref.resolved);
          const expectedStatus = model.ref.resolved ? 'resolved' : model.ref.exhausted ? 'exhausted' : 'active';
          expect(escalationStatus(s)).toBe(expectedStatus);
          if (!model.ref.resolved) {
            const step = model.ref.step;
            expect([view.level, view.round]).toEqual([
              (step % timeouts.length) + 1,
              Math.floor(step / timeouts.length) + 1,
            ]);
          }
          // The projector's extension: the fold of any prefix continued with the rest is the full fold,
          // and leaves the prefix's fold as it was (the runner may be driving from it).
          const k = 1 + (log.events.length > 1 ? (ops.length * 7 + now) % (log.events.length - 1) : 0);
          const prefix = foldEscalation(log.events.slice(0, k))!;
          const prefixView = toView(prefix);
          expect(continueEscalation(prefix, log.events.slice(k))).toEqual(s);
          expect(toView(prefix)).toEqual(prefixView);
          // Resolved is terminal: once resolved, the view never changes again.
          if (resolvedView !== null) expect(view).toEqual(resolvedView);
          else if (view.status === 'resolved') resolvedView = view;
        }
      }),
      { numRuns: 300 },
    );
  });
});
