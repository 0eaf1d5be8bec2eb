/**
 * Outages as TM Forum Trouble Tickets (TMF621 v4 resource shape), so a carrier's
 * ticketing system can import the agency's evidence. One ticket per outage; the
 * mapping is documented field by field in docs/tmf621-mapping.md. Descriptions are
 * in English: the export is read by the carrier's systems, not by staff.
 */
import type { CarrierTicketStatus } from './carrier-ticket.ts';
import type { LineCatalog } from './figures-catalog.ts';
import type { LedgerRow } from './figures-report.ts';
import type { OutageCause } from './outages.ts';
import { episodeSummary, type VoiceEpisode } from './voice.ts';

export const TMF621_STATUSES = [
  'acknowledged',
  'rejected',
  'pending',
  'held',
  'inProgress',
  'cancelled',
  'closed',
  'resolved',
] as const;
export type Tmf621Status = (typeof TMF621_STATUSES)[number];

export interface Tmf621RelatedEntity {
  id: string;
  name: string;
  role: 'affectedLine' | 'rootCause' | 'site';
  '@referredType': 'Resource' | 'GeographicSite';
}
export interface Tmf621Note {
  id: string;
  author: string;
  date: string;
  text: string;
  '@type': 'Note';
}
export interface Tmf621StatusChange {
  status: Tmf621Status;
  changeDate: string;
  changeReason: string;
}
export interface Tmf621Characteristic {
  name: string;
  value: string | number | null;
  valueType: 'string' | 'number' | 'dateTime';
}
/** A type alias (not an interface) so it passes as a plain JSON record. */
export type Tmf621TroubleTicket = {
  '@type': 'TroubleTicket';
  id: string;
  name: string;
  description: string;
  severity: 'critical' | 'major' | 'minor';
  ticketType: 'outage' | 'voiceQuality';
  status: Tmf621Status;
  statusChangeDate: string;
  statusChangeReason: string;
  creationDate: string;
  lastUpdate: string;
  resolutionDate?: string;
  /** The carrier's own ticket number, when the agency has one. */
  externalId?: string;
  relatedEntity: Tmf621RelatedEntity[];
  relatedParty: { id: string; name: string; role: 'originator'; '@referredType': 'Organization' }[];
  note: Tmf621Note[];
  statusChange: Tmf621StatusChange[];
  troubleTicketCharacteristic: Tmf621Characteristic[];
};

const SEVERITY: Record<OutageCause, Tmf621TroubleTicket['severity']> = {
  trunk_down: 'critical',
  lines_down: 'major',
  reported: 'minor',
};

const TICKET_STATUS: Record<CarrierTicketStatus, Tmf621Status> = {
  reported: 'pending', // filed, awaiting the carrier's acknowledgement
  acknowledged: 'acknowledged',
  in_progress: 'inProgress',
  restored: 'resolved',
  closed: 'closed',
  rejected: 'rejected',
};

const iso = (ms: number) => new Date(ms).toISOString();

export function tmf621Status(row: LedgerRow): Tmf621Status {
  if (row.outage.status === 'dismissed') return 'cancelled';
  if (row.ticket) return TICKET_STATUS[row.ticket.status];
  return row.outage.status === 'resolved' ? 'resolved' : 'pending';
}

function statusChanges(row: LedgerRow): Tmf621StatusChange[] {
  const changes: (Tmf621StatusChange & { ms: number })[] = [
    { status: 'pending', ms: row.outage.openedAt, changeDate: '', changeReason: `outage opened (${row.outage.cause})` },
  ];
  for (const h of row.ticket?.history ?? [])
    changes.push({
      status: TICKET_STATUS[h.status],
      ms: h.at,
      changeDate: '',
      changeReason: `carrier ticket ${h.status}`,
    });
  const o = row.outage;
  if (o.status === 'resolved' && o.resolvedAt !== null)
    changes.push({
      status: 'resolved',
      ms: o.resolvedAt,
      changeDate: '',
      changeReason: `lines ${o.resolution ?? 'recovered'}`,
    });
  if (o.status === 'dismissed' && o.dismissed)
    changes.push({ status: 'cancelled', ms: o.dismissed.at, changeDate: '', changeReason: 'dismissed by supervisor' });
  return changes.sort((a, b) => a.ms - b.ms).map(({ ms, ...c }) => ({ ...c, changeDate: iso(ms) }));
}

