/** HQ's incident list, folded with the consoles' own reducer (`foldIncident`). */
import type { Transaction } from 'kysely';
import { foldIncident } from '../../src-shared/incident-fold.ts';
import type { Incident } from '../../src-shared/incident.ts';
import type { IncidentsTable, TrackerDatabase } from '../db/schema.ts';
import { chunks } from '../events/event-rows.ts';
import type { StreamProjector } from './refold.ts';

const UPSERT_ROWS = 200;

export const incidentProjector: StreamProjector = {
  name: 'incidents',
  handles: (type) => type.startsWith('incident.'),
  async project(trx, facility, streams) {
    const rows: IncidentsTable[] = [];
    for (const events of streams) {
      const incident = foldIncident(events);
      if (incident) rows.push(toRow(facility, incident));
    }
    for (const part of chunks(rows, UPSERT_ROWS)) await upsert(trx, part);
  },
};

async function upsert(trx: Transaction<TrackerDatabase>, rows: IncidentsTable[]): Promise<void> {
  await trx
    .insertInto('incidents')
    .values(rows)
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

/** Lower-cased in JS (Swedish rules), so å/ä/ö match alike on SQLite and PostgreSQL. */
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
