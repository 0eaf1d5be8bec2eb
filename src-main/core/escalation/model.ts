/**
 * The escalation state machine, pure: the state of one escalation folded from its
 * events, and the next action due (notify a level, time a level out, resolve).
 * The runner only asks "what is due, and when?" and records the answer as an event;
 * nothing here does I/O or reads a clock.
 *
 * The fold works on sets of step facts rather than on their order, so consoles that
 * recorded the same steps (with the same deterministic ids, deduplicated on sync)
 * reach the same state whatever order the events arrived in.
 *
 * Step ids are UUIDv5 of (escalation id, event kind, level, round): two consoles that
 * time out the same level offline produce one event, not two (see src-shared/derived-ids.ts
 * for what receivers must do with the second copy).
 */
import { v5 as uuidv5 } from 'uuid';
import { apiError, type ApiError } from '../../../src-shared/errors.ts';
import { type EscalationLevel, type EscalationStatus, type EscalationView } from '../../../src-shared/escalation.ts';
import { inFoldOrder, parseEventPayload, type EventEnvelope } from '../../../src-shared/events.ts';
import type { IncidentSeverity } from '../../../src-shared/incident.ts';
import { roleAtLeast, type Role } from '../../../src-shared/staff.ts';

/** Fixed namespace for escalation ids: changing it would break deduplication between versions. */
export const ESCALATION_NAMESPACE = '5b0e7c1e-8f3a-4d2b-9c61-0a4f2e9d7b38';

/** The n-th escalation of an incident (1, 2, … if it is escalated again after being resolved). */
export function escalationIdFor(incidentId: string, generation: number): string {
  return uuidv5(`escalation/${incidentId}/${generation}`, ESCALATION_NAMESPACE);
}

export type StepKind = 'started' | 'incident_escalated' | 'notified' | 'timed_out' | 'acknowledged' | 'resolved';

/** Deterministic event id of one step of one escalation. */
export function stepEventId(escalationId: string, kind: StepKind, ...key: (string | number)[]): string {
  return uuidv5([escalationId, kind, ...key].join('/'), ESCALATION_NAMESPACE);
}

export interface StepFact {
  level: number;
  round: number;
  /** Producing device's wall clock, ms. */
  at: number;
}

export interface EscalationState {
  escalationId: string;
  incidentId: string;
  trigger: 'auto' | 'manual';
  policyId: string;
  levels: EscalationLevel[];
  repeat: number;
  requiredAcks: number;
  unit: string;
  severity: IncidentSeverity;
  title: string;
  startedAt: number;
  /** By step index; the first fact recorded for a step wins. */
  notified: Map<number, StepFact & { targets: string[] }>;
  timedOut: Map<number, StepFact>;
  /** Distinct acknowledgers, in log order. */
  acks: { by: string; role: Role; at: number }[];
  resolved: { reason: 'acknowledged' | 'incident_resolved' | 'cancelled'; at: number } | null;
}

export function stepCount(state: Pick<EscalationState, 'levels' | 'repeat'>): number {
  return state.levels.length * state.repeat;
}

export function stepIndex(state: Pick<EscalationState, 'levels'>, level: number, round: number): number {
  return (round - 1) * state.levels.length + (level - 1);
}

export function stepAt(state: Pick<EscalationState, 'levels'>, index: number): { level: number; round: number } {
  const width = state.levels.length;
  return { level: (index % width) + 1, round: Math.floor(index / width) + 1 };
}

/**
 * Payloads are read with parseEventPayload, the catalogue's schemas: a received payload the gate
 * marked parsed (its zod output is the payload itself) is not run through zod again, as in the
 * incident fold (a catch-up's new escalations parsed every step here: receiver's profile, issue 12k).
 */
export function foldEscalation(events: readonly EventEnvelope[]): EscalationState | null {
  const ordered = inFoldOrder(events);
  const startedEvent = ordered.find((e) => e.type === 'escalation.started');
  const started = startedEvent && parseEventPayload('escalation.started', startedEvent.payload);
  if (!startedEvent || !started?.success) return null;
  const state: EscalationState = {
    escalationId: startedEvent.streamId,
    ...started.data,
    startedAt: startedEvent.deviceTime,
    notified: new Map(),
    timedOut: new Map(),
    acks: [],
    resolved: null,
  };
  applySteps(state, ordered);
  return state;
}

/**
 * What foldEscalation over `state`'s events and `later` gives, where each of `later` sorts after
 * every event `state` was folded from (the projector's extension, projection.ts). `state` is
 * left as it was: it may be shared (the runner drives from the projector's fold).
 */
export function continueEscalation(state: EscalationState, later: readonly EventEnvelope[]): EscalationState {
  const next: EscalationState = {
    ...state,
    notified: new Map(state.notified),
    timedOut: new Map(state.timedOut),
    acks: [...state.acks],
  };
  applySteps(next, inFoldOrder(later));
  return next;
}

