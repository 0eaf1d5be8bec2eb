/**
 * Column titles and terms for HQ's CSV export, in Swedish (HQ's language) and English.
 * The console's renderer has its own in i18n; both feed the shared `reportCsv`.
 */
import type { CsvColumn, CsvLabels } from '../../src-shared/figures-csv.ts';

type Lang = 'sv' | 'en';
type Terms = Record<string, Record<string, string>>;

const COLUMNS: Record<Lang, Record<CsvColumn, string>> = {
  sv: {
    scope: 'Nivå',
    unit: 'Avdelning',
    lineId: 'Linje-id',
    lineName: 'Namn',
    availabilityPct: 'Tillgänglighet %',
    observedHours: 'Mätt tid (h)',
    downtimeMinutes: 'Avbrottstid (min)',
    lineDowntimeMinutes: 'Linjeavbrottstid (min)',
    longestDowntimeMinutes: 'Längsta avbrott (min)',
    outageCount: 'Antal avbrott',
    mttaMinutes: 'MTTA (min)',
    mttrMinutes: 'MTTR (min)',
    overdueCount: 'Utan svar från operatör',
    outageId: 'Avbrotts-id',
    openedAt: 'Började',
    endedAt: 'Slutade',
    status: 'Status',
    cause: 'Orsak',
    trunk: 'Trunk',
    lines: 'Linjer',
    units: 'Avdelningar',
    inPeriodMinutes: 'Inom perioden (min)',
    failedProbes: 'Misslyckade mätningar',
    firstFailureAt: 'Första fel',
    lastSuccessAt: 'Senast fungerande',
    ticketRef: 'Ärendenummer',
    ticketStatus: 'Ärendestatus',
    reportedAt: 'Anmält',
    acknowledgedAt: 'Kvitterat av operatör',
    restoredAt: 'Återställt',
    carrierResponse: 'Operatörens svar',
    guardReports: 'Felanmälningar',
    notes: 'Anteckningar',
  },
  en: {
    scope: 'Level',
    unit: 'Unit',
    lineId: 'Line id',
    lineName: 'Name',
    availabilityPct: 'Availability %',
    observedHours: 'Observed (h)',
    downtimeMinutes: 'Downtime (min)',
    lineDowntimeMinutes: 'Line downtime (min)',
    longestDowntimeMinutes: 'Longest outage (min)',
    outageCount: 'Outages',
    mttaMinutes: 'MTTA (min)',
    mttrMinutes: 'MTTR (min)',
    overdueCount: 'No carrier response',
    outageId: 'Outage id',
    openedAt: 'Started',
    endedAt: 'Ended',
    status: 'Status',
    cause: 'Cause',
    trunk: 'Trunk',
    lines: 'Lines',
    units: 'Units',
    inPeriodMinutes: 'In period (min)',
    failedProbes: 'Failed probes',
    firstFailureAt: 'First failure',
    lastSuccessAt: 'Last success',
    ticketRef: 'Ticket',
    ticketStatus: 'Ticket status',
    reportedAt: 'Reported',
    acknowledgedAt: 'Acknowledged by carrier',
    restoredAt: 'Restored',
    carrierResponse: 'Carrier response',
    guardReports: 'Guard reports',
    notes: 'Notes',
  },
};

const TERMS: Record<Lang, Terms> = {
  sv: {
    scope: { facility: 'Anstalt', unit: 'Avdelning', line: 'Linje' },
    status: { open: 'Pågår', resolved: 'Åtgärdat', dismissed: 'Avfärdat' },
    cause: { trunk_down: 'Trunk nere', lines_down: 'Linjer nere', reported: 'Felanmält' },
    ticketStatus: {
      reported: 'Anmält',
      acknowledged: 'Kvitterat',
      in_progress: 'Under åtgärd',
      restored: 'Återställt',
      closed: 'Stängt',
      rejected: 'Avvisat',
    },
    carrierResponse: {
      not_reported: 'Ej anmält',
      pending: 'Väntar',
      in_time: 'I tid',
      overdue: 'Inget svar',
      late: 'Sent svar',
    },
    problem: {
      no_dial_tone: 'Ingen kopplingston',
      one_way_audio: 'Envägsljud',
      calls_drop: 'Samtal bryts',
      cannot_call_out: 'Kan inte ringa ut',
      other: 'Annat',
    },
  },
  en: {
    scope: { facility: 'Facility', unit: 'Unit', line: 'Line' },
    status: { open: 'Ongoing', resolved: 'Resolved', dismissed: 'Dismissed' },
    cause: { trunk_down: 'Trunk down', lines_down: 'Lines down', reported: 'Reported' },
    ticketStatus: {
      reported: 'Reported',
      acknowledged: 'Acknowledged',
      in_progress: 'In progress',
      restored: 'Restored',
      closed: 'Closed',
      rejected: 'Rejected',
    },
    carrierResponse: {
      not_reported: 'Not reported',
      pending: 'Pending',
      in_time: 'In time',
      overdue: 'No response',
      late: 'Late response',
    },
    problem: {
      no_dial_tone: 'No dial tone',
      one_way_audio: 'One-way audio',
      calls_drop: 'Calls drop',
      cannot_call_out: 'Cannot call out',
      other: 'Other',
    },
  },
};

export function hqCsvLabels(lang: Lang): CsvLabels {
  return {
    column: (key) => COLUMNS[lang][key],
    term: (kind, code) => TERMS[lang][kind]?.[code] ?? code,
    // ISO 8601 in UTC: unambiguous wherever the file is opened.
    time: (ms) => new Date(ms).toISOString(),
  };
}
