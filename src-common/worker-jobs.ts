/**
 * Jobs on worker threads, answered by id: the mechanics the tracker's verification pool
 * (src-tracker/events/verify-pool.ts) and the console's frame preparer
 * (src-main/core/mesh/frame-preparer.ts) share.
 *
 * A job goes to the worker of one slot; a worker answers its jobs in the order it took
 * them. A worker that dies (an uncaught error, an exit, a kill) fails the jobs it held —
 * their callers decide what that means (the tracker fails the push and the console
 * retries; the console prepares the frame on its own thread) — and is replaced. A job
 * whose handler throws is failed alone; the worker lives on. With `stallMs`, a worker that
 * has not answered a job that long is ended the same way, so a hung worker cannot hold
 * its callers forever.
 */
import { parentPort, Worker } from 'node:worker_threads';

type JobMessage<Job> = { id: number; job: Job };
type AnswerMessage<Answer> = { id: number; answer: Answer } | { id: number; error: string } | { ready: true };

export interface WorkerJobs<Job, Answer> {
  readonly size: number;
  run(slot: number, job: Job): Promise<Answer>;
  /** Workers started so far (a replacement after a crash counts). */
  readonly started: number;
  /** Jobs posted and not yet answered or failed. */
  readonly pending: number;
  /**
   * Whether the slot's worker has loaded its code (it says so once `answerJobs` runs). A job
   * posted before waits for that — hundreds of milliseconds on a busy machine — so a caller
   * with a way to do the job itself may prefer to until then.
   */
  ready(slot: number): boolean;
  /** The worker serving a slot now (tests end it to prove a crash loses nothing). */
  worker(slot: number): Worker;
  close(): Promise<void>;
}

/** How many stall budgets a worker may take to load its code before its jobs fail. */
const LOADING_ALLOWANCE = 10;

export function createWorkerJobs<Job, Answer>(options: {
  entry: URL;
  size: number;
  /** Told when a worker died and was replaced (the jobs it held are failed with `error`). */
  onReplaced?: (slot: number, error: Error) => void;
  /** A job unanswered this long ends its worker (absent: never). */
  stallMs?: number;
  /**
   * The workers' thread name (Node 24 names the OS thread after it; 15 characters show in
   * /proc), so a bench can tell their CPU from other workers' (absent: Node's `WorkerThread`).
   */
  name?: string;
}): WorkerJobs<Job, Answer> {
  const pending = new Map<
    number,
    { worker: Worker; resolve(answer: Answer): void; reject(error: Error): void; timer: NodeJS.Timeout | null }
  >();
  /** Workers that said they are ready. */
  const loaded = new WeakSet<Worker>();
  let nextId = 1;
  let started = 0;
  let closed = false;

  function spawn(): Worker {
    const worker = new Worker(options.entry, options.name === undefined ? {} : { name: options.name });
    started += 1;
    worker.unref();
    worker.on('message', (message: AnswerMessage<Answer>) => {
      if ('ready' in message) {
        loaded.add(worker);
        // Jobs posted while it loaded start their stall clock now: loading is not a hang.
        for (const [id, job] of pending) {
          if (job.worker !== worker || job.timer === null) continue;
          clearTimeout(job.timer);
          job.timer = stallTimer(id, worker, 1);
        }
        return;
      }
      const job = pending.get(message.id);
      if (!job) return;
      pending.delete(message.id);
      if (job.timer) clearTimeout(job.timer);
      if ('error' in message) job.reject(new Error(message.error));
      else job.resolve(message.answer);
    });
    worker.on('error', (error) => fail(worker, error));
    worker.on('exit', (code) => fail(worker, new Error(`worker exited with code ${code}`)));
    return worker;
  }

  const workers = Array.from({ length: options.size }, spawn);

  /**
   * With `stallMs`, ends `worker` if job `id` is still unanswered `times` × stallMs after
   * this. A worker still loading its code (hundreds of ms for a replacement on a busy
   * machine) is given LOADING_ALLOWANCE times that, and the clock starts again once it has.
   */
  function stallTimer(id: number, worker: Worker, times: number): NodeJS.Timeout | null {
    const stallMs = options.stallMs;
    if (stallMs === undefined) return null;
    return setTimeout(() => {
      if (!pending.has(id)) return;
      // Fail its jobs now (the exit that follows finds none) and replace it.
      fail(worker, new Error(`worker answered no job for ${stallMs * times} ms`));
      void worker.terminate();
    }, stallMs * times).unref();
  }

  function fail(worker: Worker, error: Error): void {
    for (const [id, job] of pending) {
      if (job.worker !== worker) continue;
      pending.delete(id);
      if (job.timer) clearTimeout(job.timer);
      job.reject(error);
    }
    const slot = workers.indexOf(worker);
    if (slot < 0 || closed) return;
    workers[slot] = spawn();
    options.onReplaced?.(slot, error);
  }

  return {
    size: options.size,
    get started() {
      return started;
    },
    get pending() {
      return pending.size;
    },
    worker: (slot) => workers[slot]!,
    ready: (slot) => loaded.has(workers[slot]!),
    run(slot, job) {
      if (closed) return Promise.reject(new Error('the worker jobs are closed'));
      const worker = workers[slot]!;
      const id = nextId++;
      return new Promise<Answer>((resolve, reject) => {
        const timer = stallTimer(id, worker, loaded.has(worker) ? 1 : LOADING_ALLOWANCE);
        pending.set(id, { worker, resolve, reject, timer });
        worker.postMessage({ id, job } satisfies JobMessage<Job>);
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
      for (const job of pending.values()) {
        if (job.timer) clearTimeout(job.timer);
        job.reject(new Error('closing'));
      }
      pending.clear();
    },
  };
}

/** The worker's side: answers each job with `handle`'s result, or fails that job alone when it throws. */
export function answerJobs<Job, Answer>(handle: (job: Job) => Answer): void {
  const port = parentPort;
  if (!port) throw new Error('answerJobs runs in a worker thread');
  port.postMessage({ ready: true } satisfies AnswerMessage<Answer>);
  port.on('message', ({ id, job }: JobMessage<Job>) => {
    let message: AnswerMessage<Answer>;
    try {
      message = { id, answer: handle(job) };
    } catch (error) {
      message = { id, error: (error as Error).stack ?? String(error) };
    }
    port.postMessage(message);
  });
}
