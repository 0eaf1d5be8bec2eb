/**
 * A period report for one facility: figures for the facility, each unit and each line,
 * availability over time, and the outage ledger rows of the period. The console and the
 * tracker both build it with `buildPeriodReport` from the same facts.
 */
import { z } from 'zod';
import { LedgerEntry } from './carrier-ticket-ledger.ts';
import { VoiceEpisode, voiceEpisodes, type LineVoiceTestedPayload } from './voice.ts';
import type { LineCatalog } from './figures-catalog.ts';
import type { Interval } from './figures-intervals.ts';
import {
  CarrierResponse,
  Figures,
  Period,
  carrierResponse,
  figuresFor,
  lineTimelines,
  outageInterval,
  outagesByLine,
  type LineFact,
  type LineTimeline,
} from './figures.ts';

export const REPORT_BUCKETS = ['hour', 'day', 'week'] as const;
export const ReportBucket = z.enum(REPORT_BUCKETS);
export type ReportBucket = z.infer<typeof ReportBucket>;
const BUCKET_MS: Record<ReportBucket, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

/** Hours without carrier response before an outage is flagged, unless the caller says otherwise. */
export const DEFAULT_NO_RESPONSE_HOURS = 24;
/** Longest period one report covers. */
export const MAX_REPORT_SPAN_MS = 2 * 366 * 86_400_000;

const ReportPeriodFields = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  noResponseHours: z
    .number()
    .min(1)
    .max(24 * 90)
    .default(DEFAULT_NO_RESPONSE_HOURS),
  bucket: ReportBucket.optional(),
});
const validPeriod = <T extends z.ZodType<{ from: number; to: number }>>(schema: T) =>
  schema
    .refine((p) => p.to > p.from, { error: 'the period must end after it starts', path: ['to'] })
    .refine((p) => p.to - p.from <= MAX_REPORT_SPAN_MS, { error: 'at most two years', path: ['from'] });

export const ReportInput = validPeriod(ReportPeriodFields.strict());
export type ReportInput = z.input<typeof ReportInput>;

export const LineFigures = Figures.extend({ lineId: z.string(), name: z.string(), unit: z.string() });
export type LineFigures = z.infer<typeof LineFigures>;
export const UnitFigures = Figures.extend({ unit: z.string(), name: z.string() });
export type UnitFigures = z.infer<typeof UnitFigures>;

export const SeriesPoint = z.object({
  from: z.number().int(),
  to: z.number().int(),
  availabilityPct: z.number().nullable(),
  lineDowntimeMs: z.number().int(),
});
export type SeriesPoint = z.infer<typeof SeriesPoint>;

export const LedgerRow = LedgerEntry.extend({
  units: z.array(z.string()),
  /** The part of the outage inside the period. */
  inPeriodMs: z.number().int(),
  carrierResponse: CarrierResponse,
});
export type LedgerRow = z.infer<typeof LedgerRow>;

export const PeriodReport = z.object({
  facility: z.object({ id: z.string(), name: z.string() }),
  period: Period,
  asOf: z.number().int(),
  noResponseHours: z.number(),
  totals: Figures,
  units: z.array(UnitFigures),
  lines: z.array(LineFigures),
  series: z.object({ bucket: ReportBucket, points: z.array(SeriesPoint) }),
  /** Outages overlapping the period, dismissed ones included (marked by their status), newest first. */
  outages: z.array(LedgerRow),
  /** Voice-quality episodes from test calls in the period (one-way audio, poor quality, drops), oldest first. */
  voiceEpisodes: z.array(VoiceEpisode).default([]),
});
export type PeriodReport = z.infer<typeof PeriodReport>;

