/**
 * The line monitor: probes every configured line on its own schedule and runs each
 * result through the hysteresis model. It knows nothing of storage or outages; it
 * reports results and state changes to `onResult`.
 *
 * Scheduling is by probe *start*: the next probe starts at most `intervalMs` after
 * the previous one started, whatever the probe took (timeouts are shorter than the
 * interval by config rule). Jitter only ever shortens a wait, so lines spread out
 * without stretching the detection bound. Timers and clocks are injected so tests can
 * drive time.
 */
import type { LineConfig, ProbeDefaults, ProbeSpec } from '../../../src-shared/facility-config.ts';
import type { LineState, ProbeResult } from '../../../src-shared/telephony.ts';
import { newLineTracker, observe, type LineTracker, type StateChange } from './hysteresis.ts';
import type { ProbeRunner } from './probes.ts';
import type { Timers } from '../timers.ts';

export interface ResumeState {
  state: LineState;
  since: number | null;
  lastSuccessAt: number | null;
}

export interface LineMonitorDeps {
  timers: Timers;
  wallClock: () => number;
  random?: () => number;
  runProbe: ProbeRunner;
  onResult(lineId: string, result: ProbeResult, change: StateChange | null, tracker: LineTracker): void;
  logError?(message: string, detail: unknown): void;
}

export interface LineMonitor {
  /** Start, stop or re-time lines to match the config; trackers of kept lines carry over. */
  configure(
    lines: readonly LineConfig[],
    defaults: ProbeDefaults,
    resume?: (lineId: string) => ResumeState | undefined,
  ): void;
  tracker(lineId: string): LineTracker | undefined;
  stop(): void;
}

interface Runtime {
  line: LineConfig;
  key: string;
  tracker: LineTracker;
  timer: unknown;
  inFlight: boolean;
  startPending: boolean;
  generation: number;
}

export function createLineMonitor(deps: LineMonitorDeps): LineMonitor {
  const random = deps.random ?? Math.random;
  const runtimes = new Map<string, Runtime>();
  let defaults: ProbeDefaults | null = null;
  let stopped = false;
  let generation = 0;

  const report = (rt: Runtime, result: ProbeResult, change: StateChange | null) => {
    try {
      deps.onResult(rt.line.id, result, change, rt.tracker);
    } catch (error) {
      deps.logError?.(`recording probe result for line ${rt.line.id} failed`, error);
    }
  };

  const schedule = (rt: Runtime, delayMs: number) => {
    deps.timers.clearTimeout(rt.timer);
    rt.timer = deps.timers.setTimeout(() => start(rt), Math.max(0, Math.round(delayMs)));
  };

  function start(rt: Runtime): void {
    if (stopped || !defaults || !rt.line.probe) return;
    const d = defaults;
    schedule(rt, d.intervalMs * (1 - random() * d.jitterRatio));
    if (rt.inFlight) {
      rt.startPending = true; // only if a probe overran its interval; start right after it
      return;
    }
    rt.inFlight = true;
    const gen = rt.generation;
    const spec: ProbeSpec = rt.line.probe;
    const probed = deps
      .runProbe(spec, { timeoutMs: d.timeoutMs, wallClock: deps.wallClock })
      .catch((error: unknown): ProbeResult => ({
        ok: false,
        state: 'unknown',
        code: 'network_error',
        rttMs: null,
        detail: `probe failed: ${(error as Error)?.message ?? String(error)}`.slice(0, 500),
        at: Math.floor(deps.wallClock()),
      }));
    void probed.then((result) => {
      if (stopped || rt.generation !== gen) return;
      rt.inFlight = false;
      const step = observe(rt.tracker, result, d, spec.type);
      rt.tracker = step.tracker;
      report(rt, result, step.change);
      if (rt.startPending) {
        rt.startPending = false;
        start(rt);
      }
    });
  }

  /** A line nothing can measure is UNKNOWN, with the config problem as its evidence. */
  function markUnprobed(rt: Runtime): void {
    const issue = rt.line.probeIssue;
    const result: ProbeResult = {
      ok: false,
      state: 'unknown',
      code: issue ? 'invalid_probe' : 'no_probe',
      rttMs: null,
      detail: issue ? `UNKNOWN: ${issue.path}: ${issue.message}`.slice(0, 500) : 'UNKNOWN: no probe configured',
      at: Math.floor(deps.wallClock()),
    };
    const from = rt.tracker.state;
    rt.tracker = {
      ...rt.tracker,
      last: result,
      state: 'UNKNOWN',
      since: from === 'UNKNOWN' ? rt.tracker.since : result.at,
    };
    const change: StateChange | null =
      from === 'UNKNOWN'
        ? null
        : {
            from,
            to: 'UNKNOWN',
            evidence: {
              probeType: 'none',
              ok: false,
              code: result.code,
              rttMs: null,
              detail: result.detail,
              failures: 0,
              firstFailureAt: null,
              lastSuccessAt: rt.tracker.lastSuccessAt,
              at: result.at,
            },
          };
    report(rt, result, change);
  }

  return {
    configure(lines, nextDefaults, resume) {
      if (stopped) return;
      const timingChanged = JSON.stringify(defaults) !== JSON.stringify(nextDefaults);
      defaults = nextDefaults;
      const wanted = new Set(lines.map((l) => l.id));
      for (const [id, rt] of runtimes) {
        if (wanted.has(id)) continue;
        deps.timers.clearTimeout(rt.timer);
        rt.generation = ++generation;
        runtimes.delete(id);
      }
      for (const line of lines) {
        const key = JSON.stringify(line.probe);
        const existing = runtimes.get(line.id);
        if (existing && existing.key === key && !timingChanged) {
          existing.line = line;
          continue;
        }
        if (existing) {
          deps.timers.clearTimeout(existing.timer);
          existing.generation = ++generation; // a result still in flight for the old spec is dropped
        }
        const rt: Runtime = {
          line,
          key,
          tracker: existing?.tracker ?? newLineTracker(resume?.(line.id)),
          timer: undefined,
          inFlight: false,
          startPending: false,
          generation: ++generation,
        };
        if (existing && existing.key !== key)
          rt.tracker = { ...rt.tracker, streak: null, failures: 0, worstFailure: null, firstFailureAt: null };
        runtimes.set(line.id, rt);
        if (line.probe) schedule(rt, random() * nextDefaults.intervalMs * nextDefaults.jitterRatio);
        else markUnprobed(rt);
      }
    },
    tracker: (lineId) => runtimes.get(lineId)?.tracker,
    stop() {
      stopped = true;
      for (const rt of runtimes.values()) deps.timers.clearTimeout(rt.timer);
      runtimes.clear();
    },
  };
}
