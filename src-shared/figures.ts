/**
 * Outage figures for a period, per line, unit and facility: availability, outage count,
 * total and longest downtime, carrier response times. Pure and deterministic, so the
 * console and the tracker compute the same numbers from the same events.
 *
 * The rules (docs/tmf621-mapping.md repeats them for the carrier):
 * - A line's state holds from its status change until the next one (fold order). Before
 *   its first change, in UNKNOWN, and after `asOf` nothing was measured: that time is
 *   left out of the observed time, so a console that was off does not count as "up".
 * - A line is down while it is DOWN, and while a reported outage on it stands (confirmed
 *   or resolved by a supervisor; not dismissed, not awaiting confirmation).
 * - Everything is clipped to the period; an open outage runs until `asOf`.
 * - availability = (observed − down) / observed. For a unit or the facility the times
 *   are summed over lines (line-time); `downtimeMs` there is wall-clock time with at
 *   least one line down, `lineDowntimeMs` the sum over lines.
 * - Outages count when they overlap the period and were not dismissed.
 * - MTTA: carrier reported -> acknowledged. MTTR: outage start -> restored (the carrier's
 *   restore time, else the measured recovery). Means over outages that have both ends.
 * - Carrier response is overdue when neither acknowledgement nor restoration came within
 *   N hours of the report (`late` when it came, but after N hours).
 */
import { z } from 'zod';
import {
  clipIntervals,
  longest,
  measure,
  mergeIntervals,
  subtractIntervals,
  type Interval,
} from './figures-intervals.ts';
import { outageEnd, type LedgerEntry } from './carrier-ticket-ledger.ts';
import type { LineState } from './telephony.ts';

const HOUR_MS = 3_600_000;

export const Period = z
  .object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() })
  .refine((p) => p.to > p.from, { error: 'the period must end after it starts', path: ['to'] });
export type Period = z.infer<typeof Period>;

export const Figures = z.object({
  availabilityPct: z.number().nullable(),
  observedMs: z.number().int(),
  downtimeMs: z.number().int(),
  lineDowntimeMs: z.number().int(),
  longestDowntimeMs: z.number().int(),
  outageCount: z.number().int(),
  mttaMs: z.number().nullable(),
  mttrMs: z.number().nullable(),
  /** Outages whose carrier did not respond within N hours of the report (still or late). */
  overdueCount: z.number().int(),
});
export type Figures = z.infer<typeof Figures>;

export const CARRIER_RESPONSES = ['not_reported', 'pending', 'in_time', 'overdue', 'late'] as const;
export const CarrierResponse = z.enum(CARRIER_RESPONSES);
export type CarrierResponse = z.infer<typeof CarrierResponse>;

/** One line state change, in fold (HLC) order, at the measuring device's time. */
export interface LineFact {
  lineId: string;
  to: LineState;
  at: number;
}

export interface ReportLine {
  id: string;
  unit: string;
}

export interface LineTimeline {
  down: Interval[];
  /** Time nothing was known about the line (not counted as observed). */
  unknown: Interval[];
}

/** Does this outage make its lines count as down? */
export function countsAsDown(entry: LedgerEntry): boolean {
  const o = entry.outage;
  if (o.status === 'dismissed') return false;
  return o.kind === 'automatic' || o.confirmed !== null || o.status === 'resolved';
}

export function outageInterval(entry: LedgerEntry, asOf: number): Interval {
  const end = outageEnd(entry.outage) ?? Math.max(asOf, entry.outage.openedAt);
  return { from: entry.outage.openedAt, to: Math.max(end, entry.outage.openedAt) };
}

/** Each line's down and unknown intervals up to `asOf`, from its state changes and the reported outages on it. */
export function lineTimelines(
  lineIds: readonly string[],
  facts: readonly LineFact[],
  ledger: readonly LedgerEntry[],
  asOf: number,
): Map<string, LineTimeline> {
  const byLine = new Map<string, LineFact[]>();
  for (const id of lineIds) byLine.set(id, []);
  for (const f of facts) byLine.get(f.lineId)?.push(f);
  const reported = new Map<string, Interval[]>();
  for (const entry of ledger) {
    if (entry.outage.kind !== 'reported' || !countsAsDown(entry)) continue;
    const span = outageInterval(entry, asOf);
    for (const id of entry.outage.lineIds) reported.set(id, [...(reported.get(id) ?? []), span]);
  }
  const out = new Map<string, LineTimeline>();
  for (const [id, list] of byLine) {
    const down: Interval[] = [...(reported.get(id) ?? [])];
    const unknown: Interval[] = [{ from: 0, to: Math.min(list[0]?.at ?? asOf, asOf) }];
    for (let i = 0; i < list.length; i++) {
      const fact = list[i]!;
      const from = Math.min(fact.at, asOf);
      // Device clocks can step back: a segment never ends before it starts.
      const to = Math.max(from, Math.min(list[i + 1]?.at ?? asOf, asOf));
      if (fact.to === 'DOWN') down.push({ from, to });
      else if (fact.to === 'UNKNOWN') unknown.push({ from, to });
    }
    const mergedDown = mergeIntervals(down);
    out.set(id, { down: mergedDown, unknown: subtractIntervals(mergeIntervals(unknown), mergedDown) });
  }
  return out;
}

