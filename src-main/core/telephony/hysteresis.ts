/**
 * A line's state from its probe results, with hysteresis: one lost ping does not
 * take a line DOWN and one good ping does not bring it back. Pure: the monitor feeds
 * results in, tests feed them by hand.
 *
 * - UP needs `upThreshold` good results in a row.
 * - From UP (or UNKNOWN), `downThreshold` bad results in a row change the state to the
 *   worst of them (DOWN over DEGRADED over UNKNOWN), so a mix of timeouts and garbage
 *   can never leave a line looking UP.
 * - Between bad states (DOWN, DEGRADED, UNKNOWN) the line moves only after
 *   `downThreshold` results of the new kind in a row.
 */
import type { LineEvidence, LineState, ProbeOutcome, ProbeResult } from '../../../src-shared/telephony.ts';
import type { ProbeType } from '../../../src-shared/facility-config.ts';

export interface Thresholds {
  downThreshold: number;
  upThreshold: number;
}

export interface LineTracker {
  state: LineState;
  /** When the current state began (null: never measured). */
  since: number | null;
  streak: { outcome: ProbeOutcome; count: number } | null;
  /** Consecutive non-UP results, and the worst of them. */
  failures: number;
  worstFailure: ProbeOutcome | null;
  firstFailureAt: number | null;
  lastSuccessAt: number | null;
  last: ProbeResult | null;
}

export interface StateChange {
  from: LineState;
  to: LineState;
  evidence: LineEvidence;
}

const STATE_OF: Record<ProbeOutcome, LineState> = { up: 'UP', down: 'DOWN', degraded: 'DEGRADED', unknown: 'UNKNOWN' };
const SEVERITY: Record<ProbeOutcome, number> = { up: 0, unknown: 1, degraded: 2, down: 3 };

export function newLineTracker(resume?: {
  state: LineState;
  since: number | null;
  lastSuccessAt: number | null;
}): LineTracker {
  return {
    state: resume?.state ?? 'UNKNOWN',
    since: resume?.since ?? null,
    streak: null,
    failures: 0,
    worstFailure: null,
    firstFailureAt: null,
    lastSuccessAt: resume?.lastSuccessAt ?? null,
    last: null,
  };
}

export function observe(
  tracker: LineTracker,
  result: ProbeResult,
  thresholds: Thresholds,
  probeType: ProbeType,
): { tracker: LineTracker; change: StateChange | null } {
  const outcome = result.state;
  const streak =
    tracker.streak?.outcome === outcome ? { outcome, count: tracker.streak.count + 1 } : { outcome, count: 1 };
  const next: LineTracker = { ...tracker, streak, last: result };
  let target: LineState | null = null;

  if (outcome === 'up') {
    next.failures = 0;
    next.worstFailure = null;
    next.firstFailureAt = null;
    next.lastSuccessAt = result.at;
    if (tracker.state !== 'UP' && streak.count >= thresholds.upThreshold) target = 'UP';
  } else {
    next.failures = tracker.failures + 1;
    next.firstFailureAt = tracker.firstFailureAt ?? result.at;
    next.worstFailure =
      tracker.worstFailure && SEVERITY[tracker.worstFailure] >= SEVERITY[outcome] ? tracker.worstFailure : outcome;
    const fromGood = tracker.state === 'UP' || tracker.state === 'UNKNOWN';
    if (fromGood && next.failures >= thresholds.downThreshold && STATE_OF[next.worstFailure] !== tracker.state) {
      target = STATE_OF[next.worstFailure];
    } else if (streak.count >= thresholds.downThreshold && STATE_OF[outcome] !== tracker.state) {
      target = STATE_OF[outcome];
    }
  }

  if (target === null || target === tracker.state) return { tracker: next, change: null };
  next.state = target;
  next.since = result.at;
  return {
    tracker: next,
    change: {
      from: tracker.state,
      to: target,
      evidence: {
        probeType,
        ok: result.ok,
        code: result.code,
        rttMs: result.rttMs,
        detail: result.detail,
        failures: next.failures,
        firstFailureAt: next.firstFailureAt,
        lastSuccessAt: next.lastSuccessAt,
        at: result.at,
      },
    },
  };
}

/** Worst-case time from a failure to DOWN: the bound the monitor promises (DESIGN §4). */
export function detectionBoundMs(d: { intervalMs: number; downThreshold: number; timeoutMs: number }): number {
  return d.intervalMs * d.downThreshold + d.timeoutMs + 1000;
}
