/**
 * HQ's incident list. After a batch lands, every incident stream it touched is
 * refolded from all of that stream's events with the same reducer the consoles use
 * (`foldIncident`), so the tracker's picture converges with theirs by construction.
 */
import type { Transaction } from 'kysely';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { foldIncident } from '../../src-shared/incident-fold.ts';
import type { Incident } from '../../src-shared/incident.ts';
import type { IncidentsTable, TrackerDatabase } from '../db/schema.ts';
import { chunks, rowToEnvelope } from '../events/event-rows.ts';

const STREAMS_PER_QUERY = 500;
const UPSERT_ROWS = 200;

export function isIncidentEvent(type: string): boolean {
  return type.startsWith('incident.');
}

export interface IncidentRefold {
  /** Fold each touched stream from its earlier events plus those this batch stored, and upsert the rows. */
  apply(stored: readonly EventEnvelope[]): Promise<void>;
}

/**
 * Reads the earlier events of every incident stream the batch touches. Called before
 * the batch is inserted, so a stream that is new (the common case) costs one index
 * probe instead of reading back the rows just written.
 */
export async function prepareIncidentRefold(
  trx: Transaction<TrackerDatabase>,
  facility: string,
  incoming: readonly EventEnvelope[],
): Promise<IncidentRefold> {
  const streams = [...new Set(incoming.filter((e) => isIncidentEvent(e.type)).map((e) => e.streamId))];
  const earlier = new Map<string, EventEnvelope[]>();
  for (const part of chunks(streams, STREAMS_PER_QUERY)) {
    const rows = await trx
      .selectFrom('events')
      .selectAll()
      .where('facility', '=', facility)
      .where('stream_id', 'in', part)
      .execute();
    for (const row of rows) {
      if (!isIncidentEvent(row.type)) continue;
      const list = earlier.get(row.stream_id) ?? [];
      list.push(rowToEnvelope(row));
      earlier.set(row.stream_id, list);
    }
  }
  return { apply: (stored) => upsertFolded(trx, facility, earlier, stored) };
}

async function upsertFolded(
  trx: Transaction<TrackerDatabase>,
  facility: string,
  earlier: ReadonlyMap<string, EventEnvelope[]>,
  stored: readonly EventEnvelope[],
): Promise<void> {
  const byStream = new Map<string, EventEnvelope[]>();
  for (const event of stored) {
    if (!isIncidentEvent(event.type)) continue;
    const list = byStream.get(event.streamId) ?? [...(earlier.get(event.streamId) ?? [])];
    list.push(event);
    byStream.set(event.streamId, list);
  }

  const projected: IncidentsTable[] = [];
  for (const events of byStream.values()) {
    const incident = foldIncident(events);
    if (incident) projected.push(toRow(facility, incident));
  }
  for (const part of chunks(projected, UPSERT_ROWS)) {
    await trx
      .insertInto('incidents')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['facility', 'id']).doUpdateSet((eb) => ({
          unit: eb.ref('excluded.unit'),
          category: eb.ref('excluded.category'),
          severity: eb.ref('excluded.severity'),
          status: eb.ref('excluded.status'),
          title: eb.ref('excluded.title'),
          occurred_at: eb.ref('excluded.occurred_at'),
          reported_by: eb.ref('excluded.reported_by'),
          created_hlc: eb.ref('excluded.created_hlc'),
          updated_hlc: eb.ref('excluded.updated_hlc'),
          note_count: eb.ref('excluded.note_count'),
          conflict_count: eb.ref('excluded.conflict_count'),
          search_text: eb.ref('excluded.search_text'),
        })),
      )
      .execute();
  }
}

function toRow(facility: string, incident: Incident): IncidentsTable {
  return {
    facility,
    id: incident.id,
    unit: incident.unit,
    category: incident.category,
    severity: incident.severity,
    status: incident.status,
    title: incident.title,
    occurred_at: incident.occurredAt,
    reported_by: incident.reportedBy,
    created_hlc: incident.createdHlc,
    updated_hlc: incident.updatedHlc,
    note_count: incident.notes.length,
    conflict_count: incident.conflicts.length,
    search_text: searchText(incident),
  };
}

export function searchText(incident: Incident): string {
  return [
    incident.title,
    incident.description,
    incident.location,
    incident.unit,
    incident.reportedBy,
    ...incident.peopleInvolved,
    ...incident.notes.map((n) => n.text),
  ]
    .join('\n')
    .toLocaleLowerCase('sv');
}
