/**
 * Outage evidence on the console API: the period report (figures, availability over
 * time, ledger), one outage's ledger entry, the carrier ticket a supervisor records,
 * and the exports. Every export is logged as `audit.exported` before the data leaves.
 * The PDF is printed by the host (Electron `printToPDF`, or the browser's print): the
 * core only logs it and answers `pdfBase64: null`.
 */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import {
  DEFAULT_NO_RESPONSE_HOURS,
  buildPeriodReport,
  type LedgerRow,
  type PeriodReport,
} from '../../../src-shared/figures-report.ts';
import { carrierResponse } from '../../../src-shared/figures.ts';
import { toTroubleTickets, toVoiceTroubleTicket } from '../../../src-shared/tmf621.ts';
import type { LineBoard } from '../../../src-shared/telephony.ts';
import type { FeatureApp } from '../app.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import type { ReportSource } from './report-source.ts';

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
}

interface PeriodArgs {
  from: number;
  to: number;
  noResponseHours: number;
  bucket?: PeriodReport['series']['bucket'] | undefined;
}

export function reportsApp(deps: ReportsAppDeps): FeatureApp {
  const facility = () => {
    const f = deps.board().facility;
    // Once enrolled the board's facility is the adopted one (telephony/facility-identity.ts);
    // without a config, the adopted name still wins over the launch option's.
    const name = deps.adoptedFacility?.()?.name;
    return f ? { id: f.id, name: name ?? f.name } : { id: '', name: name ?? deps.facilityName };
  };

  function report(args: PeriodArgs): PeriodReport {
    const asOf = Math.floor(deps.wallClock());
    const f = facility();
    const { facts, ledger, catalog, voiceCalls } = deps.source.facts(f.id, args, asOf);
    return buildPeriodReport({
      facility: f,
      catalog,
      period: { from: args.from, to: args.to },
      asOf,
      noResponseHours: args.noResponseHours,
      bucket: args.bucket,
      facts,
      ledger,
      voiceCalls,
    });
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
      'reports.period': (input) => report(input),
      'ledger.get': (input) => row(input.outageId, input.noResponseHours),
      'ledger.setCarrierTicket': (input, ctx) => {
        const existing = deps.source.ledgerEntry(input.outageId);
        if (!existing) throw new ApiFailure(apiError('not_found', `no outage ${input.outageId}`, 'outageId'));
        deps.store.append([deps.event('outage.carrier_ticket_set', input.outageId, input, ctx.actor)]);
        return row(input.outageId, DEFAULT_NO_RESPONSE_HOURS);
      },
      'reports.exportTmf621': (input, ctx) => {
        const r = report(input);
        const catalog = deps.source.catalog(r.facility.id);
        const tickets = [
          ...toTroubleTickets(r.outages, r.facility, catalog),
          ...r.voiceEpisodes.map((ep) => toVoiceTroubleTicket(ep, r.facility, catalog)),
        ];
        logExport(ctx.actor, 'tmf621', input, tickets.length);
        const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        return {
          filename: `outages-${r.facility.id || 'facility'}-${day(input.from)}-${day(input.to)}.tmf621.json`,
          tickets,
        };
      },
      'reports.exportPdf': (input, ctx) => {
        const r = report(input);
        return { eventId: logExport(ctx.actor, 'pdf', input, r.outages.length), pdfBase64: null };
      },
    },
  };
}
