import { describe, expect, it } from 'vitest';
import {
  detectionBoundMs,
  newLineTracker,
  observe,
  type LineTracker,
} from '../../../src-main/core/telephony/hysteresis.ts';
import type { ProbeOutcome, ProbeResult } from '../../../src-shared/telephony.ts';

const thresholds = { downThreshold: 3, upThreshold: 2 };
let clock = 0;
function result(state: ProbeOutcome): ProbeResult {
  clock += 1000;
  const code =
    state === 'up'
      ? 'sip_status'
      : state === 'down'
        ? 'timeout'
        : state === 'degraded'
          ? 'parse_error'
          : 'registrar_error';
  return { ok: state === 'up', state, code, rttMs: state === 'up' ? 1 : null, detail: state, at: clock };
}

/** Feeds outcomes in order; returns the final tracker and every state change. */
function run(outcomes: ProbeOutcome[], start: LineTracker = newLineTracker()) {
  let tracker = start;
  const changes: string[] = [];
  for (const o of outcomes) {
    const step = observe(tracker, result(o), thresholds, 'sip-options');
    tracker = step.tracker;
    if (step.change) changes.push(`${step.change.from}->${step.change.to}`);
  }
  return { tracker, changes };
}
const up = () => run(['up', 'up']).tracker;

describe('line hysteresis', () => {
  it('starts UNKNOWN and goes UP after two good probes', () => {
    expect(newLineTracker().state).toBe('UNKNOWN');
    expect(run(['up']).changes).toEqual([]);
    expect(run(['up', 'up']).changes).toEqual(['UNKNOWN->UP']);
  });

  it('goes DOWN after three failed probes, not after two', () => {
    expect(run(['down', 'down'], up()).changes).toEqual([]);
    expect(run(['down', 'down', 'down'], up()).changes).toEqual(['UP->DOWN']);
  });

  it('does not go DOWN when a good probe interrupts the failures', () => {
    expect(run(['down', 'down', 'up', 'down', 'down', 'up'], up()).changes).toEqual([]);
  });

  it('comes back UP only after two good probes in a row', () => {
    const down = run(['down', 'down', 'down'], up()).tracker;
    expect(run(['up', 'down', 'up'], down).changes).toEqual([]);
    expect(run(['up', 'up'], down).changes).toEqual(['DOWN->UP']);
  });

  it('never stays UP on a mix of timeouts and garbage: takes the worst', () => {
    expect(run(['degraded', 'down', 'degraded'], up()).changes).toEqual(['UP->DOWN']);
    expect(run(['degraded', 'unknown', 'degraded'], up()).changes).toEqual(['UP->DEGRADED']);
  });

  it('moves between bad states only after a full streak of the new kind', () => {
    const down = run(['down', 'down', 'down'], up()).tracker;
    expect(run(['degraded', 'degraded'], down).changes).toEqual([]);
    expect(run(['degraded', 'degraded', 'degraded'], down).changes).toEqual(['DOWN->DEGRADED']);
    expect(run(['unknown', 'unknown', 'unknown'], down).changes).toEqual(['DOWN->UNKNOWN']);
  });

  it('goes from UNKNOWN straight to DOWN when the line was never up', () => {
    expect(run(['down', 'down', 'down']).changes).toEqual(['UNKNOWN->DOWN']);
  });

  it('records the evidence of the change: failures, first failure and last success', () => {
    const start = up();
    const lastSuccessAt = start.lastSuccessAt;
    let tracker = start;
    const firstAt = clock + 1000;
    let change = null;
    for (let i = 0; i < 3; i++) {
      const step = observe(tracker, result('down'), thresholds, 'sip-options');
      tracker = step.tracker;
      change = step.change ?? change;
    }
    expect(change).toMatchObject({
      from: 'UP',
      to: 'DOWN',
      evidence: {
        probeType: 'sip-options',
        ok: false,
        code: 'timeout',
        failures: 3,
        firstFailureAt: firstAt,
        lastSuccessAt,
        at: clock,
      },
    });
    expect(tracker.since).toBe(clock);
  });

  it('resumes from a stored state without emitting a change for it', () => {
    const resumed = newLineTracker({ state: 'DOWN', since: 5, lastSuccessAt: 1 });
    expect(run(['down', 'down', 'down'], resumed).changes).toEqual([]);
    expect(run(['up', 'up'], resumed).changes).toEqual(['DOWN->UP']);
  });

  it('states the detection bound as interval x threshold + timeout + 1 s', () => {
    expect(detectionBoundMs({ intervalMs: 1000, downThreshold: 3, timeoutMs: 500 })).toBe(4500);
  });
});
