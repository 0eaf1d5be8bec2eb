import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLineMonitor, type LineMonitor } from '../../../src-main/core/telephony/monitor.ts';
import { systemTimers as realTimers } from '../../../src-main/core/timers.ts';
import { detectionBoundMs, type StateChange } from '../../../src-main/core/telephony/hysteresis.ts';
import type { LineConfig, ProbeDefaults, ProbeSpec } from '../../../src-shared/facility-config.ts';
import type { ProbeResult } from '../../../src-shared/telephony.ts';

const defaults: ProbeDefaults = {
  intervalMs: 1000,
  timeoutMs: 400,
  downThreshold: 3,
  upThreshold: 2,
  jitterRatio: 0.2,
};
const probe: ProbeSpec = { type: 'sip-options', host: '127.0.0.1', port: 5060, transport: 'udp' };
const line = (id: string, extra: Partial<LineConfig> = {}): LineConfig => ({
  id,
  name: id,
  unit: 'a',
  kind: 'desk',
  criticality: 'critical',
  via: null,
  probe,
  probeIssue: null,
  ...extra,
});

/** Endpoints whose health the test flips; a failing probe takes the full timeout, like a black hole. */
function fakeNetwork() {
  const healthy = new Map<string, boolean>();
  const starts: { port: number; at: number }[] = [];
  const runProbe = (spec: ProbeSpec): Promise<ProbeResult> => {
    const port = spec.type === 'sip-options' ? spec.port : 0;
    starts.push({ port, at: Date.now() });
    const ok = healthy.get(String(port)) ?? true;
    const wait = ok ? 1 : defaults.timeoutMs;
    return new Promise((resolve) =>
      setTimeout(
        () =>
          resolve({
            ok,
            state: ok ? 'up' : 'down',
            code: ok ? 'sip_status' : 'timeout',
            rttMs: ok ? 1 : null,
            detail: ok ? '200 OK' : 'timeout',
            at: Date.now(),
          }),
        wait,
      ),
    );
  };
  return { healthy, starts, runProbe };
}

let monitor: LineMonitor | null = null;
beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  monitor?.stop();
  monitor = null;
  vi.useRealTimers();
});

function start(lines: LineConfig[], random = Math.random) {
  const net = fakeNetwork();
  const changes: (StateChange & { lineId: string; at: number })[] = [];
  const results: { lineId: string; result: ProbeResult }[] = [];
  monitor = createLineMonitor({
    timers: realTimers,
    wallClock: Date.now,
    random,
    runProbe: net.runProbe,
    onResult(lineId, result, change) {
      results.push({ lineId, result });
      if (change) changes.push({ ...change, lineId, at: Date.now() });
    },
  });
  monitor.configure(lines, defaults);
  return { net, changes, results };
}

describe('line monitor', () => {
  it('brings a healthy line UP after the up threshold', async () => {
    const { changes } = start([line('desk')]);
    await vi.advanceTimersByTimeAsync(2500);
    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual(['UNKNOWN->UP']);
  });

  it('detects a failed endpoint within interval x threshold + timeout + 1 s, whatever the jitter', async () => {
    const bound = detectionBoundMs(defaults);
    for (const jitter of [0, 0.5, 0.999]) {
      const { net, changes } = start([line('desk')], () => jitter);
      await vi.advanceTimersByTimeAsync(5000);
      const failedAt = Date.now() + 137; // the endpoint dies between probes
      await vi.advanceTimersByTimeAsync(137);
      net.healthy.set('5060', false);
      await vi.advanceTimersByTimeAsync(bound);
      const down = changes.find((c) => c.to === 'DOWN');
      expect(down, `jitter ${jitter}`).toBeDefined();
      expect(down!.at - failedAt).toBeLessThanOrEqual(bound);
      monitor!.stop();
    }
  });

  it('never waits longer than the interval between probe starts', async () => {
    const { net } = start([line('desk')]);
    net.healthy.set('5060', false);
    await vi.advanceTimersByTimeAsync(20_000);
    const gaps = net.starts.slice(1).map((s, i) => s.at - net.starts[i]!.at);
    expect(gaps.length).toBeGreaterThan(15);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(defaults.intervalMs);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(defaults.intervalMs * (1 - defaults.jitterRatio));
  });

  it('shows a line with an invalid probe as UNKNOWN with the config reason, without probing it', async () => {
    const issue = {
      code: 'config_invalid',
      file: 'g.json',
      path: 'lines[0].probe.type',
      message: 'Invalid discriminator value',
    } as const;
    const { net, results } = start([line('bad', { probe: null, probeIssue: issue })]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(net.starts).toEqual([]);
    expect(results[0]!.result).toMatchObject({
      state: 'unknown',
      code: 'invalid_probe',
      detail: 'UNKNOWN: lines[0].probe.type: Invalid discriminator value',
    });
    expect(monitor!.tracker('bad')!.state).toBe('UNKNOWN');
  });

  it('keeps a line state across a config reload and stops probing removed lines', async () => {
    const { net, changes } = start([line('a'), line('b', { probe: { ...probe, port: 5070 } })]);
    await vi.advanceTimersByTimeAsync(3000);
    monitor!.configure([line('a', { name: 'renamed' })], defaults);
    const before = net.starts.filter((s) => s.port === 5070).length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(net.starts.filter((s) => s.port === 5070).length).toBe(before);
    expect(monitor!.tracker('a')!.state).toBe('UP');
    expect(changes.filter((c) => c.lineId === 'a')).toHaveLength(1);
  });

  it('resumes the stored state so a restart does not re-announce a known outage', async () => {
    const net = fakeNetwork();
    net.healthy.set('5060', false);
    const changes: StateChange[] = [];
    monitor = createLineMonitor({
      timers: realTimers,
      wallClock: Date.now,
      runProbe: net.runProbe,
      onResult: (_id, _r, c) => c && changes.push(c),
    });
    monitor.configure([line('desk')], defaults, () => ({ state: 'DOWN', since: 1, lastSuccessAt: 0 }));
    await vi.advanceTimersByTimeAsync(5000);
    expect(changes).toEqual([]);
  });

  it('turns a probe that throws into UNKNOWN results and keeps probing', async () => {
    let calls = 0;
    const changes: StateChange[] = [];
    monitor = createLineMonitor({
      timers: realTimers,
      wallClock: Date.now,
      runProbe: async () => {
        calls += 1;
        throw new Error('boom');
      },
      onResult: (_id, _r, c) => c && changes.push(c),
    });
    monitor.configure([line('desk')], defaults, () => ({ state: 'UP', since: 1, lastSuccessAt: 1 }));
    await vi.advanceTimersByTimeAsync(3500);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual(['UP->UNKNOWN']);
    expect(monitor.tracker('desk')!.last?.detail).toBe('probe failed: boom');
  });

  it('stops probing when stopped', async () => {
    const { net } = start([line('desk')]);
    await vi.advanceTimersByTimeAsync(1500);
    monitor!.stop();
    const count = net.starts.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(net.starts.length).toBe(count);
  });
});
