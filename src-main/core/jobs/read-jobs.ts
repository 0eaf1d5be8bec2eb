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
import { periodReport, tmf621Tickets, type PeriodRequest } from '../reports/period.ts';
import { listIncidents, type IncidentListQuery } from '../incidents/list.ts';
import { queryAudit, type AuditQuery } from '../audit/query.ts';

export interface ReadContext {
  db: Db;
  source: ReportSource;
}

/** A read context over a bare connection (the worker's), with the store's stream read. */
export function readContext(db: Db): ReadContext {
  const stream = db.prepare<[string], EventRow>('SELECT * FROM events WHERE stream_id = ? ORDER BY hlc, device_id, id');
  const store: ReportStore = { db, streamEvents: (streamId) => stream.all(streamId).map(toStored) };
  return { db, source: createReportSource(store) };
}

export const readJobs = {
  chain: (ctx: ReadContext, _input: null, progress: Progress) => checkChain(ctx.db, progress),
  report: (ctx: ReadContext, input: PeriodRequest, progress: Progress) => periodReport(ctx.source, input, progress),
  tmf621: (ctx: ReadContext, input: PeriodRequest, progress: Progress) => tmf621Tickets(ctx.source, input, progress),
  /** The PDF export logs how many outages it covers: only that count crosses back, not a year's report. */
  outageCount: (ctx: ReadContext, input: PeriodRequest, progress: Progress) =>
    periodReport(ctx.source, input, progress).outages.length,
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

/** Messages between the core and its worker. */
export type ToWorker = { id: number; job: ReadJobName; input: unknown };
export type FromWorker =
  | { id: number; type: 'progress'; done: number; total: number }
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'failed'; message: string; api: unknown };
