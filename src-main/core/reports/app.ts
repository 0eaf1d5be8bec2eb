/**
 * Outage evidence on the console API: the period report (figures, availability over
 * time, ledger), one outage's ledger entry, the carrier ticket a supervisor records,
 * and the exports. Every export is logged as `audit.exported` before the data leaves.
 * The PDF is printed by the host (Electron `printToPDF`, or the browser's print): the
 * core only logs it and answers `pdfBase64: null`.
 */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { LedgerRow, PeriodReport } from '../../../src-shared/figures-report.ts';
import { DEFAULT_NO_RESPONSE_HOURS } from '../../../src-shared/figures-report.ts';
import { carrierResponse } from '../../../src-shared/figures.ts';
import type { LineBoard } from '../../../src-shared/telephony.ts';
import type { FeatureApp } from '../app.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import type { Progress } from '../store/chain-check.ts';
import type { ReadJobs } from '../jobs/job-runner.ts';
import type { ReportSource } from './report-source.ts';
import { periodReport, tmf621Tickets, type PeriodArgs, type PeriodRequest } from './period.ts';

export interface ReportsAppDeps {
  store: EventStore;
  event: EventFactory;
  deviceId: string;
  source: ReportSource;
  wallClock: () => number;
  /** The facility as telephony knows it (null when no config is loaded). */
  board: () => LineBoard;
  /** Shown when telephony has no facility (the console's configured name). */
  facilityName: string;
  /** Issue 15: the name adopted from the tracker at enrolment wins over the config's. */
  adoptedFacility?: () => { id: string; name: string } | null;
  /** Issue 16: reports and exports are built by the background reader; absent, in-thread. */
  jobs?: ReadJobs;
  /** A progress sink for one run of a long job (the core pushes `jobs.progress`). */
  progress?: (method: 'reports.period' | 'reports.exportTmf621' | 'reports.exportPdf') => Progress;
}

export function reportsApp(deps: ReportsAppDeps): FeatureApp {
  const facility = () => {
    const f = deps.board().facility;
    // Once enrolled the board's facility is the adopted one (telephony/facility-identity.ts);
    // without a config, the adopted name still wins over the launch option's.
    const name = deps.adoptedFacility?.()?.name;
    return f ? { id: f.id, name: name ?? f.name } : { id: '', name: name ?? deps.facilityName };
  };

  function request(args: PeriodArgs): PeriodRequest {
    // The period arguments only: the input may carry more than the report reads.
    const { from, to, noResponseHours, bucket } = args;
    return { facility: facility(), args: { from, to, noResponseHours, bucket }, asOf: Math.floor(deps.wallClock()) };
  }

  function report(args: PeriodArgs, method: 'reports.period' | 'reports.exportPdf'): Promise<PeriodReport> {
    const progress = deps.progress?.(method);
    if (deps.jobs) return deps.jobs.run('report', request(args), progress);
    return Promise.resolve(periodReport(deps.source, request(args), progress));
  }

  function row(outageId: string, noResponseHours: number): LedgerRow {
    const entry = deps.source.ledgerEntry(outageId);
    if (!entry) throw new ApiFailure(apiError('not_found', `no outage ${outageId}`, 'outageId'));
    const asOf = Math.floor(deps.wallClock());
    const catalog = deps.source.catalog(entry.outage.facilityId);
    const unitOf = new Map((catalog?.lines ?? []).map((l) => [l.id, l.unit]));
    const end = entry.outage.resolvedAt ?? asOf;
    return {
      ...entry,
      units: [...new Set(entry.outage.lineIds.map((id) => unitOf.get(id) ?? ''))].sort(),
      inPeriodMs: Math.max(0, end - entry.outage.openedAt),
      carrierResponse: carrierResponse(entry, asOf, noResponseHours),
    };
  }

  function logExport(actor: string, format: string, args: PeriodArgs, count: number): string {
    const e = deps.event(
      'audit.exported',
      `audit:${deps.deviceId}`,
      { kind: 'outage-evidence', filters: { format, from: args.from, to: args.to, facility: facility().id }, count },
      actor,
    );
    deps.store.append([e]);
    return e.id;
  }

  return {
    name: 'reports',
    handlers: {
      'reports.period': (input) => report(input, 'reports.period'),
      'ledger.get': (input) => row(input.outageId, input.noResponseHours),
      'ledger.setCarrierTicket': (input, ctx) => {
        const existing = deps.source.ledgerEntry(input.outageId);
        if (!existing) throw new ApiFailure(apiError('not_found', `no outage ${input.outageId}`, 'outageId'));
        deps.store.append([deps.event('outage.carrier_ticket_set', input.outageId, input, ctx.actor)]);
        return row(input.outageId, DEFAULT_NO_RESPONSE_HOURS);
      },
      'reports.exportTmf621': async (input, ctx) => {
        const progress = deps.progress?.('reports.exportTmf621');
        const { facilityId, tickets } = deps.jobs
          ? await deps.jobs.run('tmf621', request(input), progress)
          : tmf621Tickets(deps.source, request(input), progress);
        logExport(ctx.actor, 'tmf621', input, tickets.length);
        const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        return {
          filename: `outages-${facilityId || 'facility'}-${day(input.from)}-${day(input.to)}.tmf621.json`,
          tickets,
        };
      },
      'reports.exportPdf': async (input, ctx) => {
        // The host prints the page the renderer already shows; the core logs how many outages it covers.
        const progress = deps.progress?.('reports.exportPdf');
        const count = deps.jobs
          ? await deps.jobs.run('outageCount', request(input), progress)
          : periodReport(deps.source, request(input), progress).outages.length;
        return { eventId: logExport(ctx.actor, 'pdf', input, count), pdfBase64: null };
      },
    },
  };
}
