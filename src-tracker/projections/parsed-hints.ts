/**
 * Which stored events HQ's projector may fold without parsing their payload again.
 *
 * Why: the folds (src-shared/incident-fold.ts, outage-fold.ts) read every payload through
 * its zod schema (`parseEventPayload`), which was the projector thread's largest cost of its
 * own during a drain (issue 16, branch 16q). Every pushed payload was already parsed by that
 * schema on a verification worker, and for nearly all of them the schema returned the payload
 * unchanged (validate-push.ts `checkPayloads`). The push route hands the projector the seqs of
 * those events (as ranges: a drain's push is one), and the projector registers their stored
 * payload as its own parse (`markParsed`), which is then exactly what parsing it would give.
 *
 * A hint only ever saves work: an event without one (a payload the schema trims or completes,
 * a replay, anything stored before a restart, anything notified while a catch-up already read
 * its head) is parsed as before. Hints live until the next catch-up of their facility takes
 * them, so they never outlast one run, and at most MAX_RANGES are held per facility.
 */
import type { PushResult } from '../../src-shared/sync-wire.ts';

/** Ascending, disjoint [from, to] ranges of seqs (both ends included). */
export type SeqRanges = readonly (readonly [number, number])[];

/** Beyond this many ranges per facility (a run that never comes), the oldest are dropped: they are only hints. */
const MAX_RANGES = 10_000;

/** The seqs of the events a push stored whose payload its schema keeps as it is, as ranges. */
export function asParsedSeqs(results: readonly PushResult[], asParsed: ReadonlySet<string>): [number, number][] {
  const seqs: number[] = [];
  for (const r of results) if (r.status === 'accepted' && asParsed.has(r.id)) seqs.push(r.serverSeq);
  seqs.sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const seq of seqs) {
    const last = ranges.at(-1);
    if (last && seq <= last[1] + 1) last[1] = Math.max(last[1], seq);
    else ranges.push([seq, seq]);
  }
  return ranges;
}

export interface ParsedHints {
  add(facility: string, ranges: SeqRanges): void;
  /** The facility's hints so far, removed: whether a seq's stored payload is its own parse. */
  take(facility: string): (seq: number) => boolean;
}

export function createParsedHints(): ParsedHints {
  const byFacility = new Map<string, [number, number][]>();
  return {
    add(facility, ranges) {
      if (ranges.length === 0) return;
      const held = byFacility.get(facility) ?? [];
      for (const [from, to] of ranges) {
        const last = held.at(-1);
        // Pushes commit in seq order, so a drain's ranges follow each other: one range for all of them.
        if (last && from === last[1] + 1) last[1] = to;
        else held.push([from, to]);
      }
      if (held.length > MAX_RANGES) held.splice(0, held.length - MAX_RANGES);
      byFacility.set(facility, held);
    },
    take(facility) {
      const held = byFacility.get(facility) ?? [];
      byFacility.delete(facility);
      if (held.length === 0) return () => false;
      // Groups of pushes may commit out of arrival order on PostgreSQL: sort once, then search.
      held.sort((a, b) => a[0] - b[0]);
      return (seq) => {
        let low = 0;
        let high = held.length - 1;
        while (low <= high) {
          const mid = (low + high) >> 1;
          const [from, to] = held[mid]!;
          if (seq < from) high = mid - 1;
          else if (seq > to) low = mid + 1;
          else return true;
        }
        return false;
      };
    },
  };
}
