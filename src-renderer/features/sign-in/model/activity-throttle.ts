/**
 * Someone is using the console: tell the core (`auth.touch`) so its idle lock waits,
 * but at most once per interval; a keystroke per call would flood the socket for nothing.
 */
export const TOUCH_INTERVAL_MS = 30_000;

export interface ActivityThrottle {
  /** True when this bit of activity should be reported now. */
  shouldReport(now: number): boolean;
  /** Forget the last report (a new session starts its own count). */
  reset(): void;
}

export function createActivityThrottle(intervalMs = TOUCH_INTERVAL_MS): ActivityThrottle {
  let last: number | null = null;
  return {
    shouldReport(now) {
      if (last !== null && now - last < intervalMs) return false;
      last = now;
      return true;
    },
    reset() {
      last = null;
    },
  };
}