/** The fold's steps over `ordered` (sorted by compareEvents), onto `state`. */
function applySteps(state: EscalationState, ordered: readonly EventEnvelope[]): void {
  const inRange = (level: number, round: number) => level <= state.levels.length && round <= state.repeat;
  for (const event of ordered) {
    if (state.resolved) break; // resolved is terminal: nothing after it changes the escalation
    switch (event.type) {
      case 'escalation.notified': {
        const p = parseEventPayload('escalation.notified', event.payload);
        if (!p.success || !inRange(p.data.level, p.data.round)) break;
        const index = stepIndex(state, p.data.level, p.data.round);
        if (!state.notified.has(index)) state.notified.set(index, { ...p.data, at: event.deviceTime });
        break;
      }
      case 'escalation.timed_out': {
        const p = parseEventPayload('escalation.timed_out', event.payload);
        if (!p.success || !inRange(p.data.level, p.data.round)) break;
        const index = stepIndex(state, p.data.level, p.data.round);
        if (!state.timedOut.has(index)) state.timedOut.set(index, { ...p.data, at: event.deviceTime });
        break;
      }
      case 'escalation.acknowledged': {
        const p = parseEventPayload('escalation.acknowledged', event.payload);
        if (!p.success || !roleAtLeast(p.data.role, 'supervisor')) break;
        if (!state.acks.some((a) => a.by === p.data.by)) state.acks.push({ ...p.data, at: event.deviceTime });
        break;
      }
      case 'escalation.resolved': {
        const p = parseEventPayload('escalation.resolved', event.payload);
        if (p.success) state.resolved = { reason: p.data.reason, at: event.deviceTime };
        break;
      }
      default:
        break;
    }
  }
}

/** The furthest step anyone recorded, and whether it has timed out; null before the first notification. */
export function progress(state: EscalationState): { index: number; timedOut: boolean; at: number } | null {
  const indexes = [...state.notified.keys(), ...state.timedOut.keys()];
  if (indexes.length === 0) return null;
  const index = Math.max(...indexes);
  const timedOut = state.timedOut.get(index);
  if (timedOut) return { index, timedOut: true, at: timedOut.at };
  return { index, timedOut: false, at: state.notified.get(index)!.at };
}

export function isFullyAcknowledged(state: EscalationState): boolean {
  return state.acks.length >= state.requiredAcks;
}

export function escalationStatus(state: EscalationState): EscalationStatus {
  if (state.resolved) return 'resolved';
  const p = progress(state);
  return p && p.timedOut && p.index === stepCount(state) - 1 ? 'exhausted' : 'active';
}

export type EscalationAction =
  | { kind: 'notify'; level: number; round: number; dueAt: number }
  | { kind: 'time_out'; level: number; round: number; dueAt: number }
  | { kind: 'resolve'; reason: 'acknowledged'; dueAt: number }
  | { kind: 'none' };

/** What happens next to this escalation, and when (wall-clock ms); `none` when nothing ever will. */
export function nextAction(state: EscalationState): EscalationAction {
  if (state.resolved) return { kind: 'none' };
  if (isFullyAcknowledged(state)) return { kind: 'resolve', reason: 'acknowledged', dueAt: state.acks.at(-1)!.at };
  const p = progress(state);
  if (!p) return { kind: 'notify', level: 1, round: 1, dueAt: state.startedAt };
  const step = stepAt(state, p.index);
  if (!p.timedOut) {
    const timeout = state.levels[step.level - 1]!.ackTimeoutMs;
    return { kind: 'time_out', ...step, dueAt: p.at + timeout };
  }
  if (p.index + 1 >= stepCount(state)) return { kind: 'none' }; // exhausted: alarms on, no more steps
  return { kind: 'notify', ...stepAt(state, p.index + 1), dueAt: p.at };
}

/** The action to take at `now`, or null when the next one is not due yet (or never). */
export function dueAction(state: EscalationState, now: number): Exclude<EscalationAction, { kind: 'none' }> | null {
  const action = nextAction(state);
  return action.kind !== 'none' && action.dueAt <= now ? action : null;
}

/** Whether `by` (with `role`) may acknowledge now, and whether that acknowledgement resolves the escalation. */
export function decideAcknowledge(
  state: EscalationState,
  by: string,
  role: Role,
): { ok: true; resolves: boolean } | { ok: false; error: ApiError } {
  if (state.resolved) {
    return { ok: false, error: apiError('conflict', `escalation already resolved (${state.resolved.reason})`) };
  }
  if (!roleAtLeast(role, 'supervisor')) {
    return { ok: false, error: apiError('forbidden', 'only a supervisor can acknowledge an escalation') };
  }
  if (state.acks.some((a) => a.by === by)) {
    return {
      ok: false,
      error: apiError('conflict', `${by} has already acknowledged; a second, different supervisor must acknowledge`),
    };
  }
  return { ok: true, resolves: state.acks.length + 1 >= state.requiredAcks };
}

export function toView(state: EscalationState): EscalationView {
  const p = progress(state);
  const step = p ? stepAt(state, p.index) : { level: 1, round: 1 };
  const action = nextAction(state);
  const notified = new Set<string>();
  for (const n of state.notified.values()) for (const t of n.targets) notified.add(t);
  return {
    escalationId: state.escalationId,
    incidentId: state.incidentId,
    status: escalationStatus(state),
    policyId: state.policyId,
    trigger: state.trigger,
    unit: state.unit,
    severity: state.severity,
    title: state.title,
    level: step.level,
    round: step.round,
    levels: state.levels.length,
    repeat: state.repeat,
    requiredAcks: state.requiredAcks,
    acknowledgedBy: state.acks.map((a) => a.by),
    notified: [...notified].sort(),
    startedAt: state.startedAt,
    nextDueAt: action.kind === 'time_out' ? action.dueAt : null,
    resolvedReason: state.resolved?.reason ?? null,
  };
}
