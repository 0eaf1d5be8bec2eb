/**
 * Half-open time intervals [from, to) in epoch ms, the arithmetic under every figure:
 * a line's downtime is the measure of its merged DOWN intervals clipped to a period.
 * Every function returns sorted, non-overlapping, non-empty intervals.
 */
export interface Interval {
  from: number;
  to: number;
}

/** Sort and join overlapping or touching intervals; drop empty ones. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ from: i.from, to: i.to });
  }
  return out;
}

/** The parts of merged `intervals` inside `window`. */
export function clipIntervals(intervals: readonly Interval[], window: Interval): Interval[] {
  const out: Interval[] = [];
  for (const i of intervals) {
    if (i.to <= window.from) continue;
    if (i.from >= window.to) break;
    out.push({ from: Math.max(i.from, window.from), to: Math.min(i.to, window.to) });
  }
  return out;
}

/** Merged `a` minus merged `b`. */
export function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const i of a) {
    let from = i.from;
    while (j < b.length && b[j]!.to <= from) j += 1;
    let k = j;
    while (k < b.length && b[k]!.from < i.to) {
      const cut = b[k]!;
      if (cut.from > from) out.push({ from, to: cut.from });
      from = Math.max(from, cut.to);
      k += 1;
    }
    if (from < i.to) out.push({ from, to: i.to });
  }
  return out;
}

export function measure(intervals: readonly Interval[]): number {
  let total = 0;
  for (const i of intervals) total += i.to - i.from;
  return total;
}

export function longest(intervals: readonly Interval[]): number {
  let max = 0;
  for (const i of intervals) max = Math.max(max, i.to - i.from);
  return max;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.from < b.to && b.from < a.to;
}