export function carrierResponse(entry: LedgerEntry, asOf: number, noResponseHours: number): CarrierResponse {
  const t = entry.ticket;
  if (!t || t.reportedAt === null) return 'not_reported';
  const limit = noResponseHours * HOUR_MS;
  const answers = [t.acknowledgedAt, t.restoredAt].filter((a): a is number => a !== null);
  if (answers.length > 0) return Math.min(...answers) - t.reportedAt > limit ? 'late' : 'in_time';
  return asOf - t.reportedAt > limit ? 'overdue' : 'pending';
}

export function restoredAt(entry: LedgerEntry): number | null {
  if (entry.ticket?.restoredAt != null) return entry.ticket.restoredAt;
  return entry.outage.status === 'resolved' ? entry.outage.resolvedAt : null;
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The outages (not dismissed) overlapping the window, listed under each line they touch. */
export function outagesByLine(
  ledger: readonly LedgerEntry[],
  window: Interval,
  asOf: number,
): Map<string, LedgerEntry[]> {
  const byLine = new Map<string, LedgerEntry[]>();
  for (const entry of ledger) {
    if (entry.outage.status === 'dismissed') continue;
    const span = outageInterval(entry, asOf);
    if (!(span.from < window.to && (span.to > window.from || span.from >= window.from))) continue;
    for (const id of new Set(entry.outage.lineIds)) {
      const list = byLine.get(id);
      if (list) list.push(entry);
      else byLine.set(id, [entry]);
    }
  }
  return byLine;
}

/** The distinct outages touching any of `lineIds`. */
export function outagesOf(byLine: ReadonlyMap<string, readonly LedgerEntry[]>, lineIds: readonly string[]) {
  if (lineIds.length === 1) return byLine.get(lineIds[0]!) ?? [];
  const seen = new Set<LedgerEntry>();
  for (const id of lineIds) for (const entry of byLine.get(id) ?? []) seen.add(entry);
  return [...seen];
}

/** Figures for a set of lines over a window (already clipped to `asOf`). */
export function figuresFor(
  lineIds: readonly string[],
  timelines: ReadonlyMap<string, LineTimeline>,
  byLine: ReadonlyMap<string, readonly LedgerEntry[]>,
  window: Interval,
  asOf: number,
  noResponseHours: number,
): Figures {
  const span = Math.max(0, window.to - window.from);
  let observedMs = 0;
  let lineDowntimeMs = 0;
  const allDown: Interval[] = [];
  for (const id of lineIds) {
    const t = timelines.get(id);
    if (!t || span === 0) continue;
    const down = clipIntervals(t.down, window);
    observedMs += span - measure(clipIntervals(t.unknown, window));
    lineDowntimeMs += measure(down);
    allDown.push(...down);
  }
  const union = mergeIntervals(allDown);
  const outages = span === 0 ? [] : outagesOf(byLine, lineIds);
  const acks: number[] = [];
  const restores: number[] = [];
  let overdueCount = 0;
  for (const entry of outages) {
    const t = entry.ticket;
    if (t?.reportedAt != null && t.acknowledgedAt !== null) acks.push(t.acknowledgedAt - t.reportedAt);
    const restored = restoredAt(entry);
    if (restored !== null) restores.push(Math.max(0, restored - entry.outage.openedAt));
    const response = carrierResponse(entry, asOf, noResponseHours);
    if (response === 'overdue' || response === 'late') overdueCount += 1;
  }
  return {
    availabilityPct: observedMs > 0 ? ((observedMs - lineDowntimeMs) / observedMs) * 100 : null,
    observedMs,
    downtimeMs: measure(union),
    lineDowntimeMs,
    longestDowntimeMs: longest(union),
    outageCount: outages.length,
    mttaMs: mean(acks),
    mttrMs: mean(restores),
    overdueCount,
  };
}
