/**
 * Signature checks off the event loop. An Ed25519 verification costs tens of
 * microseconds, so a 1,000-event push is tens of milliseconds of CPU: on the event loop
 * that stalls every other console's request and caps ingest at one core. Here a push's
 * events are split across worker threads (one per core) and checked in parallel; the
 * event loop meanwhile parses, authenticates and commits other pushes.
 *
 * Only the tiniest batches are checked inline: posting to a worker costs about as much
 * as a handful of checks, and even a 25-event live push is more than a millisecond of
 * verification that 200 consoles would otherwise queue on the event loop. A worker that dies fails the pushes it held (the
 * consoles retry) and is replaced. The push route has the workers check the payloads'
 * schemas too (`AuthorCheck.payloads`), which was a tenth of a drain's event loop.
 */
import { availableParallelism } from 'node:os';
import { createWorkerJobs } from '../../src-common/worker-jobs.ts';
import { checkSlice, type AuthorCheck, type SliceVerdict } from './author-check.ts';

const INLINE_BELOW = 8;

export interface VerifyPool {
  /** The batch's first refusal and first bad payload, and the payloads their schema keeps as they are, with indexes into `check.events`. */
  check(check: AuthorCheck): Promise<SliceVerdict>;
  close(): Promise<void>;
}

export function createVerifyPool(size = Math.max(1, availableParallelism())): VerifyPool {
  const workers = createWorkerJobs<AuthorCheck, SliceVerdict>({
    entry: new URL('./verify-worker.ts', import.meta.url),
    size,
  });
  let closed = false;

  return {
    async check(check) {
      if (closed || check.events.length < INLINE_BELOW) return checkSlice(check);
      const slice = Math.ceil(check.events.length / workers.size);
      const parts = Array.from({ length: workers.size }, (_, i) => ({
        offset: i * slice,
        result: workers.run(i, { ...check, events: check.events.slice(i * slice, (i + 1) * slice) }),
      }));
      // The slices are in order, so the first slice that found one holds the batch's first.
      const merged: SliceVerdict = { refusal: null, badPayload: null, asParsed: [] };
      for (const { offset, result } of parts) {
        const { refusal, badPayload, asParsed } = await result;
        for (const index of asParsed) merged.asParsed.push(offset + index);
        if (refusal && !merged.refusal) merged.refusal = { ...refusal, index: offset + refusal.index };
        if (badPayload && !merged.badPayload) merged.badPayload = { ...badPayload, index: offset + badPayload.index };
      }
      return merged;
    },
    async close() {
      closed = true;
      await workers.close();
    },
  };
}
