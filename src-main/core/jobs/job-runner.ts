/**
 * Runs the console's long reads off its thread (issue 16). better-sqlite3 is synchronous:
 * a chain check or a year's report run on the core's thread froze probes, escalation
 * timers, alarms and the UI together for over a second on a large console. Here they go
 * to one worker thread with its own read-only connection (read-worker.ts).
 *
 * The console never silently stops: a worker that crashes or exits fails every job it
 * held with a clear error (never a hang) and a new worker takes the next job; one that
 * stops answering (no progress or result for `stallTimeoutMs`, 3 minutes by default, while a job is running) is
 * terminated and handled the same way. A store the worker cannot open (`:memory:`, in
 * tests) runs the same job functions in-thread.
 *
 * Hand-written rather than a pool library (piscina, workerpool): one worker, one queue,
 * and the crash rule above are a page; a pool would add threads a 2-core console lacks.
 */
import { Worker } from 'node:worker_threads';
import { ApiFailure, apiError, type ApiError } from '../../../src-shared/errors.ts';
import type { Progress } from '../store/chain-check.ts';
import type { Db } from '../store/database.ts';
import {
  join,
  readContext,
  runReadJob,
  type FromWorker,
  type ReadContext,
  type ReadJobInput,
  type ReadJobName,
  type ReadJobOutput,
  type ToWorker,
} from './read-jobs.ts';

/**
 * Wraps a job's progress sink so the job always ends with done === total, even when it
 * stops early (a broken chain link) or fails: a progress bar never stays up.
 */
function finishing(progress: Progress | undefined): { sink: Progress | undefined; end(): void } {
  if (!progress) return { sink: undefined, end: () => undefined };
  let last: [number, number] | null = null;
  return {
    sink(done, total) {
      last = [done, total];
      progress(done, total);
    },
    end() {
      if (last && last[0] < last[1]) progress(last[1], last[1]);
    },
  };
}

export interface ReadJobs {
  readonly mode: 'worker' | 'in-thread';
  run<K extends ReadJobName>(job: K, input: ReadJobInput<K>, progress?: Progress): Promise<ReadJobOutput<K>>;
  /** Stops the worker; jobs still held fail with a clear error. */
  close(): Promise<void>;
}

export interface WorkerReadJobs extends ReadJobs {
  readonly mode: 'worker';
  /** The running worker, if one is up (tests end it to prove a crash is handled). */
  readonly worker: Worker | null;
  /** Workers started so far (a restart after a crash counts). */
  readonly started: number;
  /** The scheduling priority (nice) the running worker's thread reported, once it is up. */
  readonly priority: number | null;
}

/** A job's worker said nothing (no progress, no result) for this long: it is stuck. */
export const DEFAULT_STALL_TIMEOUT_MS = 180_000;

/** The same job functions on the caller's own connection (for `:memory:` stores, and the bench baseline). */
export function inThreadReadJobs(db: Db): ReadJobs {
  let ctx: ReadContext | null = null;
  return {
    mode: 'in-thread',
    run(job, input, progress) {
      const p = finishing(progress);
      try {
        ctx ??= readContext(db);
        return Promise.resolve(runReadJob(ctx, job, input, p.sink ?? (() => undefined)) as ReadJobOutput<typeof job>);
      } catch (error) {
        return Promise.reject(error as Error);
      } finally {
        p.end();
      }
    },
    close: () => Promise.resolve(),
  };
}

/** Where the worker's entry is: this folder's .ts in source runs, out/main/read-worker.js in the bundle. */
function workerEntry(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './read-worker.ts' : './read-worker.js', here);
}

interface Held {
  job: ReadJobName;
  /** The worker that holds it: a late exit of a replaced worker fails only its own jobs. */
  worker: Worker;
  resolve(value: unknown): void;
  reject(error: Error): void;
  progress: Progress | undefined;
  /** Parts of the answer received so far. */
  parts: { key: string; rows: unknown[] }[];
}

