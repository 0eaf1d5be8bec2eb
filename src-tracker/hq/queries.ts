/** Read-only queries behind the HQ API. */
import { sql, type Selectable } from 'kysely';
import { compareEvents, type EventEnvelope } from '../../src-shared/events.ts';
import { foldIncident } from '../../src-shared/incident-fold.ts';
import { rowToEnvelope, rowToPulled } from '../events/event-rows.ts';
import { foldStaff } from '../../src-shared/staff-fold.ts';
import { TRACKER_DEVICE_ID } from '../../src-shared/signed-envelope.ts';
import type { HqDevice, HqFacility, HqIncident, HqOutage } from '../../src-shared/sync-wire.ts';
import type { IncidentStatus } from '../../src-shared/incident.ts';
import type { TrackerDb } from '../db/database.ts';
import type { IncidentsTable } from '../db/schema.ts';
import type { Outage, OutageStatus } from '../../src-shared/outages.ts';

const OPEN_STATUSES: IncidentStatus[] = ['open', 'acknowledged', 'escalated'];

export async function listFacilities(store: TrackerDb): Promise<HqFacility[]> {
  const { db } = store;
  const rows = await db
    .selectFrom('facilities as f')
    .select((eb) => [
      'f.id',
      'f.name',
      'f.created_at',
      eb
        .selectFrom('devices as d')
        .whereRef('d.facility', '=', 'f.id')
        .where('d.revoked_at', 'is', null)
        .where('d.device_id', '!=', TRACKER_DEVICE_ID)
        .select((sub) => sub.fn.countAll().as('n'))
        .as('devices'),
      eb
        .selectFrom('incidents as i')
        .whereRef('i.facility', '=', 'f.id')
        .select((sub) => sub.fn.countAll().as('n'))
        .as('incidents'),
      eb
        .selectFrom('incidents as i')
        .whereRef('i.facility', '=', 'f.id')
        .where('i.status', 'in', OPEN_STATUSES)
        .select((sub) => sub.fn.countAll().as('n'))
        .as('open_incidents'),
      eb
        .selectFrom('events as e')
        .whereRef('e.facility', '=', 'f.id')
        .select((sub) => sub.fn.max('e.received_at').as('m'))
        .as('last_event_at'),
    ])
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name ?? r.id,
    createdAt: Number(r.created_at),
    devices: Number(r.devices ?? 0),
    incidents: Number(r.incidents ?? 0),
    openIncidents: Number(r.open_incidents ?? 0),
    lastEventAt: r.last_event_at == null ? null : Number(r.last_event_at),
  }));
}

/** The fields every HQ list of incidents shows, from a row of the `incidents` view. */
export function incidentHead(r: Selectable<IncidentsTable>) {
  return {
    id: r.id,
    facility: r.facility,
    unit: r.unit,
    category: r.category,
    severity: r.severity,
    status: r.status,
    title: r.title,
    occurredAt: r.occurred_at,
  };
}

export interface IncidentFilter {
  facility?: string | undefined;
  status?: IncidentStatus | undefined;
  q?: string | undefined;
  category?: string | undefined;
  limit: number;
}

export async function listIncidents(store: TrackerDb, filter: IncidentFilter): Promise<HqIncident[]> {
  let query = store.db.selectFrom('incidents').selectAll();
  if (filter.facility) query = query.where('facility', '=', filter.facility);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q.toLocaleLowerCase('sv'))}%`;
    query = query.where(sql<boolean>`search_text LIKE ${pattern} ESCAPE '\\'`);
  }
  const rows = await query.orderBy('updated_hlc', 'desc').orderBy('id').limit(filter.limit).execute();
  return rows.map((r) => ({
    ...incidentHead(r),
    reportedBy: r.reported_by,
    createdHlc: r.created_hlc,
    updatedHlc: r.updated_hlc,
    noteCount: Number(r.note_count),
    conflictCount: Number(r.conflict_count),
  }));
}

export interface OutageFilter {
  facility?: string | undefined;
  status?: OutageStatus | undefined;
  limit: number;
}

export async function listOutages(store: TrackerDb, filter: OutageFilter): Promise<HqOutage[]> {
  let query = store.db.selectFrom('outages').selectAll();
  if (filter.facility) query = query.where('facility', '=', filter.facility);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('opened_at', 'desc').orderBy('id').limit(filter.limit).execute();
  return rows.map((r) => ({ ...(JSON.parse(r.doc) as Outage), facility: r.facility }));
}

export async function listDevices(store: TrackerDb, facility: string | undefined): Promise<HqDevice[]> {
  // The tracker's own per-facility author rows (identity/authored-events.ts) are not consoles.
  let query = store.db
    .selectFrom('devices')
    .selectAll()
    .where('device_id', '!=', TRACKER_DEVICE_ID)
    .orderBy('facility')
    .orderBy('created_at');
  if (facility) query = query.where('facility', '=', facility);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    deviceId: r.device_id,
    facility: r.facility,
    label: r.label,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at == null ? null : Number(r.revoked_at),
    lastSeenAt: r.last_seen_at == null ? null : Number(r.last_seen_at),
  }));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One incident folded from its stream, with the stream's events as its timeline (oldest first). */
export async function incidentDetail(store: TrackerDb, facility: string, id: string) {
  const rows = await store.db
    .selectFrom('events')
    .selectAll()
    .where('facility', '=', facility)
    .where('stream_id', '=', id)
    .orderBy('server_seq')
    .execute();
  const events = rows.map(rowToPulled).sort(compareEvents);
  const incident = foldIncident(events);
  return incident ? { incident, events } : null;
}

/** The facility's roster folded from its `staff.*` events (the consoles' own fold), without PIN hashes. */
export async function facilityRoster(store: TrackerDb, facility: string) {
  const rows = await store.db
    .selectFrom('events')
    .selectAll()
    .where('facility', '=', facility)
    .where('type', 'like', 'staff.%')
    .execute();
  const streams = new Map<string, EventEnvelope[]>();
  for (const row of rows) streams.set(row.stream_id, [...(streams.get(row.stream_id) ?? []), rowToEnvelope(row)]);
  return [...streams.values()]
    .map((events) => foldStaff(events))
    .filter((r): r is NonNullable<typeof r> => r !== null)
    .map(({ pinHash, ...r }) => ({ ...r, hasPin: pinHash !== null }))
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}
