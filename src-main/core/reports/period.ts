/**
 * The period report and its TMF621 tickets from a report source: pure reads and folds,
 * run in the background worker (issue 16: a year of 200 lines held the core's thread for
 * over a second) or in-thread on a store the worker cannot open (`:memory:`).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  buildPeriodReport,
  LEDGER_PAGE_ROWS,
  type LedgerPage,
  type PeriodReport,
  type PeriodReportView,
} from '../../../src-shared/figures-report.ts';
import { toTroubleTickets, toVoiceTroubleTicket } from '../../../src-shared/tmf621.ts';
import type { Progress } from '../store/chain-check.ts';
import type { ReportSource } from './report-source.ts';

export interface PeriodArgs {
  from: number;
  to: number;
  noResponseHours: number;
  bucket?: PeriodReport['series']['bucket'] | undefined;
}

export interface PeriodRequest {
  facility: { id: string; name: string };
  args: PeriodArgs;
  asOf: number;
}

/** Steps a report reports progress in: facts read, figures built. */
export const REPORT_STEPS = 2;

export function periodReport(source: ReportSource, request: PeriodRequest, progress?: Progress): PeriodReport {
  const { facility, args, asOf } = request;
  progress?.(0, REPORT_STEPS);
  const { facts, ledger, catalog, voiceCalls } = source.facts(facility.id, args, asOf);
  progress?.(1, REPORT_STEPS);
  const report = buildPeriodReport({
    facility,
    catalog,
    period: { from: args.from, to: args.to },
    asOf,
    noResponseHours: args.noResponseHours,
    bucket: args.bucket,
    facts,
    ledger,
    voiceCalls,
  });
  progress?.(REPORT_STEPS, REPORT_STEPS);
  return report;
}

export type TroubleTicket = ReturnType<typeof toTroubleTickets>[number] | ReturnType<typeof toVoiceTroubleTicket>;

/** The period's outages and voice episodes as TMF621 trouble tickets. */
export function tmf621Tickets(source: ReportSource, r: PeriodReport): { facilityId: string; tickets: TroubleTicket[] } {
  const catalog = source.catalog(r.facility.id);
  return {
    facilityId: r.facility.id,
    tickets: [
      ...toTroubleTickets(r.outages, r.facility, catalog),
      ...r.voiceEpisodes.map((ep) => toVoiceTroubleTicket(ep, r.facility, catalog)),
    ],
  };
}

/** The report the console shows: figures in full, the ledger's first page (the rest by `ledgerPage`). */
export function reportView(report: PeriodReport, limit = LEDGER_PAGE_ROWS): PeriodReportView {
  return {
    ...report,
    outages: report.outages.slice(0, limit),
    ledger: { total: report.outages.length, offset: 0, limit },
  };
}

export function ledgerPage(report: PeriodReport, offset: number, limit: number): LedgerPage {
  return { total: report.outages.length, offset, rows: report.outages.slice(offset, offset + limit) };
}

/** Bytes gathered before each write of an export file. */
const WRITE_CHUNK = 1 << 20;
/** Tickets between two progress reports while an export file is written. */
const PROGRESS_EVERY = 1000;

/**
 * Writes the period's TMF621 tickets to `file` as one JSON array, the same text
 * `JSON.stringify(tickets, null, 2)` gives, a ticket at a time: the tickets of a year
 * never exist as one string, and nothing of them crosses to the core's thread (issue
 * 16). Synced to disk before it answers. Progress: the report's steps, then tickets written.
 */
export function writeTmf621File(
  source: ReportSource,
  report: PeriodReport,
  file: string,
  progress?: Progress,
): { facilityId: string; tickets: number; bytes: number } {
  const { facilityId, tickets } = tmf621Tickets(source, report);
  const total = tickets.length;
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  let bytes = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = () => {
    const chunk = Buffer.from(pending.join(''), 'utf8');
    for (let at = 0; at < chunk.length;) at += writeSync(fd, chunk, at);
    bytes += chunk.length;
    pending = [];
    pendingLength = 0;
  };
  const put = (text: string) => {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength >= WRITE_CHUNK) flush();
  };
  try {
    progress?.(0, total);
    if (total === 0) put('[]');
    else {
      put('[\n');
      tickets.forEach((ticket, i) => {
        put(`  ${JSON.stringify(ticket, null, 2).replaceAll('\n', '\n  ')}${i + 1 < total ? ',\n' : '\n'}`);
        if ((i + 1) % PROGRESS_EVERY === 0) progress?.(i + 1, total);
      });
      put(']');
    }
    flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  progress?.(total, total);
  return { facilityId, tickets: total, bytes };
}
