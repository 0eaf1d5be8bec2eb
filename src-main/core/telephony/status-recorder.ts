/**
 * Turns what the monitor and staff observe into events: a line's state change and
 * the outage changes it causes are appended in one transaction, so the log never
 * holds a DOWN line without its outage or the other way round.
 */
import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import type { LineConfig } from '../../../src-shared/facility-config.ts';
import type { Outage } from '../../../src-shared/outages.ts';
import { lineStreamId, type LineEvidence, type LineProblem } from '../../../src-shared/telephony.ts';
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { EventStore } from '../store/event-store.ts';
import type { LineTracker, StateChange } from './hysteresis.ts';
import type { LineQueries } from './line-projection.ts';
import type { OutageQueries } from './outage-projection.ts';
import type { EventFactory } from '../event-factory.ts';
import {
  automaticOutageId,
  outageKey,
  outageActionsForReload,
  outageActionsForTransition,
  outageForReport,
  type LineNow,
  type OpenOutage,
  type OutageAction,
} from './outage-model.ts';

/** Who the monitor's own events are from; staff actions carry the signed-in actor. */
export const MONITOR_ACTOR = 'system:monitor';

export interface RecorderDeps {
  store: EventStore;
  makeEvent: EventFactory;
  lineQueries: LineQueries;
  outageQueries: OutageQueries;
  wallClock: () => number;
  /** This console, so its probes join outages other consoles opened. */
  deviceId: string;
}

/** The facility as the monitor sees it right now. */
export interface FacilityNow {
  facilityId: string;
  lines: ReadonlyMap<string, LineConfig>;
  windowMs: number;
  tracker(lineId: string): LineTracker | undefined;
}

export function lineStates(now: FacilityNow): Map<string, LineNow> {
  const states = new Map<string, LineNow>();
  for (const id of now.lines.keys()) {
    const t = now.tracker(id);
    states.set(id, { state: t?.state ?? 'UNKNOWN', since: t?.since ?? null });
  }
  return states;
}

export function openOutages(deps: RecorderDeps, facilityId: string): (OpenOutage & { confirmed: boolean })[] {
  return deps.outageQueries.open(facilityId).map((o) => ({ ...o, confirmed: o.confirmed !== null }));
}

/** Evidence for a line from its latest probe result, when there is no state change to quote. */
export function currentEvidence(now: FacilityNow, lineId: string, at: number): LineEvidence {
  const t = now.tracker(lineId);
  const last = t?.last ?? null;
  return {
    probeType: now.lines.get(lineId)?.probe?.type ?? 'none',
    ok: last?.ok ?? false,
    code: last?.code ?? 'no_probe',
    rttMs: last?.rttMs ?? null,
    detail: last?.detail ?? '',
    failures: t?.failures ?? 0,
    firstFailureAt: t?.firstFailureAt ?? null,
    lastSuccessAt: t?.lastSuccessAt ?? null,
    at: last?.at ?? at,
  };
}

function outageEvents(
  deps: RecorderDeps,
  now: FacilityNow,
  actions: readonly OutageAction[],
  at: number,
  evidenceFor: (lineId: string) => LineEvidence,
): { events: EventEnvelope[]; outageIds: string[] } {
  const events: EventEnvelope[] = [];
  const outageIds: string[] = [];
  for (const action of actions) {
    if (action.type === 'open') {
      // Derived, so every console that sees this failure opens the same outage (outage-model.ts).
      const key = outageKey(action.trunk, action.lineIds);
      const outageId = automaticOutageId(now.facilityId, key, deps.outageQueries.latestAutomatic(now.facilityId, key));
      const payload = {
        facilityId: now.facilityId,
        outageId,
        kind: 'automatic' as const,
        cause: action.cause,
        lineIds: action.lineIds,
        trunk: action.trunk,
        openedAt: at,
        evidence: action.lineIds.map((lineId) => ({ lineId, evidence: evidenceFor(lineId) })),
        report: null,
      };
      events.push(deps.makeEvent('outage.opened', outageId, payload, MONITOR_ACTOR));
      outageIds.push(outageId);
    } else if (action.type === 'join') {
      const payload = { outageId: action.outageId, lineId: action.lineId, at, evidence: evidenceFor(action.lineId) };
      events.push(deps.makeEvent('outage.line_joined', action.outageId, payload, MONITOR_ACTOR));
      outageIds.push(action.outageId);
    } else {
      const outage = deps.outageQueries.get(action.outageId);
      const durationMs = Math.max(0, at - (outage?.openedAt ?? at));
      const payload = { outageId: action.outageId, resolvedAt: at, durationMs, reason: action.reason, note: '' };
      events.push(deps.makeEvent('outage.resolved', action.outageId, payload, MONITOR_ACTOR));
      outageIds.push(action.outageId);
    }
  }
  return { events, outageIds };
}

/**
 * A line changed state: record it, and open, grow or close outages to match.
 *
 * A change that moves no outage commits without waiting for its fsync (`flushLater`, issue
 * 12p): the store syncs the WAL on libuv's pool and announces it (the line's history push)
 * and shares it only once it is on disk. What the board shows of a line's state is the
 * monitor's live reading, not this record; a power cut before the flush takes the record
 * back, and the monitor, starting again from the stored state, probes and records the change
 * again. Each of these was a `synchronous=FULL` flush on the console's thread: a console
 * started while a peer caught it up stored its first probes' UNKNOWN → UP changes between the
 * received batches (six commits, tens of ms of B's thread in the mesh bench, strace:
 * bench/results/history/12p-pairs). A change that opens, joins or closes an outage keeps its
 * durable commit: the board lists the outage at once, and its opening time is evidence.
 */
