/**
 * Large frames from peers are parsed and prepared on a worker thread (issue 12): during a
 * catch-up the receiving console's thread was the limit, and about a quarter of its time was
 * pure work on the received batches — JSON and the wire schema, each payload's schema,
 * canonical text, author hashes, Ed25519 checks. The session posts a frame here as soon as its
 * bytes are in, so the worker prepares batch N+1 while the console's thread stores batch N;
 * the console's thread keeps what needs its database (held copies, the held feed,
 * revocations, the keyring's decisions, the append).
 *
 * One worker, started when the mesh listens or dials, so it has loaded by the time a peer's
 * catch-up arrives; frames that arrive before it has are prepared inline. It pays where a
 * core is free for it (the sender's leaves one idle on a quiet machine); where none is, the
 * console's total work is the same, only split, and `--mesh-prepare inline` turns it off
 * (docs/performance.md, "The gate off the receiver's thread"). The job carries the keyring
 * as it is when the frame arrives (tens of entries). A worker that dies, or answers nothing
 * for 10 s, is replaced and logged, and the frames it held are prepared on the console's
 * thread instead, in their place: nothing is lost, skipped or reordered.
 */
import type { Keyring, KeyringEntry } from '../../../src-common/trust/index.ts';
import { createWorkerJobs, type WorkerJobs } from '../../../src-common/worker-jobs.ts';
import type { ChainPlan, RechainedFrame } from '../sync/received-prep.ts';
import { prepareFrame, unpackFrame, type PackedFrame, type PreparedFrame } from './frame-prep.ts';

/** The frame preparer's thread name (what /proc/<pid>/task/<tid>/comm shows under Node 24). */
export const FRAME_PREPARER_THREAD = 'FramePreparer';

/** Frames smaller than this are parsed inline: a live event's frame is cheaper to parse than to post. */
export const PREPARE_OFF_THREAD_BYTES = 16 * 1024;

type FrameJob =
  | { body: Uint8Array; keys: KeyringEntry[]; plan: ChainPlan | null }
  | { rechain: Pick<ChainPlan, 'head' | 'storedThrough'> };

export interface FramePreparer {
  /** Parses `body` (and prepares its events) off this thread; never rejects. */
  prepare(body: Buffer): Promise<PreparedFrame>;
  /**
   * Frames the worker prepared; frames prepared on the console's thread because it failed; and
   * frames prepared there because it had not loaded yet (a catch-up right after start-up).
   */
  readonly counts: { offThread: number; fellBack: number; beforeReady: number };
  /**
   * The frames up to `job` (PreparedFrame `job`) are stored, or refused: the worker guesses the
   * next frames' chain hashes from the log's head after them (received-prep.ts `createChainAhead`).
   */
  stored(job: number): void;
  /**
   * After the frames up to `job` were stored: when the log's head is not `guessedTip` (the
   * last guess of what was stored, so the worker's guesses for the frames after are off: the
   * console's own events went in between), the worker chains the frames it answered and that
   * are not stored yet again from the head; the answer is their new guesses. Null when nothing
   * is asked (on track, no guesses, or the worker not there).
   */
  rechain(job: number, guessedTip: string): Promise<RechainedFrame[]> | null;
  /** The worker jobs (tests end the worker to prove a crash loses nothing). */
  readonly jobs: WorkerJobs<FrameJob, PackedFrame | RechainedFrame[]>;
  close(): Promise<void>;
}

/** Where the worker's entry is: this folder's .ts in source runs, out/main/frame-prepare-worker.js in the bundle. */
function workerEntry(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './frame-prepare-worker.ts' : './frame-prepare-worker.js', here);
}

export function createFramePreparer(deps: {
  keyring: Keyring;
  log(message: string): void;
  /** The hash the console's log ends with (absent: no chain hashes are guessed ahead). */
  chainHead?: () => string;
}): FramePreparer {
  const jobs = createWorkerJobs<FrameJob, PackedFrame | RechainedFrame[]>({
    entry: workerEntry(),
    size: 1,
    // A frame is at most 1,000 events (tens of ms); a worker silent this long is hung: replaced, its frames done here.
    stallMs: 10_000,
    // Its own thread name: the mesh bench reports its CPU apart from SQLite's checkpointer's worker.
    name: FRAME_PREPARER_THREAD,
    onReplaced: (_slot, error) => deps.log(`mesh: the frame preparer stopped (${error.message}); started a new one`),
  });
  let closed = false;
  const counts = { offThread: 0, fellBack: 0, beforeReady: 0 };
  let lastJob = 0;
  let storedThrough = 0;
  return {
    jobs,
    counts,
    stored(job) {
      storedThrough = Math.max(storedThrough, job);
    },
    rechain(job, guessedTip) {
      if (!deps.chainHead || closed || !jobs.ready(0)) return null;
      const head = deps.chainHead();
      if (head === guessedTip) return null;
      return jobs.run(0, { rechain: { head, storedThrough: Math.max(storedThrough, job) } }).then(
        (answer) => (Array.isArray(answer) ? answer : []),
        () => [], // a worker that died: the guesses stay as they are (a miss costs a hash, never the chain)
      );
    },
    async prepare(body) {
      const job = ++lastJob;
      // A worker still loading its code (hundreds of ms on a busy machine) would hold the frame
      // that long; until it is ready this thread prepares frames itself, as before.
      if (!jobs.ready(0)) {
        counts.beforeReady += 1;
        return { ...prepareFrame(body, null), job };
      }
      try {
        const plan = deps.chainHead ? { job, head: deps.chainHead(), storedThrough } : null;
        const posted = performance.timeOrigin + performance.now();
        const answer = await jobs.run(0, { body, keys: deps.keyring.all(), plan });
        if (Array.isArray(answer)) throw new Error('the worker answered a frame with guesses');
        counts.offThread += 1;
        const part = unpackFrame(body, answer);
        if ('timing' in part && part.timing) part.timing.posted = posted;
        return { ...part, job };
      } catch (error) {
        counts.fellBack += 1;
        if (!closed)
          deps.log(
            `mesh: a ${body.length}-byte frame is prepared on the console's thread: ${(error as Error).message}`,
          );
        return { ...prepareFrame(body, null), job };
      }
    },
    close() {
      closed = true;
      return jobs.close();
    },
  };
}