export function toTroubleTicket(row: LedgerRow, facility: { id: string; name: string }, catalog: LineCatalog | null) {
  const lineName = new Map((catalog?.lines ?? []).map((l) => [l.id, l.name]));
  const o = row.outage;
  const names = o.lineIds.map((id) => lineName.get(id) ?? id);
  const changes = statusChanges(row);
  const last = changes.at(-1)!;
  const lastUpdateMs = Math.max(
    o.openedAt,
    o.resolvedAt ?? 0,
    row.ticket?.updatedAt ?? 0,
    ...row.notes.map((n) => n.at),
    ...row.reports.map((r) => r.at),
  );
  const ticket: Tmf621TroubleTicket = {
    '@type': 'TroubleTicket',
    id: o.id,
    name: `${facility.name}: ${o.lineIds.length} line(s) out${o.trunk ? ` behind ${lineName.get(o.trunk) ?? o.trunk}` : ''}`,
    description:
      `Phone outage at ${facility.name} (${o.cause.replace('_', ' ')}), ${o.kind === 'reported' ? 'reported by staff' : 'detected by line probes'}. ` +
      `Lines: ${names.join(', ')}.` +
      (row.probes.failedProbes > 0 ? ` ${row.probes.failedProbes} failed probes.` : ''),
    severity: SEVERITY[o.cause],
    ticketType: 'outage',
    status: tmf621Status(row),
    statusChangeDate: last.changeDate,
    statusChangeReason: last.changeReason,
    creationDate: iso(o.openedAt),
    lastUpdate: iso(lastUpdateMs),
    ...(o.resolvedAt !== null ? { resolutionDate: iso(o.resolvedAt) } : {}),
    ...(row.ticket?.ticketRef ? { externalId: row.ticket.ticketRef } : {}),
    relatedEntity: [
      ...o.lineIds.map((id): Tmf621RelatedEntity => ({
        id,
        name: lineName.get(id) ?? id,
        role: id === o.trunk ? 'rootCause' : 'affectedLine',
        '@referredType': 'Resource',
      })),
      ...(o.trunk && !o.lineIds.includes(o.trunk)
        ? [
            {
              id: o.trunk,
              name: lineName.get(o.trunk) ?? o.trunk,
              role: 'rootCause' as const,
              '@referredType': 'Resource' as const,
            },
          ]
        : []),
      { id: facility.id, name: facility.name, role: 'site', '@referredType': 'GeographicSite' },
    ],
    relatedParty: [{ id: facility.id, name: facility.name, role: 'originator', '@referredType': 'Organization' }],
    note: [
      ...row.reports.map((r) => ({
        id: r.reportId,
        author: r.reporter,
        date: iso(r.at),
        text: `[guard report: ${r.problem}] ${r.text}`.trim(),
      })),
      ...row.notes.map((n, i) => ({
        id: `${o.id}:note:${i}`,
        author: n.by,
        date: iso(n.at),
        text: `[${n.kind}] ${n.text}`,
      })),
    ]
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      .map((n) => ({ ...n, '@type': 'Note' as const })),
    statusChange: changes,
    troubleTicketCharacteristic: [
      { name: 'failedProbes', value: row.probes.failedProbes, valueType: 'number' },
      {
        name: 'firstFailureAt',
        value: row.probes.firstFailureAt === null ? null : iso(row.probes.firstFailureAt),
        valueType: 'dateTime',
      },
      {
        name: 'lastSuccessAt',
        value: row.probes.lastSuccessAt === null ? null : iso(row.probes.lastSuccessAt),
        valueType: 'dateTime',
      },
      { name: 'downtimeInPeriodMs', value: row.inPeriodMs, valueType: 'number' },
      { name: 'carrierResponse', value: row.carrierResponse, valueType: 'string' },
      {
        name: 'carrierReportedAt',
        value: row.ticket?.reportedAt == null ? null : iso(row.ticket.reportedAt),
        valueType: 'dateTime',
      },
      {
        name: 'carrierAcknowledgedAt',
        value: row.ticket?.acknowledgedAt == null ? null : iso(row.ticket.acknowledgedAt),
        valueType: 'dateTime',
      },
      {
        name: 'carrierRestoredAt',
        value: row.ticket?.restoredAt == null ? null : iso(row.ticket.restoredAt),
        valueType: 'dateTime',
      },
    ],
  };
  return ticket;
}