export function recordStateChange(deps: RecorderDeps, now: FacilityNow, lineId: string, change: StateChange): string[] {
  // Read, then commit in one append: nothing else runs on this thread in between.
  const lineEvent = deps.makeEvent(
    'line.status_changed',
    lineStreamId(now.facilityId, lineId),
    { facilityId: now.facilityId, lineId, from: change.from, to: change.to, evidence: change.evidence },
    MONITOR_ACTOR,
  );
  const stored = deps.lineQueries.statuses(now.facilityId);
  const actions = outageActionsForTransition({
    lineId,
    to: change.to,
    at: change.evidence.at,
    lines: now.lines,
    states: lineStates(now),
    open: openOutages(deps, now.facilityId),
    windowMs: now.windowMs,
    deviceId: deps.deviceId,
  });
  const evidenceFor = (id: string) =>
    id === lineId ? change.evidence : (stored.get(id)?.evidence ?? currentEvidence(now, id, change.evidence.at));
  const { events, outageIds } = outageEvents(deps, now, actions, change.evidence.at, evidenceFor);
  const onlyTheLine = events.length === 0 && !deps.store.db.inTransaction;
  deps.store.append([lineEvent, ...events], onlyTheLine ? { flushLater: true } : undefined);
  return outageIds;
}

/** After a config reload: close outages whose lines were removed and the rest are UP. */
export function recordReload(deps: RecorderDeps, now: FacilityNow): string[] {
  return deps.store.transaction(() => {
    const actions = outageActionsForReload(now.lines, lineStates(now), openOutages(deps, now.facilityId));
    if (actions.length === 0) return [];
    const at = Math.floor(deps.wallClock());
    const { events, outageIds } = outageEvents(deps, now, actions, at, (id) => currentEvidence(now, id, at));
    deps.store.append(events);
    return outageIds;
  });
}

export interface ProblemReport {
  lineId: string;
  problem: LineProblem;
  text: string;
}

/** A guard's report: a fact on the line, attached to its open outage or opening a `reported` one. */
export function recordReport(
  deps: RecorderDeps,
  now: FacilityNow,
  report: ProblemReport,
  actor: string,
): { reportId: string; outageId: string } {
  if (!now.lines.has(report.lineId)) throw new ApiFailure(apiError('not_found', `no line ${report.lineId}`, 'lineId'));
  return deps.store.transaction(() => {
    const at = Math.floor(deps.wallClock());
    const reportId = uuidv7();
    const lineState = now.tracker(report.lineId)?.state ?? 'UNKNOWN';
    const events: EventEnvelope[] = [
      deps.makeEvent(
        'line.problem_reported',
        lineStreamId(now.facilityId, report.lineId),
        {
          facilityId: now.facilityId,
          lineId: report.lineId,
          reportId,
          problem: report.problem,
          text: report.text,
          reporter: actor,
          lineState,
          at,
        },
        actor,
      ),
    ];
    const decision = outageForReport(report.lineId, now.lines, openOutages(deps, now.facilityId));
    let outageId: string;
    if ('existing' in decision) {
      outageId = decision.existing;
    } else {
      outageId = uuidv7();
      const payload = {
        facilityId: now.facilityId,
        outageId,
        kind: 'reported' as const,
        cause: decision.open.cause,
        lineIds: decision.open.lineIds,
        trunk: decision.open.trunk,
        openedAt: at,
        evidence: [{ lineId: report.lineId, evidence: currentEvidence(now, report.lineId, at) }],
        report: { reportId, lineId: report.lineId, problem: report.problem, text: report.text, reporter: actor },
      };
      events.push(deps.makeEvent('outage.opened', outageId, payload, actor));
    }
    deps.store.append(events);
    return { reportId, outageId };
  });
}

export type OutageDecision = 'confirm' | 'dismiss' | 'resolve';

/** A supervisor's decision on a reported outage. Measured (automatic) outages close only by measurement. */
export function recordDecision(
  deps: RecorderDeps,
  outageId: string,
  decision: OutageDecision,
  text: string,
  actor: string,
): Outage {
  return deps.store.transaction(() => {
    const outage = deps.outageQueries.get(outageId);
    if (!outage) throw new ApiFailure(apiError('not_found', `no outage ${outageId}`, 'outageId'));
    if (outage.status !== 'open') {
      throw new ApiFailure(apiError('illegal_transition', `outage is already ${outage.status}`, 'outageId'));
    }
    if (outage.kind !== 'reported') {
      throw new ApiFailure(
        apiError(
          'illegal_transition',
          'a measured outage closes when its lines recover; only reported ones take decisions',
          'outageId',
        ),
      );
    }
    const at = Math.floor(deps.wallClock());
    if (decision === 'confirm') {
      if (outage.confirmed) return outage;
      deps.store.append([deps.makeEvent('outage.confirmed', outageId, { outageId, at, note: text }, actor)]);
    } else if (decision === 'dismiss') {
      deps.store.append([deps.makeEvent('outage.dismissed', outageId, { outageId, at, reason: text }, actor)]);
    } else {
      const payload = {
        outageId,
        resolvedAt: at,
        durationMs: Math.max(0, at - outage.openedAt),
        reason: 'manual' as const,
        note: text,
      };
      deps.store.append([deps.makeEvent('outage.resolved', outageId, payload, actor)]);
    }
    return deps.outageQueries.get(outageId)!;
  });
}
