/**
 * Timers injected into core services (idle lock, escalation deadlines) so tests can
 * drive time with fake timers and nothing in the core waits on the real clock.
 * The defaults look the global timer functions up at call time, so fake timers
 * installed after the core was created still apply.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
