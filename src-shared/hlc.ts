/**
 * Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014).
 *
 * Ordering in Guardline never trusts the wall clock alone: every event carries
 * an HLC timestamp that is monotonic on one device and moves past any remote
 * timestamp it has seen, so causally later events always sort later even when
 * a workstation's clock is wrong. Timestamps are strings that sort
 * lexicographically in clock order: `WWWWWWWWWWWWWWW-CCCCCC-node`.
 */

export interface HlcTimestamp {
  /** Milliseconds since the Unix epoch (the physical part). */
  wallMs: number;
  /** Logical counter within one millisecond. */
  counter: number;
  /** Device id of the clock that produced the timestamp. */
  node: string;
}

export const HLC_MAX_COUNTER = 999_999;
/** Drift beyond this (versus a remote clock) is flagged on the console and in the event. */
export const HLC_DEFAULT_MAX_DRIFT_MS = 2 * 60 * 1000;

/** Digits of the wall time, the first part of an encoded timestamp. */
export const HLC_WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const HLC_PATTERN = /^(\d{15})-(\d{6})-([A-Za-z0-9_.:-]{1,64})$/;

export function encodeHlc(ts: HlcTimestamp): string {
  if (!Number.isSafeInteger(ts.wallMs) || ts.wallMs < 0)
    throw new RangeError(`HLC wall time out of range: ${ts.wallMs}`);
  if (!Number.isInteger(ts.counter) || ts.counter < 0 || ts.counter > HLC_MAX_COUNTER) {
    throw new RangeError(`HLC counter out of range: ${ts.counter}`);
  }
  return `${String(ts.wallMs).padStart(HLC_WALL_DIGITS, '0')}-${String(ts.counter).padStart(COUNTER_DIGITS, '0')}-${ts.node}`;
}

export function decodeHlc(text: string): HlcTimestamp {
  const m = HLC_PATTERN.exec(text);
  if (!m) throw new SyntaxError(`not an HLC timestamp: ${JSON.stringify(text.slice(0, 80))}`);
  return { wallMs: Number(m[1]), counter: Number(m[2]), node: m[3]! };
}

export function isHlc(text: string): boolean {
  return HLC_PATTERN.test(text);
}

/** Total order on encoded timestamps (the encoding is designed so string order is clock order). */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface HlcReceipt {
  /** The local clock's new timestamp after merging the remote one. */
  hlc: string;
  /** remote wall time minus local wall time; positive when the remote clock is ahead. */
  driftMs: number;
  /** True when |driftMs| exceeds the configured limit: flagged, never rejected. */
  drifted: boolean;
}

export interface HybridLogicalClock {
  /** Timestamp for a local event (a "send"). Strictly greater than every earlier result. */
  now(): string;
  /** Merge a timestamp received from another device or the tracker. */
  receive(remote: string): HlcReceipt;
  /** The last timestamp produced, or null before the first. */
  last(): string | null;
}

export interface HlcOptions {
  node: string;
  /** Physical clock; injected so tests and hosts control time. */
  wallClock: () => number;
  /** Resume after a restart: the largest HLC already stored on this device. */
  resumeFrom?: string | null;
  maxDriftMs?: number;
}

export function createHlc(options: HlcOptions): HybridLogicalClock {
  const maxDriftMs = options.maxDriftMs ?? HLC_DEFAULT_MAX_DRIFT_MS;
  let wallMs = 0;
  let counter = 0;
  let issued: string | null = null;
  if (options.resumeFrom) {
    const resumed = decodeHlc(options.resumeFrom);
    wallMs = resumed.wallMs;
    counter = resumed.counter;
  }

  function advance(candidateWall: number, candidateCounter: number): string {
    if (candidateCounter > HLC_MAX_COUNTER) {
      // A burst of a million events in one millisecond: borrow the next millisecond
      // rather than break monotonicity.
      candidateWall += 1;
      candidateCounter = 0;
    }
    wallMs = candidateWall;
    counter = candidateCounter;
    issued = encodeHlc({ wallMs, counter, node: options.node });
    return issued;
  }

  return {
    now() {
      const physical = Math.floor(options.wallClock());
      if (physical > wallMs) return advance(physical, 0);
      return advance(wallMs, counter + 1);
    },
    receive(remoteText) {
      const remote = decodeHlc(remoteText);
      const physical = Math.floor(options.wallClock());
      const driftMs = remote.wallMs - physical;
      const drifted = Math.abs(driftMs) > maxDriftMs;
      const wall = Math.max(wallMs, remote.wallMs, physical);
      let next: number;
      if (wall === wallMs && wall === remote.wallMs) next = Math.max(counter, remote.counter) + 1;
      else if (wall === wallMs) next = counter + 1;
      else if (wall === remote.wallMs) next = remote.counter + 1;
      else next = 0;
      return { hlc: advance(wall, next), driftMs, drifted };
    },
    last() {
      return issued;
    },
  };
}