/** Every outage row of a report as a trouble ticket, oldest first. */
export function toTroubleTickets(
  rows: readonly LedgerRow[],
  facility: { id: string; name: string },
  catalog: LineCatalog | null,
): Tmf621TroubleTicket[] {
  return [...rows]
    .sort((a, b) => a.outage.openedAt - b.outage.openedAt || (a.outage.id < b.outage.id ? -1 : 1))
    .map((row) => toTroubleTicket(row, facility, catalog));
}

const VOICE_SEVERITY: Record<string, Tmf621TroubleTicket['severity']> = {
  no_answer: 'critical',
  rejected: 'critical',
  no_media: 'major',
  dropped: 'major',
  poor_quality: 'minor',
};

/**
 * A voice-quality episode (issue 17) as a trouble ticket: the measured evidence a
 * carrier cannot dismiss as "signalling works" (one-way audio with 0 % media back,
 * calls cut, MOS under the floor). The id is derived from line and first call, so a
 * re-export names the same ticket.
 */
export function toVoiceTroubleTicket(
  ep: VoiceEpisode,
  facility: { id: string; name: string },
  catalog: LineCatalog | null,
): Tmf621TroubleTicket {
  const lineName = new Map((catalog?.lines ?? []).map((l) => [l.id, l.name]));
  const name = lineName.get(ep.lineId) ?? ep.lineId;
  const trunk = lineName.get(ep.trunkId) ?? ep.trunkId;
  const summary = episodeSummary(ep, ep.trunkId === ep.lineId ? name : `${name} (trunk ${trunk})`, (ms) =>
    iso(ms).slice(0, 16).replace('T', ' '),
  );
  const status: Tmf621Status = ep.ended ? 'resolved' : 'pending';
  const reason = ep.ended ? 'a later test call had good audio' : 'the latest test call still shows the fault';
  return {
    '@type': 'TroubleTicket',
    id: `voice:${facility.id}:${ep.lineId}:${ep.from}`,
    name: `${facility.name}: ${summary.split(' on ')[0]} on ${name}`,
    description: `Synthetic test calls from ${facility.name} to an echo target: ${summary} (times UTC).`,
    severity: VOICE_SEVERITY[ep.verdict] ?? 'minor',
    ticketType: 'voiceQuality',
    status,
    statusChangeDate: iso(ep.to),
    statusChangeReason: reason,
    creationDate: iso(ep.from),
    lastUpdate: iso(ep.to),
    ...(ep.ended ? { resolutionDate: iso(ep.to) } : {}),
    relatedEntity: [
      { id: ep.lineId, name, role: 'affectedLine', '@referredType': 'Resource' },
      ...(ep.trunkId !== ep.lineId
        ? [{ id: ep.trunkId, name: trunk, role: 'rootCause' as const, '@referredType': 'Resource' as const }]
        : []),
      { id: facility.id, name: facility.name, role: 'site', '@referredType': 'GeographicSite' },
    ],
    relatedParty: [{ id: facility.id, name: facility.name, role: 'originator', '@referredType': 'Organization' }],
    note: [],
    statusChange: [
      { status: 'pending', changeDate: iso(ep.from), changeReason: `first test call with ${ep.verdict}` },
      ...(ep.ended ? [{ status: 'resolved' as const, changeDate: iso(ep.to), changeReason: reason }] : []),
    ],
    troubleTicketCharacteristic: [
      { name: 'voiceFault', value: ep.verdict, valueType: 'string' },
      { name: 'testCalls', value: ep.calls, valueType: 'number' },
      { name: 'mediaReceivedPct', value: ep.mediaReceivedPct, valueType: 'number' },
      { name: 'worstMos', value: ep.worstMos, valueType: 'number' },
      { name: 'firstTestCallAt', value: iso(ep.from), valueType: 'dateTime' },
      { name: 'lastTestCallAt', value: iso(ep.to), valueType: 'dateTime' },
    ],
  };
}
