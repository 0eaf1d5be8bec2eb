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
import { packEnvelopes, type PackedEnvelopes } from './packed-envelopes.ts';

const INLINE_BELOW = 8;

/** A worker's job: a slice of the check, its envelopes packed (packed-envelopes.ts). */
export type PackedCheck = Omit<AuthorCheck, 'events'> & { packed: PackedEnvelopes };

export interface VerifyPool {
  /**
   * The batch's first refusal and first bad payload, and the payloads their schema keeps as they are, with indexes into `check.events`.
   * `payloadTexts[i]`, when given, is JSON.stringify of `check.events[i].payload` (the push's stored text).
   */
  check(check: AuthorCheck, payloadTexts?: readonly (string | undefined)[]): Promise<SliceVerdict>;
  close(): Promise<void>;
}

export function createVerifyPool(size = Math.max(1, availableParallelism())): VerifyPool {
  const workers = createWorkerJobs<PackedCheck, SliceVerdict>({
    entry: new URL('./verify-worker.ts', import.meta.url),
    size,
  });
  let closed = false;

  return {
    async check(check, payloadTexts) {
      if (closed || check.events.length < INLINE_BELOW) return checkSlice(check);
      const slice = Math.ceil(check.events.length / workers.size);
      const { events, ...rest } = check;
      const parts = Array.from({ length: workers.size }, (_, i) => {
        const [from, to] = [i * slice, (i + 1) * slice];
        return {
          offset: from,
          result: workers.run(i, {
            ...rest,
            packed: packEnvelopes(events.slice(from, to), payloadTexts?.slice(from, to)),
          }),
        };
      });
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
