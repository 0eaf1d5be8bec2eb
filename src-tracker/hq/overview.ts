/**
 * HQ's overview (issue 15): per facility, lines up/down now (named), open outages with
 * their start, open threats and escalations, consoles online/offline with last
 * contact, and carrier tickets with no answer past the no-response window. Reads only
 * projections and small tables, a fixed number of queries whatever the fleet's size.
 */
import { DEFAULT_NO_RESPONSE_HOURS } from '../../src-shared/figures-report.ts';
import type { LineCatalog } from '../../src-shared/figures-catalog.ts';
import type { CarrierTicket } from '../../src-shared/carrier-ticket.ts';
import type { HqOverview, HqOverviewFacility } from '../../src-shared/hq-wire.ts';
import type { Outage } from '../../src-shared/outages.ts';
import type { TrackerDb } from '../db/database.ts';
import { TRACKER_DEVICE_ID } from '../../src-shared/signed-envelope.ts';

/** A console whose last authenticated request is older than this counts as offline. */
export const CONSOLE_ONLINE_MS = 2 * 60_000;
const OPEN_INCIDENT: string[] = ['open', 'acknowledged', 'escalated'];
const HOUR_MS = 3_600_000;
const STATE_KEY: Record<string, keyof HqOverviewFacility['lines']> = {
  UP: 'up',
  DEGRADED: 'degraded',
  DOWN: 'down',
  UNKNOWN: 'unknown',
};

export function facilityName(row: { id: string; name: string | null }): string {
  return row.name ?? row.id;
}

export async function hqOverview(
  store: TrackerDb,
  asOf: number,
  liveDevices: ReadonlySet<string>,
): Promise<HqOverview> {
  const { db } = store;
  const [facilities, lines, catalogs, outages, incidents, devices] = await Promise.all([
    db.selectFrom('facilities').select(['id', 'name']).execute(),
    db.selectFrom('line_states').select(['facility', 'line_id', 'state', 'since']).execute(),
    db.selectFrom('facility_catalogs').select(['facility', 'doc']).execute(),
    db.selectFrom('outages').select(['facility', 'doc', 'ticket']).where('status', '=', 'open').execute(),
    db
      .selectFrom('incidents')
      .select(['facility', 'category', 'status'])
      .where('status', 'in', OPEN_INCIDENT)
      .execute(),
    // The tracker's own per-facility author rows (identity/authored-events.ts) are not consoles.
    db
      .selectFrom('devices')
      .select(['id', 'facility', 'last_seen_at'])
      .where('revoked_at', 'is', null)
      .where('device_id', '!=', TRACKER_DEVICE_ID)
      .execute(),
  ]);

  const byId = new Map<string, HqOverviewFacility>();
  for (const f of facilities) {
    byId.set(f.id, {
      id: f.id,
      name: facilityName(f),
      lines: { up: 0, degraded: 0, down: 0, unknown: 0 },
      downLines: [],
      openOutages: [],
      openThreats: 0,
      escalations: 0,
      consoles: { online: 0, offline: 0, lastContactAt: null },
      overdueTickets: 0,
    });
  }
  const catalogOf = new Map<string, LineCatalog>(catalogs.map((c) => [c.facility, JSON.parse(c.doc) as LineCatalog]));
  for (const l of lines) {
    const f = byId.get(l.facility);
    if (!f) continue;
    const state = STATE_KEY[l.state] ?? 'unknown';
    f.lines[state] += 1;
    if (state === 'down') {
      const catalog = catalogOf.get(l.facility);
      const line = catalog?.lines.find((x) => x.id === l.line_id);
      const unit = line ? (catalog?.units.find((u) => u.id === line.unit)?.name ?? line.unit) : '';
      f.downLines.push({ lineId: l.line_id, name: line?.name ?? l.line_id, unit, since: Number(l.since) });
    }
  }
  const overdueAfter = DEFAULT_NO_RESPONSE_HOURS * HOUR_MS;
  for (const o of outages) {
    const f = byId.get(o.facility);
    if (!f) continue;
    const outage = JSON.parse(o.doc) as Outage;
    f.openOutages.push({ id: outage.id, openedAt: outage.openedAt, lines: outage.lineIds.length });
    const ticket = o.ticket ? (JSON.parse(o.ticket) as CarrierTicket) : null;
    if (ticket?.reportedAt != null && ticket.acknowledgedAt == null && ticket.restoredAt == null) {
      if (asOf - ticket.reportedAt > overdueAfter) f.overdueTickets += 1;
    }
  }
  for (const i of incidents) {
    const f = byId.get(i.facility);
    if (!f) continue;
    if (i.category === 'threat') f.openThreats += 1;
    if (i.status === 'escalated') f.escalations += 1;
  }
  for (const d of devices) {
    const f = byId.get(d.facility);
    if (!f) continue;
    const seen = d.last_seen_at == null ? null : Number(d.last_seen_at);
    const online = liveDevices.has(d.id) || (seen !== null && asOf - seen < CONSOLE_ONLINE_MS);
    if (online) f.consoles.online += 1;
    else f.consoles.offline += 1;
    if (seen !== null && (f.consoles.lastContactAt === null || seen > f.consoles.lastContactAt)) {
      f.consoles.lastContactAt = seen;
    }
  }
  const result = [...byId.values()];
  for (const f of result) {
    f.downLines.sort((a, b) => a.since - b.since);
    f.openOutages.sort((a, b) => a.openedAt - b.openedAt);
  }
  // Trouble first: facilities with lines down or outages open lead, then by name.
  const trouble = (f: HqOverviewFacility) => f.lines.down + f.openOutages.length + f.overdueTickets;
  result.sort((a, b) => Number(trouble(b) > 0) - Number(trouble(a) > 0) || a.name.localeCompare(b.name, 'sv'));
  return { asOf, facilities: result };
}
