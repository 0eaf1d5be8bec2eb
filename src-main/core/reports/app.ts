/**
 * Outage evidence on the console API: the period report (figures, availability over
 * time, and its ledger a page at a time), one outage's ledger entry, the carrier ticket a
 * supervisor records, and the exports. Every export is logged as `audit.exported` before
 * the data leaves. The PDF is printed by the host (Electron `printToPDF`, or the
 * browser's print): the core only logs it and answers `pdfBase64: null`. The TMF621
 * export is written by the background reader straight into the console's exports
 * folder, under a name ending `.partial` that becomes the file's own name once the
 * export is logged (issue 16: a year's tickets never cross the core's thread).
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { LedgerRow } from '../../../src-shared/figures-report.ts';
import { DEFAULT_NO_RESPONSE_HOURS } from '../../../src-shared/figures-report.ts';
import { carrierResponse } from '../../../src-shared/figures.ts';
import type { LineBoard } from '../../../src-shared/telephony.ts';
import type { FeatureApp } from '../app.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import type { Progress } from '../store/chain-check.ts';
import type { ReadJobs } from '../jobs/job-runner.ts';
import type { ReportSource } from './report-source.ts';
import type { PeriodArgs, PeriodRequest } from './period.ts';

export type ReportJobMethod = 'reports.period' | 'reports.ledgerPage' | 'reports.exportTmf621' | 'reports.exportPdf';

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
  /** Issue 16: reports and exports are built by the background reader (in-thread for `:memory:`). */
  jobs: ReadJobs;
  /** Where exports are written (the console's `exports` folder beside its store). */
  exportDir: string;
  /** A progress sink for one run of a long job (the core pushes `jobs.progress`). */
  progress?: (method: ReportJobMethod) => Progress;
}

export function reportsApp(deps: ReportsAppDeps): FeatureApp {
  const facility = () => {
    const f = deps.board().facility;
    // Once enrolled the board's facility is the adopted one (telephony/facility-identity.ts);
    // without a config, the adopted name still wins over the launch option's.
    const name = deps.adoptedFacility?.()?.name;
    return f ? { id: f.id, name: name ?? f.name } : { id: '', name: name ?? deps.facilityName };
  };

  function request(args: PeriodArgs, asOf = Math.floor(deps.wallClock())): PeriodRequest {
    // The period arguments only: the input may carry more than the report reads.
    const { from, to, noResponseHours, bucket } = args;
    return { facility: facility(), args: { from, to, noResponseHours, bucket }, asOf };
  }

  /** A name in the exports folder no earlier export holds (a second export of a period gets `-2`). */
  function freshName(base: string, ext: string): string {
    for (let n = 1; ; n++) {
      const name = n === 1 ? `${base}${ext}` : `${base}-${n}${ext}`;
      const file = join(deps.exportDir, name);
      if (!existsSync(file) && !existsSync(`${file}.partial`)) return name;
    }
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
      'reports.period': (input) => deps.jobs.run('report', request(input), deps.progress?.('reports.period')),
      'reports.ledgerPage': (input) =>
        deps.jobs.run(
          'ledgerPage',
          { request: request(input, input.asOf), offset: input.offset, limit: input.limit },
          deps.progress?.('reports.ledgerPage'),
        ),
      'ledger.get': (input) => row(input.outageId, input.noResponseHours),
      'ledger.setCarrierTicket': (input, ctx) => {
        const existing = deps.source.ledgerEntry(input.outageId);
        if (!existing) throw new ApiFailure(apiError('not_found', `no outage ${input.outageId}`, 'outageId'));
        deps.store.append([deps.event('outage.carrier_ticket_set', input.outageId, input, ctx.actor)]);
        return row(input.outageId, DEFAULT_NO_RESPONSE_HOURS);
      },
      'reports.exportTmf621': async (input, ctx) => {
        const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        const base = `outages-${(facility().id || 'facility').replace(/[^A-Za-z0-9_-]+/g, '-')}-${day(input.from)}-${day(input.to)}`;
        const filename = freshName(base, '.tmf621.json');
        const path = join(deps.exportDir, filename);
        const partial = `${path}.partial`;
        try {
          const written = await deps.jobs.run(
            'tmf621File',
            { request: request(input), file: partial },
            deps.progress?.('reports.exportTmf621'),
          );
          logExport(ctx.actor, 'tmf621', input, written.tickets);
          renameSync(partial, path);
          return { filename, path, tickets: written.tickets, bytes: written.bytes };
        } catch (error) {
          // Not logged, or not written in full: no file is left that looks like an export.
          rmSync(partial, { force: true });
          throw error;
        }
      },
      'reports.exportPdf': async (input, ctx) => {
        // The host prints the page the renderer already shows; the core logs how many outages it covers.
        const count = await deps.jobs.run('outageCount', request(input), deps.progress?.('reports.exportPdf'));
        return { eventId: logExport(ctx.actor, 'pdf', input, count), pdfBase64: null };
      },
    },
  };
}
