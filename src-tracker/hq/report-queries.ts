/**
 * HQ's outage evidence, computed on read from the event log with the consoles' own
 * shared code (figures, ledger, catalogue), so a report at HQ equals the one on the
 * facility's console. Reads only line, outage and catalogue events of one facility.
 */
import { sql } from 'kysely';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { foldLineCatalog } from '../../src-shared/figures-catalog-fold.ts';
import type { LineCatalog } from '../../src-shared/figures-catalog.ts';
import { factsFromEvents } from '../../src-shared/figures-events.ts';
import { buildPeriodReport, type PeriodReport, type ReportBucket } from '../../src-shared/figures-report.ts';
import type { LineState } from '../../src-shared/telephony.ts';
import type { LineVoiceTestedPayload } from '../../src-shared/voice.ts';
import type { TrackerDb } from '../db/database.ts';
import { rowToEnvelope } from '../events/event-rows.ts';
import { incidentHead } from './queries.ts';

export interface HqReportArgs {
  from: number;
  to: number;
  noResponseHours: number;
  bucket?: ReportBucket | undefined;
}

async function evidenceEvents(store: TrackerDb, facility: string): Promise<EventEnvelope[]> {
  const rows = await store.db
    .selectFrom('events')
    .selectAll()
    .where('facility', '=', facility)
    .where((eb) =>
      eb.or([eb('type', 'like', 'line.%'), eb('type', 'like', 'outage.%'), eb('type', '=', 'facility.lines_declared')]),
    )
    .execute();
  return rows.map(rowToEnvelope);
}

export async function facilityIds(store: TrackerDb): Promise<string[]> {
  const rows = await store.db.selectFrom('facilities').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** The facility's one display name (issue 15): HQ's, never a console config's. */
export async function facilityDisplayName(store: TrackerDb, facility: string): Promise<string> {
  const row = await store.db.selectFrom('facilities').select('name').where('id', '=', facility).executeTakeFirst();
  return row?.name ?? facility;
}

export async function hqReport(store: TrackerDb, facility: string, args: HqReportArgs, asOf: number) {
  const [events, name] = await Promise.all([evidenceEvents(store, facility), facilityDisplayName(store, facility)]);
  const catalog = foldLineCatalog(events);
  const { facts, ledger } = factsFromEvents(events);
  const report: PeriodReport = buildPeriodReport({
    facility: { id: facility, name },
    catalog,
    period: { from: args.from, to: args.to },
    asOf,
    noResponseHours: args.noResponseHours,
    bucket: args.bucket,
    facts,
    ledger,
    // Test calls (issue 17) synced from the consoles become the same voice-quality episodes as on the console.
    voiceCalls: events.filter((e) => e.type === 'line.voice_tested').map((e) => e.payload as LineVoiceTestedPayload),
  });
  return { report, catalog };
}

export interface HqLineState {
  lineId: string;
  name: string;
  unit: string;
  state: LineState;
  since: number;
}

export interface HqFacilityLines {
  facility: string;
  name: string;
  lines: HqLineState[];
}

function withNames(
  catalog: LineCatalog | null,
  states: { lineId: string; state: LineState; since: number }[],
): HqLineState[] {
  const byId = new Map((catalog?.lines ?? []).map((l) => [l.id, l]));
  const unitName = new Map((catalog?.units ?? []).map((u) => [u.id, u.name]));
  return states.map((s) => {
    const line = byId.get(s.lineId);
    return {
      ...s,
      name: line?.name ?? s.lineId,
      unit: line ? (unitName.get(line.unit) ?? line.unit) : '',
    };
  });
}

/**
 * Every facility's lines as their latest synced status change left them, named from
 * the facility's catalogue; read from the projections (projections/lines.ts).
 */
export async function hqLineStates(store: TrackerDb, facility?: string): Promise<HqFacilityLines[]> {
  let facilities = store.db.selectFrom('facilities').select(['id', 'name']).orderBy('id');
  let states = store.db.selectFrom('line_states').select(['facility', 'line_id', 'state', 'since']);
  let catalogs = store.db.selectFrom('facility_catalogs').select(['facility', 'doc']);
  if (facility) {
    facilities = facilities.where('id', '=', facility);
    states = states.where('facility', '=', facility);
    catalogs = catalogs.where('facility', '=', facility);
  }
  const [facilityRows, stateRows, catalogRows] = await Promise.all([
    facilities.execute(),
    states.execute(),
    catalogs.execute(),
  ]);
  const catalogOf = new Map(catalogRows.map((c) => [c.facility, JSON.parse(c.doc) as LineCatalog]));
  return facilityRows.map((f) => {
    const current = stateRows
      .filter((s) => s.facility === f.id)
      .map((s) => ({ lineId: s.line_id, state: s.state as LineState, since: Number(s.since) }))
      .sort((a, b) => (a.lineId < b.lineId ? -1 : 1));
    return { facility: f.id, name: f.name ?? f.id, lines: withNames(catalogOf.get(f.id) ?? null, current) };
  });
}

/** Open, acknowledged or escalated incidents of high or critical severity, newest first. */
export async function incidentsNeedingAttention(store: TrackerDb, limit: number) {
  const rows = await store.db
    .selectFrom('incidents')
    .selectAll()
    .where('status', 'in', ['open', 'acknowledged', 'escalated'])
    .where('severity', 'in', ['high', 'critical'])
    .orderBy(sql`CASE WHEN severity = 'critical' THEN 0 ELSE 1 END`)
    .orderBy('updated_hlc', 'desc')
    .limit(limit)
    .execute();
  return rows.map(incidentHead);
}
