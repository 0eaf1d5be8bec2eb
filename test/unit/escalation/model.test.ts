import { afterEach, describe, expect, it, vi } from 'vitest';
import { EscalationStartedPayload, EscalationNotifiedPayload } from '../../../src-shared/escalation.ts';
import { parsedPayload, type EventPayload } from '../../../src-shared/events.ts';
import {
  decideAcknowledge,
  dueAction,
  escalationIdFor,
  escalationStatus,
  foldEscalation,
  nextAction,
  stepEventId,
  toView,
} from '../../../src-main/core/escalation/model.ts';
import { eventLog, INCIDENT_ID, levels } from './fixtures.ts';

const fold = (log: ReturnType<typeof eventLog>) => foldEscalation(log.events)!;

describe('escalation model', () => {
  afterEach(() => vi.restoreAllMocks());

  // Issue 12k: a received escalation's payload that the gate marked parsed (the frame worker's
  // zod parse gave it back unchanged) is folded without running zod again, as the incident fold
  // does; any other payload is parsed as before, so members off the schema never reach the state.
  it('takes a payload marked parsed for its own type without zod, and parses every other', () => {
    const log = eventLog();
    const started = log.started(0);
    const notified = log.notified(0, 1, 1, ['S1']);
    const startParse = vi.spyOn(EscalationStartedPayload, 'safeParse');
    const notifyParse = vi.spyOn(EscalationNotifiedPayload, 'safeParse');
    parsedPayload('escalation.started', started.payload as EventPayload<'escalation.started'>);
    // Marked as another type's: not taken.
    parsedPayload('escalation.started', notified.payload as EventPayload<'escalation.started'>);
    const state = fold(log);
    expect(startParse).not.toHaveBeenCalled();
    expect(notifyParse).toHaveBeenCalledTimes(1);
    expect(state.notified.get(0)).toMatchObject({ level: 1, round: 1, targets: ['S1'] });
    expect(state).toMatchObject({ policyId: 'threat', repeat: 2, requiredAcks: 1 });

    const unmarked = eventLog();
    const copy = unmarked.started(0);
    (copy.payload as Record<string, unknown>).secret = 'off the schema';
    expect(fold(unmarked)).not.toHaveProperty('secret');
    expect(startParse).toHaveBeenCalledTimes(1);
  });

  it('notifies level 1 as soon as it starts, then waits for that level’s timeout', () => {
    const log = eventLog();
    log.started(1000);
    expect(nextAction(fold(log))).toEqual({ kind: 'notify', level: 1, round: 1, dueAt: 1000 });
    log.notified(1000, 1, 1, ['S1']);
    expect(nextAction(fold(log))).toEqual({ kind: 'time_out', level: 1, round: 1, dueAt: 61_000 });
    expect(dueAction(fold(log), 60_999)).toBeNull();
    expect(dueAction(fold(log), 61_000)).toMatchObject({ kind: 'time_out', level: 1 });
  });

  it('moves to level 2 when level 1 times out, and round 2 after the last level', () => {
    const log = eventLog();
    log.started(0);
    log.notified(0, 1, 1);
    log.timedOut(60_000, 1, 1);
    expect(nextAction(fold(log))).toEqual({ kind: 'notify', level: 2, round: 1, dueAt: 60_000 });
    log.notified(60_000, 2, 1);
    log.timedOut(120_000, 2, 1);
    log.notified(120_000, 3, 1);
    expect(nextAction(fold(log))).toEqual({ kind: 'time_out', level: 3, round: 1, dueAt: 240_000 });
    log.timedOut(240_000, 3, 1);
    expect(nextAction(fold(log))).toEqual({ kind: 'notify', level: 1, round: 2, dueAt: 240_000 });
  });

  it('is exhausted after every level of every round timed out, and keeps alarming', () => {
    const log = eventLog();
    log.started(0, { levels: levels(1000), repeat: 2 });
    log.notified(0, 1, 1);
    log.timedOut(1000, 1, 1);
    log.notified(1000, 1, 2);
    log.timedOut(2000, 1, 2);
    const state = fold(log);
    expect(nextAction(state)).toEqual({ kind: 'none' });
    expect(escalationStatus(state)).toBe('exhausted');
    expect(toView(state)).toMatchObject({ status: 'exhausted', level: 1, round: 2, nextDueAt: null });
  });

  it('resolves on one supervisor’s acknowledgement, and stops timing out', () => {
    const log = eventLog();
    log.started(0);
    log.notified(0, 1, 1);
    log.acked(5000, 'S1');
    expect(nextAction(fold(log))).toEqual({ kind: 'resolve', reason: 'acknowledged', dueAt: 5000 });
    log.resolved(5000);
    expect(nextAction(fold(log))).toEqual({ kind: 'none' });
    expect(escalationStatus(fold(log))).toBe('resolved');
  });

  it('needs two different supervisors when two acknowledgements are required', () => {
    const log = eventLog();
    log.started(0, { requiredAcks: 2 });
    log.notified(0, 1, 1);
    log.acked(1000, 'S1');
    expect(nextAction(fold(log)).kind).toBe('time_out');
    expect(decideAcknowledge(fold(log), 'S1', 'supervisor')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    log.acked(2000, 'S1'); // the same supervisor again (say from another console) counts once
    expect(fold(log).acks.map((a) => a.by)).toEqual(['S1']);
    expect(decideAcknowledge(fold(log), 'S2', 'supervisor')).toEqual({ ok: true, resolves: true });
    log.acked(3000, 'S2');
    expect(nextAction(fold(log))).toMatchObject({ kind: 'resolve' });
  });

  it('ignores an acknowledgement recorded for a guard', () => {
    const log = eventLog();
    log.started(0);
    log.notified(0, 1, 1);
    log.acked(1000, 'G1', 'guard');
    expect(fold(log).acks).toEqual([]);
    expect(decideAcknowledge(fold(log), 'G1', 'guard')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses to acknowledge a resolved escalation, and nothing after resolution changes it', () => {
    const log = eventLog();
    log.started(0);
    log.notified(0, 1, 1);
    log.resolved(10, 'incident_resolved');
    log.timedOut(60_000, 1, 1);
    log.acked(70_000, 'S1');
    const state = fold(log);
    expect(state.acks).toEqual([]);
    expect(state.timedOut.size).toBe(0);
    expect(decideAcknowledge(state, 'S1', 'supervisor')).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('reaches the same state whatever order the events arrived in', () => {
    const log = eventLog();
    log.started(0);
    log.notified(0, 1, 1);
    log.timedOut(60_000, 1, 1);
    log.notified(60_000, 2, 1);
    log.acked(70_000, 'S2');
    const reversed = foldEscalation([...log.events].reverse())!;
    expect(toView(reversed)).toEqual(toView(fold(log)));
  });

  it('derives the same ids for the same step and different ids for different steps', () => {
    const esc = escalationIdFor(INCIDENT_ID, 1);
    expect(escalationIdFor(INCIDENT_ID, 1)).toBe(esc);
    expect(escalationIdFor(INCIDENT_ID, 2)).not.toBe(esc);
    expect(stepEventId(esc, 'timed_out', 1, 1)).toBe(stepEventId(esc, 'timed_out', 1, 1));
    const ids = new Set([
      stepEventId(esc, 'timed_out', 1, 1),
      stepEventId(esc, 'timed_out', 2, 1),
      stepEventId(esc, 'timed_out', 1, 2),
      stepEventId(esc, 'notified', 1, 1),
      stepEventId(escalationIdFor(INCIDENT_ID, 2), 'timed_out', 1, 1),
    ]);
    expect(ids.size).toBe(5);
    expect(esc).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
