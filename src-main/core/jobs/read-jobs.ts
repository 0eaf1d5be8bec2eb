/**
 * The long reads of the console (issue 16), as plain functions of a connection: the hash
 * chain check, the period report and its TMF621 tickets, the incident list/search and
 * the audit query. The background worker runs them on its read-only connection; a store
 * the worker cannot open (`:memory:`) runs them in-thread. One table, so both paths run
 * the same code and give the same answers.
 */
import { checkChain, type Progress } from '../store/chain-check.ts';
import type { Db } from '../store/database.ts';
import { toStored, type EventRow } from '../store/event-store.ts';
import { createReportSource, type ReportSource, type ReportStore } from '../reports/report-source.ts';
import {
  ledgerPage,
  periodReport,
  REPORT_STEPS,
  reportView,
  writeTmf621File,
  type PeriodRequest,
} from '../reports/period.ts';
import { listIncidents, type IncidentListQuery } from '../incidents/list.ts';
import { queryAudit, type AuditQuery } from '../audit/query.ts';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';

export interface ReadContext {
  db: Db;
  source: ReportSource;
  /**
   * The last report built, kept so the pages of its ledger and its exports are slices of
   * it rather than a year's facts read and folded again (seconds each). Valid while the
   * request is the same (its `asOf` included) and the log has no new event: everything a
   * report reads is projected from events, while the probe samples a live monitor writes
   * every second are not, and must not throw it away.
   */
  lastReport: { key: string; report: PeriodReport } | null;
}

/** A read context over a bare connection (the worker's), with the store's stream read. */
export function readContext(db: Db): ReadContext {
  const stream = db.prepare<[string], EventRow>('SELECT * FROM events WHERE stream_id = ? ORDER BY hlc, device_id, id');
  const store: ReportStore = { db, streamEvents: (streamId) => stream.all(streamId).map(toStored) };
  return { db, source: createReportSource(store), lastReport: null };
}

/** The period report, built or the last one built for the same request over the same data. */
function report(ctx: ReadContext, request: PeriodRequest, progress: Progress): PeriodReport {
  // The log's last seq (its rowid: one seek) names the data the report was built from.
  const head = ctx.db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null;
  const key = JSON.stringify([request, head]);
  if (ctx.lastReport?.key === key) {
    progress(REPORT_STEPS, REPORT_STEPS);
    return ctx.lastReport.report;
  }
  ctx.lastReport = null; // the old one can go before the new one is built
  const built = periodReport(ctx.source, request, progress);
  ctx.lastReport = { key, report: built };
  return built;
}

export interface LedgerPageRequest {
  request: PeriodRequest;
  offset: number;
  limit: number;
}

export const readJobs = {
  chain: (ctx: ReadContext, _input: null, progress: Progress) => checkChain(ctx.db, progress),
  /** The report with the ledger's first page: a year's ledger is tens of MB, read a page at a time. */
  report: (ctx: ReadContext, input: PeriodRequest, progress: Progress) => reportView(report(ctx, input, progress)),
  ledgerPage: (ctx: ReadContext, input: LedgerPageRequest, progress: Progress) =>
    ledgerPage(report(ctx, input.request, progress), input.offset, input.limit),
  /**
   * TMF621 tickets written to `file` by this thread: only the count and size cross back.
   * Progress: the report's steps, then theirs plus the tickets written.
   */
  tmf621File: (ctx: ReadContext, input: { request: PeriodRequest; file: string }, progress: Progress) =>
    writeTmf621File(ctx.source, report(ctx, input.request, progress), input.file, (done, total) =>
      progress(REPORT_STEPS + done, REPORT_STEPS + total),
    ),
  /** The PDF export logs how many outages it covers: only that count crosses back, not a year's report. */
  outageCount: (ctx: ReadContext, input: PeriodRequest, progress: Progress) =>
    report(ctx, input, progress).outages.length,
  incidents: (ctx: ReadContext, input: IncidentListQuery) => listIncidents(ctx.db, input),
  audit: (ctx: ReadContext, input: AuditQuery) => queryAudit(ctx.db, input),
};

export type ReadJobName = keyof typeof readJobs;
export type ReadJobInput<K extends ReadJobName> = Parameters<(typeof readJobs)[K]>[1];
export type ReadJobOutput<K extends ReadJobName> = ReturnType<(typeof readJobs)[K]>;

export function isReadJobName(name: unknown): name is ReadJobName {
  return typeof name === 'string' && Object.hasOwn(readJobs, name);
}

/** Runs one job by name (the worker's dispatch; input was typed by the sender). */
export function runReadJob(ctx: ReadContext, name: ReadJobName, input: unknown, progress: Progress): unknown {
  const job = readJobs[name] as (ctx: ReadContext, input: unknown, progress: Progress) => unknown;
  return job(ctx, input, progress);
}

/** The reader thread's nice value on Linux (0 is the console's; higher runs later). */
export const READER_NICE = 10;

/** Messages between the core and its worker. */
export type ToWorker = { id: number; job: ReadJobName; input: unknown };
export type FromWorker =
  /** Sent once the worker is up: the scheduling priority its thread runs at. */
  | { id: 0; type: 'started'; priority: number }
  | { id: number; type: 'progress'; done: number; total: number }
  /** Rows of one long top-level array of the answer, sent ahead of it in order (see `split`). */
  | { id: number; type: 'part'; key: string; rows: unknown[] }
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'failed'; message: string; api: unknown };

/**
 * Rows per message for the long arrays of an answer. A year's report holds ~67,000 ledger
 * rows (64 MB as JSON): rebuilt from one message, the core's thread spent seconds in
 * structured clone; in messages of this many rows each is rebuilt in its own turn of the
 * event loop, so timers and calls run between them. The answer is the same object.
 */
export const PART_ROWS = 500;

/**
 * Splits the answer's long top-level arrays into parts of `rows` rows and what is left
 * (those arrays empty); `join` puts them back in the same order.
 */
export function split(value: unknown, rows: number): { rest: unknown; parts: { key: string; rows: unknown[] }[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { rest: value, parts: [] };
  const rest: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const parts: { key: string; rows: unknown[] }[] = [];
  for (const [key, v] of Object.entries(rest)) {
    if (!Array.isArray(v) || v.length <= rows) continue;
    for (let i = 0; i < v.length; i += rows) parts.push({ key, rows: v.slice(i, i + rows) });
    rest[key] = [];
  }
  return { rest, parts };
}

export function join(rest: unknown, parts: readonly { key: string; rows: unknown[] }[]): unknown {
  if (parts.length === 0) return rest;
  const value = rest as Record<string, unknown[]>;
  for (const part of parts) for (const row of part.rows) value[part.key]!.push(row);
  return value;
}
