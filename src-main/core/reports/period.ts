/**
 * The period report and its TMF621 tickets from a report source: pure reads and folds,
 * run in the background worker (issue 16: a year of 200 lines held the core's thread for
 * over a second) or in-thread on a store the worker cannot open (`:memory:`).
 */
import { buildPeriodReport, type PeriodReport } from '../../../src-shared/figures-report.ts';
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
const REPORT_STEPS = 2;

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
export function tmf621Tickets(
  source: ReportSource,
  request: PeriodRequest,
  progress?: Progress,
): { facilityId: string; tickets: TroubleTicket[] } {
  const r = periodReport(source, request, progress);
  const catalog = source.catalog(r.facility.id);
  return {
    facilityId: r.facility.id,
    tickets: [
      ...toTroubleTickets(r.outages, r.facility, catalog),
      ...r.voiceEpisodes.map((ep) => toVoiceTroubleTicket(ep, r.facility, catalog)),
    ],
  };
}