export interface PeriodReportInput {
  facility: { id: string; name: string };
  catalog: LineCatalog | null;
  period: Period;
  asOf: number;
  noResponseHours: number;
  bucket?: ReportBucket | undefined;
  /** This facility's line state changes, in fold (HLC) order. */
  facts: readonly LineFact[];
  ledger: readonly LedgerEntry[];
  /** Test calls placed in the period (issue 17); absent: none recorded. */
  voiceCalls?: readonly Pick<LineVoiceTestedPayload, 'lineId' | 'trunkId' | 'verdict' | 'at' | 'measurements'>[];
}

export function chooseBucket(period: Period): ReportBucket {
  const span = period.to - period.from;
  if (span <= 2 * BUCKET_MS.day) return 'hour';
  if (span <= 92 * BUCKET_MS.day) return 'day';
  return 'week';
}

export function buildPeriodReport(input: PeriodReportInput): PeriodReport {
  const { period, asOf, noResponseHours, ledger } = input;
  const window: Interval = { from: period.from, to: Math.max(period.from, Math.min(period.to, asOf)) };
  const lines = reportLines(input);
  const lineIds = lines.map((l) => l.id);
  const timelines = lineTimelines(lineIds, input.facts, ledger, asOf);
  const byLine = outagesByLine(ledger, window, asOf);
  const figures = (ids: readonly string[]) => figuresFor(ids, timelines, byLine, window, asOf, noResponseHours);

  const unitName = new Map((input.catalog?.units ?? []).map((u) => [u.id, u.name]));
  const unitIds = [...new Set([...(input.catalog?.units ?? []).map((u) => u.id), ...lines.map((l) => l.unit)])];
  const lineUnit = new Map(lines.map((l) => [l.id, l.unit]));
  const bucket = input.bucket ?? chooseBucket(period);

  const rows = ledger
    .filter((entry) => {
      const span = outageInterval(entry, asOf);
      return span.from < window.to && (span.to > window.from || span.from >= window.from);
    })
    .map((entry): LedgerRow => ({
      ...entry,
      units: [...new Set(entry.outage.lineIds.map((id) => lineUnit.get(id) ?? ''))].sort(),
      inPeriodMs: Math.max(
        0,
        Math.min(outageInterval(entry, asOf).to, window.to) - Math.max(entry.outage.openedAt, window.from),
      ),
      carrierResponse: carrierResponse(entry, asOf, noResponseHours),
    }))
    .sort((a, b) => b.outage.openedAt - a.outage.openedAt || (a.outage.id < b.outage.id ? -1 : 1));

  return {
    facility: input.facility,
    period,
    asOf,
    noResponseHours,
    totals: figures(lineIds),
    units: unitIds.map((unit) => ({
      unit,
      name: unitName.get(unit) ?? unit,
      ...figures(lines.filter((l) => l.unit === unit).map((l) => l.id)),
    })),
    lines: lines.map((l) => ({ lineId: l.id, name: l.name, unit: l.unit, ...figures([l.id]) })),
    series: { bucket, points: series(lineIds, timelines, window, period, BUCKET_MS[bucket]) },
    outages: rows,
    voiceEpisodes: voiceEpisodes((input.voiceCalls ?? []).filter((c) => c.at >= window.from && c.at < window.to)),
  };
}

/** The catalog's lines, then any line the facts or outages name that the catalog lacks (unit ''). */
function reportLines(input: PeriodReportInput): { id: string; name: string; unit: string }[] {
  const lines = (input.catalog?.lines ?? []).map((l) => ({ id: l.id, name: l.name, unit: l.unit }));
  const known = new Set(lines.map((l) => l.id));
  const extra = new Set<string>();
  for (const f of input.facts) if (!known.has(f.lineId)) extra.add(f.lineId);
  for (const e of input.ledger) for (const id of e.outage.lineIds) if (!known.has(id)) extra.add(id);
  return [...lines, ...[...extra].sort().map((id) => ({ id, name: id, unit: '' }))];
}

