/**
 * The outage ledger: one entry per outage with everything the carrier is shown — the
 * outage as `foldOutage` sees it, the carrier ticket, the probe evidence, the guard
 * reports filed on its lines while it lasted, and every note. Built from the outage
 * stream's events plus the facility's guard reports, by the same code on console and
 * tracker.
 */
import { z } from 'zod';
import { compareEvents, type EventEnvelope } from './events.ts';
import { foldOutage } from './outage-fold.ts';
import { Outage } from './outages.ts';
import { LineProblemReportedPayload } from './telephony.ts';
import { CarrierTicket } from './carrier-ticket.ts';
import { foldCarrierTicket } from './carrier-ticket-fold.ts';

export const LEDGER_NOTE_KINDS = ['ticket', 'confirmed', 'dismissed', 'resolved'] as const;
export const LedgerNote = z.object({
  kind: z.enum(LEDGER_NOTE_KINDS),
  by: z.string(),
  at: z.number().int(),
  text: z.string(),
});
export type LedgerNote = z.infer<typeof LedgerNote>;

/** The monitor's evidence over all affected lines: what the carrier cannot argue with. */
export const ProbeEvidenceSummary = z.object({
  /** Failed probes counted when the lines went down (sum over lines). */
  failedProbes: z.number().int(),
  /** The earliest failed probe of any affected line. */
  firstFailureAt: z.number().int().nullable(),
  /** The last successful probe before that, on any affected line. */
  lastSuccessAt: z.number().int().nullable(),
});
export type ProbeEvidenceSummary = z.infer<typeof ProbeEvidenceSummary>;

export const LedgerEntry = z.object({
  outage: Outage,
  ticket: CarrierTicket.nullable(),
  probes: ProbeEvidenceSummary,
  reports: z.array(LineProblemReportedPayload),
  notes: z.array(LedgerNote),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/** When the outage ended, or null while it is open. */
export function outageEnd(outage: Outage): number | null {
  return outage.status === 'open' ? null : (outage.resolvedAt ?? outage.openedAt);
}

export function summariseProbes(outage: Outage): ProbeEvidenceSummary {
  let failedProbes = 0;
  let firstFailureAt: number | null = null;
  for (const { evidence } of outage.evidence) {
    failedProbes += evidence.failures;
    if (evidence.firstFailureAt !== null && (firstFailureAt === null || evidence.firstFailureAt < firstFailureAt))
      firstFailureAt = evidence.firstFailureAt;
  }
  let lastSuccessAt: number | null = null;
  for (const { evidence } of outage.evidence) {
    const s = evidence.lastSuccessAt;
    if (s === null || (firstFailureAt !== null && s > firstFailureAt)) continue;
    if (lastSuccessAt === null || s > lastSuccessAt) lastSuccessAt = s;
  }
  return { failedProbes, firstFailureAt, lastSuccessAt };
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const time = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** Every non-empty note in fold order. Reads only the note's text and time; a malformed field yields no note. */
function notesOf(events: readonly EventEnvelope[]): LedgerNote[] {
  const notes: LedgerNote[] = [];
  for (const e of [...events].sort(compareEvents)) {
    const p = (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as Record<string, unknown>;
    let note: Omit<LedgerNote, 'by'> | null = null;
    if (e.type === 'outage.carrier_ticket_set') note = { kind: 'ticket', at: e.deviceTime, text: text(p.note) };
    else if (e.type === 'outage.confirmed')
      note = { kind: 'confirmed', at: time(p.at, e.deviceTime), text: text(p.note) };
    else if (e.type === 'outage.dismissed')
      note = { kind: 'dismissed', at: time(p.at, e.deviceTime), text: text(p.reason) };
    else if (e.type === 'outage.resolved')
      note = { kind: 'resolved', at: time(p.resolvedAt, e.deviceTime), text: text(p.note) };
    if (note && note.text.trim() !== '') notes.push({ ...note, by: e.actor });
  }
  return notes;
}

/** Guard reports on the outage's lines from its start until it ended (or now), plus the one that opened it. */
export function reportsDuring(
  outage: Outage,
  reports: readonly z.infer<typeof LineProblemReportedPayload>[],
): z.infer<typeof LineProblemReportedPayload>[] {
  const end = outageEnd(outage) ?? Number.POSITIVE_INFINITY;
  const lines = new Set(outage.lineIds);
  return reports
    .filter(
      (r) =>
        r.reportId === outage.report?.reportId ||
        (r.facilityId === outage.facilityId && lines.has(r.lineId) && r.at >= outage.openedAt && r.at <= end),
    )
    .sort((a, b) => a.at - b.at || (a.reportId < b.reportId ? -1 : 1));
}

/** One outage stream's events (any order) and the facility's guard reports -> its ledger entry. */
export function ledgerEntry(
  streamEvents: readonly EventEnvelope[],
  reports: readonly z.infer<typeof LineProblemReportedPayload>[],
): LedgerEntry | null {
  const outage = foldOutage(streamEvents);
  if (!outage) return null;
  return {
    outage,
    ticket: foldCarrierTicket(streamEvents),
    probes: summariseProbes(outage),
    reports: reportsDuring(outage, reports),
    notes: notesOf(streamEvents),
  };
}
