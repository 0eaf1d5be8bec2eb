/**
 * Awaiting what the console pushes about lines and outages, instead of sleeping:
 * every wait is bounded and says what it was waiting for when it gives up.
 */
import { performance } from 'node:perf_hooks';
import type { ConsoleCore } from '../../src-main/core/console-core.ts';
import type { LineState, LineView } from '../../src-shared/telephony.ts';
import type { Outage } from '../../src-shared/outages.ts';

/** Resolves when `check` (run now and after every push) returns a value. */
export function waitFor<T>(
  core: ConsoleCore,
  what: string,
  check: () => T | null | undefined,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let off: () => void = () => undefined;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const attempt = () => {
      const value = check();
      if (value === null || value === undefined) return false;
      clearTimeout(timer);
      off();
      resolve(value);
      return true;
    };
    if (attempt()) return;
    off = core.subscribe(() => void attempt());
  });
}

export function lineNow(core: ConsoleCore, lineId: string): LineView {
  const line = core.telephony.board().lines.find((l) => l.id === lineId);
  if (!line) throw new Error(`no line ${lineId} on the board`);
  return line;
}

export function waitForLineState(
  core: ConsoleCore,
  lineId: string,
  state: LineState,
  timeoutMs: number,
): Promise<LineView> {
  return waitFor(
    core,
    `line ${lineId} to be ${state}`,
    () => core.telephony.board().lines.find((l) => l.id === lineId && l.state === state),
    timeoutMs,
  );
}

export function openOutageFor(core: ConsoleCore, lineId: string): Outage | null {
  return core.telephony.outages(true, 100).find((o) => o.lineIds.includes(lineId)) ?? null;
}

export function waitForOpenOutage(core: ConsoleCore, lineId: string, timeoutMs: number): Promise<Outage> {
  return waitFor(core, `an open outage with line ${lineId}`, () => openOutageFor(core, lineId), timeoutMs);
}

export function waitForOutageStatus(
  core: ConsoleCore,
  outageId: string,
  status: Outage['status'],
  timeoutMs: number,
): Promise<Outage> {
  return waitFor(
    core,
    `outage ${outageId} to be ${status}`,
    () => core.telephony.outages(false, 1000).find((o) => o.id === outageId && o.status === status),
    timeoutMs,
  );
}

export interface DetectionSample {
  /** From just before the failure was injected to the line's DOWN push. */
  downMs: number;
  /** From the same moment to an open outage holding the line (null when none was expected). */
  outageMs: number | null;
}

/**
 * Detection latency of one failure, for tests and `test/bench`: inject the failure,
 * then time the DOWN state and the outage as the console pushes them. The line must
 * be UP (and, for `expectOutage`, critical) before the call.
 */
export async function measureDetection(
  core: ConsoleCore,
  options: { lineId: string; fail: () => Promise<unknown> | unknown; timeoutMs: number; expectOutage?: boolean },
): Promise<DetectionSample> {
  const { lineId } = options;
  if (lineNow(core, lineId).state !== 'UP') throw new Error(`line ${lineId} must be UP before a detection trial`);
  let downAt: number | null = null;
  let outageAt: number | null = null;
  const off = core.subscribe(() => {
    const now = performance.now();
    if (downAt === null && core.telephony.board().lines.some((l) => l.id === lineId && l.state === 'DOWN'))
      downAt = now;
    if (outageAt === null && openOutageFor(core, lineId)) outageAt = now;
  });
  try {
    const started = performance.now();
    await options.fail();
    await waitForLineState(core, lineId, 'DOWN', options.timeoutMs);
    if (options.expectOutage) await waitForOpenOutage(core, lineId, options.timeoutMs);
    return {
      downMs: (downAt ?? performance.now()) - started,
      outageMs: options.expectOutage ? (outageAt ?? performance.now()) - started : null,
    };
  } finally {
    off();
  }
}
