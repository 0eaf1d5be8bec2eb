import { threadId } from 'node:worker_threads';

/**
 * One writer at a time among the tracker's own connections to its SQLite file: the
 * event loop's (pushes, enrolments, HQ) and the HQ projector thread's
 * (projections/projector-thread.ts), which share this gate through a SharedArrayBuffer.
 *
 * Why: SQLite arbitrates two connections that want its one writer by polling (the busy
 * handler sleeps and retries), which is neither fair nor reliable under load. In the sync
 * bench's herd step on a loaded machine (issue 16r) the projector's BEGIN IMMEDIATE failed
 * with SQLITE_BUSY after about 70 ms, with busy_timeout at 5,000 ms, a dozen times a run,
 * and a push's BEGIN loses the same race the same way: the push was answered 500. Waiting
 * here instead, on an Atomics word, the loser never asks SQLite for the writer while the
 * other holds it; the event loop waits without blocking (Atomics.waitAsync), and the
 * writer is handed over as soon as it is released rather than at the next poll.
 *
 * SQLite's busy timeout still covers writers outside the process (a maintenance
 * `sqlite3` shell) and the checkpointer thread, which never takes the writer.
 * Hand-written: a compare-and-swap on one shared word; no library shares a lock between
 * worker threads of one process.
 */

/**
 * [0]: 0 while the writer is free, else the holding thread's id + 1 (so a thread that dies
 * holding it can be let go of, `releaseHeldBy`); [1]: connections waiting for it.
 */
const HELD = 0;
const WAITING = 1;

export interface WriterGate {
  /** The shared word, for another thread's `writerGate(buffer)`. */
  readonly buffer: SharedArrayBuffer;
  /** Resolves once this caller holds the writer; release it with `release()`. */
  acquire(): Promise<void>;
  release(): void;
  /** A thread died (the projector's): frees the writer if that thread held it. */
  releaseHeldBy(deadThreadId: number): void;
  /** Connections waiting for the writer now. */
  readonly waiting: number;
  /** Resolves once at least one connection waits for the writer (tests). */
  someoneWaits(): Promise<void>;
}

/** ES2024's Atomics.waitAsync (in Node since 16), not in this project's TypeScript lib yet. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

export function writerGate(buffer: SharedArrayBuffer = new SharedArrayBuffer(8)): WriterGate {
  const state = new Int32Array(buffer);
  return {
    buffer,
    async acquire() {
      const me = threadId + 1;
      if (Atomics.compareExchange(state, HELD, 0, me) === 0) return;
      Atomics.add(state, WAITING, 1);
      Atomics.notify(state, WAITING);
      try {
        for (let holder; (holder = Atomics.compareExchange(state, HELD, 0, me)) !== 0;) {
          const { value } = waitAsync(state, HELD, holder);
          if (typeof value !== 'string') await value;
        }
      } finally {
        Atomics.sub(state, WAITING, 1);
      }
    },
    release() {
      Atomics.store(state, HELD, 0);
      Atomics.notify(state, HELD);
    },
    releaseHeldBy(deadThreadId) {
      if (Atomics.compareExchange(state, HELD, deadThreadId + 1, 0) === deadThreadId + 1) Atomics.notify(state, HELD);
    },
    get waiting() {
      return Atomics.load(state, WAITING);
    },
    async someoneWaits() {
      while (Atomics.load(state, WAITING) === 0) {
        const { value } = waitAsync(state, WAITING, 0);
        if (typeof value !== 'string') await value;
      }
    },
  };
}