export function workerReadJobs(options: {
  file: string;
  log: (message: string, detail?: unknown) => void;
  stallTimeoutMs?: number;
  /** Rows per message for long arrays in answers (tests make it small to exercise the split). */
  partRows?: number;
}): WorkerReadJobs {
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const held = new Map<number, Held>();
  let worker: Worker | null = null;
  let started = 0;
  let priority: number | null = null;
  let nextId = 1;
  let closed = false;
  let lastHeard = 0;
  let watchdog: ReturnType<typeof setInterval> | null = null;

  const failAll = (owner: Worker, error: ApiError) => {
    for (const [id, h] of held) {
      if (h.worker !== owner) continue;
      held.delete(id);
      h.reject(new ApiFailure(error));
    }
    if (held.size === 0) stopWatchdog();
  };

  function stopWatchdog(): void {
    if (watchdog) clearInterval(watchdog);
    watchdog = null;
  }

  function startWatchdog(): void {
    if (watchdog) return;
    watchdog = setInterval(
      () => {
        if (!worker || held.size === 0 || Date.now() - lastHeard < stallTimeoutMs) return;
        const stuck = worker;
        const jobs = [...new Set([...held.values()].map((h) => h.job))].join(', ');
        options.log(`background reader stopped answering for ${stallTimeoutMs} ms (jobs: ${jobs}); restarting it`);
        worker = null;
        failAll(
          stuck,
          apiError('internal', `the background reader stopped answering during ${jobs}; it was restarted: try again`),
        );
        void stuck.terminate();
      },
      Math.max(10, Math.floor(stallTimeoutMs / 4)),
    );
    watchdog.unref();
  }

  function spawn(): Worker {
    // The worker sends an answer's parts one at a time, each after the core has taken the last.
    const taken = new Int32Array(new SharedArrayBuffer(4));
    const w = new Worker(workerEntry(), {
      workerData: { file: options.file, partRows: options.partRows, ack: taken.buffer },
    });
    started += 1;
    let crash: Error | null = null;
    w.on('message', (message: FromWorker) => {
      lastHeard = Date.now();
      if (message.type === 'started') {
        priority = message.priority;
        return;
      }
      // Take every part in, even one of a job already failed, so the worker never waits on it.
      if (message.type === 'part') {
        Atomics.store(taken, 0, 1);
        Atomics.notify(taken, 0);
      }
      const h = held.get(message.id);
      if (!h) return;
      if (message.type === 'progress') {
        try {
          h.progress?.(message.done, message.total);
        } catch (error) {
          options.log('a job progress listener failed', error);
        }
        return;
      }
      if (message.type === 'part') {
        h.parts.push({ key: message.key, rows: message.rows });
        return;
      }
      held.delete(message.id);
      if (held.size === 0) stopWatchdog();
      if (message.type === 'done') h.resolve(join(message.value, h.parts));
      else h.reject(message.api ? new ApiFailure(message.api as ApiError) : new Error(message.message));
    });
    w.on('error', (error) => {
      crash = error;
      options.log('background reader crashed', error);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      const mine = [...held.values()].filter((h) => h.worker === w);
      if (mine.length === 0) return;
      const jobs = [...new Set(mine.map((h) => h.job))].join(', ');
      const why = crash ? `crashed (${crash.message})` : `stopped (exit code ${code})`;
      const next = closed ? 'the console is closing' : 'a new one takes the next request: try again';
      failAll(w, apiError('internal', `the background reader ${why} during ${jobs}; ${next}`));
    });
    return w;
  }

  return {
    mode: 'worker',
    get worker() {
      return worker;
    },
    get started() {
      return started;
    },
    get priority() {
      return priority;
    },
    run(job, input, progress) {
      if (closed) return Promise.reject(new ApiFailure(apiError('store_unavailable', 'the console is closing')));
      worker ??= spawn();
      const w = worker;
      const id = nextId++;
      const p = finishing(progress);
      const answer = new Promise<ReadJobOutput<typeof job>>((resolve, reject) => {
        if (held.size === 0) lastHeard = Date.now();
        held.set(id, {
          job,
          worker: w,
          resolve: resolve as (value: unknown) => void,
          reject,
          progress: p.sink,
          parts: [],
        });
        startWatchdog();
        w.postMessage({ id, job, input } satisfies ToWorker);
      });
      return answer.finally(() => p.end());
    },
    async close() {
      closed = true;
      stopWatchdog();
      const w = worker;
      worker = null;
      if (!w) return;
      failAll(w, apiError('store_unavailable', 'the console is closing'));
      await w.terminate();
    },
  };
}

/** The core's reader: a worker beside a file store, in-thread for `:memory:`. */
export function createReadJobs(
  store: { file: string; db: Db },
  log: (message: string, detail?: unknown) => void,
): ReadJobs {
  return store.file === ':memory:' ? inThreadReadJobs(store.db) : workerReadJobs({ file: store.file, log });
}
