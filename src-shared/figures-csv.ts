/**
 * A period report as CSV (RFC 4180, comma-separated, UTF-8 with BOM so spreadsheet
 * programs read å/ä/ö): a figures table (facility, units, lines), a blank line, then the
 * outage ledger. Column titles and terms come from the caller (the renderer's i18n, the
 * tracker's own labels), so this file holds no user-facing text. Cells a spreadsheet
 * would run as a formula are prefixed with an apostrophe.
 */
import type { Figures } from './figures.ts';
import type { PeriodReport } from './figures-report.ts';

export const FIGURE_COLUMNS = [
  'scope',
  'unit',
  'lineId',
  'lineName',
  'availabilityPct',
  'observedHours',
  'downtimeMinutes',
  'lineDowntimeMinutes',
  'longestDowntimeMinutes',
  'outageCount',
  'mttaMinutes',
  'mttrMinutes',
  'overdueCount',
] as const;

export const LEDGER_COLUMNS = [
  'outageId',
  'openedAt',
  'endedAt',
  'status',
  'cause',
  'trunk',
  'lines',
  'units',
  'inPeriodMinutes',
  'failedProbes',
  'firstFailureAt',
  'lastSuccessAt',
  'ticketRef',
  'ticketStatus',
  'reportedAt',
  'acknowledgedAt',
  'restoredAt',
  'carrierResponse',
  'guardReports',
  'notes',
] as const;

/** Voice-quality episodes from test calls (issue 17), after the ledger when there are any. */
export const VOICE_COLUMNS = [
  'lineId',
  'lineName',
  'trunk',
  'voiceFault',
  'voiceFrom',
  'voiceTo',
  'testCalls',
  'mediaReceivedPct',
  'worstMos',
] as const;

export type CsvColumn =
  (typeof FIGURE_COLUMNS)[number] | (typeof LEDGER_COLUMNS)[number] | (typeof VOICE_COLUMNS)[number];

export interface CsvLabels {
  column(key: CsvColumn): string;
  /** A code from the data (scope names, statuses, causes, carrier responses) in words. */
  term(
    kind: 'scope' | 'status' | 'cause' | 'ticketStatus' | 'carrierResponse' | 'problem' | 'voiceFault',
    code: string,
  ): string;
  time(ms: number): string;
}

const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null)[]): string {
  return values.map(cell).join(',');
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round((ms / 60_000) * 100) / 100);
const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;
const pct = (p: number | null) => (p === null ? null : Math.round(p * 1000) / 1000);

function figureCells(f: Figures) {
  return [
    pct(f.availabilityPct),
    hours(f.observedMs),
    minutes(f.downtimeMs),
    minutes(f.lineDowntimeMs),
    minutes(f.longestDowntimeMs),
    f.outageCount,
    minutes(f.mttaMs),
    minutes(f.mttrMs),
    f.overdueCount,
  ];
}

export function reportCsv(report: PeriodReport, labels: CsvLabels): string {
  const t = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : labels.time(ms));
  const unitName = new Map(report.units.map((u) => [u.unit, u.name]));
  const lines: string[] = [csvLine(FIGURE_COLUMNS.map((c) => labels.column(c)))];
  lines.push(csvLine([labels.term('scope', 'facility'), '', '', report.facility.name, ...figureCells(report.totals)]));
  for (const u of report.units) lines.push(csvLine([labels.term('scope', 'unit'), u.name, '', '', ...figureCells(u)]));
  for (const l of report.lines) {
    lines.push(
      csvLine([labels.term('scope', 'line'), unitName.get(l.unit) ?? l.unit, l.lineId, l.name, ...figureCells(l)]),
    );
  }
  lines.push('');
  lines.push(csvLine(LEDGER_COLUMNS.map((c) => labels.column(c))));
  for (const row of report.outages) {
    const o = row.outage;
    lines.push(
      csvLine([
        o.id,
        t(o.openedAt),
        t(o.status === 'open' ? null : o.resolvedAt),
        labels.term('status', o.status),
        labels.term('cause', o.cause),
        o.trunk ?? '',
        o.lineIds.join(' '),
        row.units.map((u) => unitName.get(u) ?? u).join(' '),
        minutes(row.inPeriodMs),
        row.probes.failedProbes,
        t(row.probes.firstFailureAt),
        t(row.probes.lastSuccessAt),
        row.ticket?.ticketRef ?? '',
        row.ticket ? labels.term('ticketStatus', row.ticket.status) : '',
        t(row.ticket?.reportedAt),
        t(row.ticket?.acknowledgedAt),
        t(row.ticket?.restoredAt),
        labels.term('carrierResponse', row.carrierResponse),
        row.reports
          .map((r) => `${t(r.at)} ${r.reporter}: ${labels.term('problem', r.problem)}${r.text ? ` – ${r.text}` : ''}`)
          .join(' | '),
        row.notes.map((n) => `${t(n.at)} ${n.by}: ${n.text}`).join(' | '),
      ]),
    );
  }
  if (report.voiceEpisodes.length > 0) {
    const lineName = new Map(report.lines.map((l) => [l.lineId, l.name]));
    lines.push('');
    lines.push(csvLine(VOICE_COLUMNS.map((c) => labels.column(c))));
    for (const ep of report.voiceEpisodes) {
      lines.push(
        csvLine([
          ep.lineId,
          lineName.get(ep.lineId) ?? ep.lineId,
          ep.trunkId,
          labels.term('voiceFault', ep.verdict),
          t(ep.from),
          t(ep.to),
          ep.calls,
          ep.mediaReceivedPct,
          ep.worstMos,
        ]),
      );
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
