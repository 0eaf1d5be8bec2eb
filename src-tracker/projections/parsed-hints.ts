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
 * a replay, anything stored before a restart) is parsed as before. A stored row never changes,
 * so a hint stays true for the process's life: hints are kept after a catch-up used them, since
 * during a drain the next catch-up reads most of them again. A stream touched by two fold
 * windows (an incident whose follow-ups came a push later) is folded again from all its
 * events, and without its earlier events' hints those were parsed again (docs/performance.md,
 * branch 16ad). A drain's
 * pushes merge into one range, so this is a few numbers per console; at most MAX_RANGES are
 * held per facility, the lowest seqs dropped first (the streams least likely to be folded again).
 */
import type { PushResult } from '../../src-shared/sync-wire.ts';

/** Ascending, disjoint [from, to] ranges of seqs (both ends included). */
export type SeqRanges = readonly (readonly [number, number])[];

/** Beyond this many ranges per facility, those of the lowest seqs are dropped: they are only hints. */
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
  /** Whether a seq's stored payload is its own parse, by the facility's hints so far (kept for later catch-ups). */
  lookup(facility: string): (seq: number) => boolean;
}

interface Held {
  ranges: [number, number][];
  /** Ascending and disjoint (false once a range arrived out of order). */
  sorted: boolean;
}

/** Sorted and merged (groups of pushes may commit out of arrival order on PostgreSQL); the lowest seqs dropped past MAX_RANGES. */
function compact(held: Held): void {
  const merged: [number, number][] = [];
  for (const [from, to] of held.ranges.sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  held.ranges = merged.length > MAX_RANGES ? merged.slice(merged.length - MAX_RANGES) : merged;
  held.sorted = true;
}

export function createParsedHints(): ParsedHints {
  const byFacility = new Map<string, Held>();
  return {
    add(facility, ranges) {
      if (ranges.length === 0) return;
      const held = byFacility.get(facility) ?? { ranges: [], sorted: true };
      for (const [from, to] of ranges) {
        const last = held.ranges.at(-1);
        // Pushes commit in seq order, so a drain's ranges follow each other: one range for all of them.
        if (last && from === last[1] + 1) last[1] = to;
        else {
          if (last && from <= last[1]) held.sorted = false;
          held.ranges.push([from, to]);
        }
      }
      // Bounded even if no catch-up comes (a standby): compacted once twice the bound is reached.
      if (held.ranges.length > 2 * MAX_RANGES) compact(held);
      byFacility.set(facility, held);
    },
    lookup(facility) {
      const held = byFacility.get(facility);
      if (!held || held.ranges.length === 0) return () => false;
      if (!held.sorted || held.ranges.length > MAX_RANGES) compact(held);
      // Not a copy: a push notified while the run reads (its rows committed before the run read
      // its head, its notice came after) is seen by the run's later reads, which in a drain hold
      // that push's rows (the newest streams come last). A range appended out of order, or
      // compacted away meanwhile, can only make a lookup miss: the payload is then parsed.
      const ranges = held.ranges;
      return (seq) => {
        let low = 0;
        let high = ranges.length - 1;
        while (low <= high) {
          const mid = (low + high) >> 1;
          const [from, to] = ranges[mid]!;
          if (seq < from) high = mid - 1;
          else if (seq > to) low = mid + 1;
          else return true;
        }
        return false;
      };
    },
  };
}
