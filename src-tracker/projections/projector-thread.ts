/**
 * HQ's projector on a worker thread of its own (issue 16), for a tracker on a SQLite file.
 *
 * Why: the projector (projector.ts) reads every touched stream back, parses and folds it
 * and writes HQ's rows. In-process that ran on the event loop the pushes need: during a
 * drain it refolded about once a second, and each refold held the loop for as long as
 * several pushes' inserts. Here the same projector runs on a worker thread with its own
 * connection to the file: reads, parsing and folding leave the tracker's event loop
 * entirely, and its transactions only write (readStreams outside, writeStreams inside),
 * so they hold SQLite's one writer for the upserts alone; a push that finds the writer
 * taken waits for it (busy_timeout), and the projector waits for a push's commit the same way.
 *
 * What stays as it was: the events are the truth and the per-facility cursors move in the
 * transactions that cover them, so a run cut short (a crash of the thread, of the process)
 * only repeats work; `settled()` resolves once every push answered before the call shows
 * in HQ's tables, because the thread gets the `notify` of each push before any later
 * `settle` (one port, in order) and HQ then reads on the tracker's connection, which sees
 * the thread's commits (WAL).
 *
 * A thread that dies (an uncaught error, an abort) is logged and replaced; the new one
 * catches every facility up from its cursor, as a tracker does at start. Reads it held
 * answer with what HQ's tables hold (as after a failed run, which is logged too); reads
 * that arrive before the replacement runs wait for it. Replacements are at least a second
 * apart, so a thread failing at start cannot spin.
 *
 * PostgreSQL keeps the in-process projector: several trackers share the database there and
 * only the advisory-lock leader folds (cluster/pg-cluster.ts), and `:memory:` SQLite has no
 * file for a second connection.
 */
import { Worker } from 'node:worker_threads';
import { writerGate } from '../db/writer-gate.ts';
import type { HqProjector } from './projector.ts';
import type { SeqRanges } from './parsed-hints.ts';

export interface ProjectorThreadData {
  file: string;
  /** The tracker's writer gate (db/writer-gate.ts), shared with the thread's connection. */
  writerGate: SharedArrayBuffer;
  delayMs?: number;
  maxDelayMs?: number;
}

export type ToProjector =
  { kind: 'notify'; facility: string; asParsed?: SeqRanges } | { kind: 'settle'; id: number } | { kind: 'stop' };

export type FromProjector =
  | { kind: 'settled'; id: number }
  | { kind: 'error'; facility: string; message: string; stack: string | null }
  | { kind: 'stopped' };

/** The least time between two starts of the thread, so one failing at start cannot spin. */
const RESTART_GAP_MS = 1_000;

export interface ProjectorThreadOptions {
  delayMs?: number;
  maxDelayMs?: number;
  /** A run failed on the thread (it retries); `error` carries the thread's message and stack. */
  onError?: (error: Error, facility: string) => void;
  /** The thread died and is being replaced. */
  onCrash?: (error: Error) => void;
}

export interface ProjectorThread extends HqProjector {
  /** Threads started so far (a replacement after a crash counts). */
  readonly started: number;
  /** The thread running now (tests end it to prove a crash loses nothing). */
  worker(): Worker | null;
}

export function createProjectorThread(
  file: string,
  writerGateBuffer: SharedArrayBuffer,
  options: ProjectorThreadOptions = {},
): ProjectorThread {
  const data: ProjectorThreadData = {
    file,
    writerGate: writerGateBuffer,
    ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}),
    ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
  };
  /** Reads waiting for the thread to settle, by id; those that came while no thread ran are posted to the next. */
  const waiting = new Map<number, () => void>();
  let nextId = 1;
  let started = 0;
  let current: Worker | null = null;
  let startedAt = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let stopping: Promise<void> | null = null;

  function spawn(): void {
    restartTimer = null;
    if (stopping) return;
    // Named so the thread's CPU shows apart from the verification workers' (/proc/<pid>/task/<tid>/comm).
    const worker = new Worker(new URL('./projector-worker.ts', import.meta.url), {
      workerData: data,
      name: 'hq-projector',
    });
    current = worker;
    // Read now: a worker's threadId is -1 once it has exited.
    const threadId = worker.threadId;
    started += 1;
    startedAt = Date.now();
    // HQ reads wait on it, the tracker's shutdown stops it: it never needs to hold the process open.
    worker.unref();
    worker.on('message', (message: FromProjector) => {
      if (message.kind === 'settled') {
        const resolve = waiting.get(message.id);
        waiting.delete(message.id);
        resolve?.();
      } else if (message.kind === 'error') {
        const error = new Error(message.message);
        if (message.stack) error.stack = message.stack;
        options.onError?.(error, message.facility);
      }
    });
    let gone = false;
    const died = (error: Error) => {
      if (gone) return;
      gone = true;
      // A thread ended mid-transaction: SQLite rolled it back when its connection went; the gate too.
      writerGate(writerGateBuffer).releaseHeldBy(threadId);
      if (current !== worker) return;
      current = null;
      // Reads it held answer with what HQ's tables hold, as after a failed run (logged here).
      for (const resolve of waiting.values()) resolve();
      waiting.clear();
      if (stopping) return;
      options.onCrash?.(error);
      restartTimer = setTimeout(spawn, Math.max(0, startedAt + RESTART_GAP_MS - Date.now()));
      restartTimer.unref();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`HQ projector thread exited with code ${code}`)));
    // Reads that came while no thread ran: the replacement catches up everything first.
    for (const id of waiting.keys()) worker.postMessage({ kind: 'settle', id } satisfies ToProjector);
  }

  spawn();

  return {
    notify(facility, asParsed) {
      // Without a thread (between a crash and its replacement) nothing is lost: the
      // replacement catches every facility up from its cursor.
      current?.postMessage({ kind: 'notify', facility, ...(asParsed ? { asParsed } : {}) } satisfies ToProjector);
    },
    async becameLeader() {
      // Only PostgreSQL trackers elect a leader; a SQLite file has one tracker.
    },
    settled() {
      if (stopping) return Promise.resolve();
      const id = nextId++;
      return new Promise<void>((resolve) => {
        waiting.set(id, resolve);
        current?.postMessage({ kind: 'settle', id } satisfies ToProjector);
      });
    },
    stop() {
      stopping ??= (async () => {
        if (restartTimer) clearTimeout(restartTimer);
        restartTimer = null;
        for (const resolve of waiting.values()) resolve();
        waiting.clear();
        const worker = current;
        current = null;
        if (!worker) return;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        // Whoever stops it waits for it: the database file closes after (server.ts onClose).
        worker.ref();
        worker.postMessage({ kind: 'stop' } satisfies ToProjector);
        await exited;
      })();
      return stopping;
    },
    get started() {
      return started;
    },
    worker: () => current,
  };
}