/** Availability per bucket: each interval's length is spread over the buckets it covers. */
function series(
  lineIds: readonly string[],
  timelines: ReadonlyMap<string, LineTimeline>,
  window: Interval,
  period: Period,
  bucketMs: number,
): SeriesPoint[] {
  const count = Math.max(1, Math.ceil((period.to - period.from) / bucketMs));
  const unknown = new Float64Array(count);
  const down = new Float64Array(count);
  const spread = (intervals: readonly Interval[], into: Float64Array) => {
    for (const i of intervals) {
      const from = Math.max(i.from, window.from);
      const to = Math.min(i.to, window.to);
      if (to <= from) continue;
      for (let b = Math.floor((from - period.from) / bucketMs); b < count; b++) {
        const start = period.from + b * bucketMs;
        const overlap = Math.min(to, start + bucketMs) - Math.max(from, start);
        if (overlap <= 0) break;
        into[b]! += overlap;
      }
    }
  };
  for (const id of lineIds) {
    const t = timelines.get(id);
    if (!t) continue;
    spread(t.unknown, unknown);
    spread(t.down, down);
  }
  const points: SeriesPoint[] = [];
  for (let b = 0; b < count; b++) {
    const from = period.from + b * bucketMs;
    const to = Math.min(period.to, from + bucketMs);
    const measured = Math.max(0, Math.min(to, window.to) - Math.max(from, window.from));
    const observed = measured * lineIds.length - unknown[b]!;
    points.push({
      from,
      to,
      availabilityPct: observed > 0 ? ((observed - down[b]!) / observed) * 100 : null,
      lineDowntimeMs: Math.round(down[b]!),
    });
  }
  return points;
}

// Console API shapes (see `consoleApi` in api.ts).

/**
 * Ledger rows the console's report answer carries, and the most one page call returns.
 * A year of 200 lines holds tens of thousands of outages (tens of MB): the console reads
 * the ledger a page at a time (issue 16), so no answer holds the core's thread or the
 * page's for long.
 */
export const LEDGER_PAGE_ROWS = 50;
export const MAX_LEDGER_PAGE_ROWS = 500;

export const LedgerWindow = z.object({
  /** Outages in the whole period's ledger. */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
});
export type LedgerWindow = z.infer<typeof LedgerWindow>;

/** The period report on the console: `outages` holds the ledger's first page; `ledger` says which. */
export const PeriodReportView = PeriodReport.extend({ ledger: LedgerWindow });
export type PeriodReportView = z.infer<typeof PeriodReportView>;

/**
 * One page of a report's ledger. `asOf` is the report's own (from its first answer), so
 * every page of one report is figured at the same moment, open outages included.
 */
export const LedgerPageInput = validPeriod(
  ReportPeriodFields.extend({
    asOf: z.number().int().nonnegative(),
    offset: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(MAX_LEDGER_PAGE_ROWS).default(LEDGER_PAGE_ROWS),
  }).strict(),
);
export type LedgerPageInput = z.input<typeof LedgerPageInput>;
export const LedgerPage = z.object({
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  /** Newest first, as in the report. */
  rows: z.array(LedgerRow),
});
export type LedgerPage = z.infer<typeof LedgerPage>;

export const LedgerGetInput = z
  .object({
    outageId: z.uuid(),
    noResponseHours: z
      .number()
      .min(1)
      .max(24 * 90)
      .default(DEFAULT_NO_RESPONSE_HOURS),
  })
  .strict();
export const Tmf621ExportOutput = z.object({
  filename: z.string(),
  /**
   * Where the console wrote the file: its exports folder. TMF621 TroubleTicket resources
   * as a JSON array (src-shared/tmf621.ts, docs/tmf621-mapping.md).
   */
  path: z.string(),
  /** Tickets in the file. */
  tickets: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export const PdfExportOutput = z.object({
  /** The `audit.exported` event that records the export. */
  eventId: z.string(),
  /** The printed page, base64, when the host can print (Electron); null: the renderer prints itself. */
  pdfBase64: z.string().nullable(),
});
