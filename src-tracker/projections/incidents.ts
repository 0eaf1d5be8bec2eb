/** HQ's incident list, folded with the consoles' own reducer (`foldIncident`). */
import type { Kysely, Transaction } from 'kysely';
import { bulkInsert, type BulkInsert } from '../db/bulk-insert.ts';
import { foldIncident } from '../../src-shared/incident-fold.ts';
import type { Incident } from '../../src-shared/incident.ts';
import type { IncidentsTable, TrackerDatabase } from '../db/schema.ts';
import { chunks } from '../events/event-rows.ts';
import type { StreamProjector } from './refold.ts';

/** 200 rows x 14 columns stays well under both databases' parameter limits. */
const UPSERT_ROWS = 200;

export const incidentProjector: StreamProjector = {
  name: 'incidents',
  handles: (type) => type.startsWith('incident.'),
  fold(facility, streams) {
    const rows: IncidentsTable[] = [];
    for (const events of streams) {
      const incident = foldIncident(events);
      if (incident) rows.push(toRow(facility, incident));
    }
    return async (trx) => {
      for (const part of chunks(rows, UPSERT_ROWS)) await upsert(trx, part);
    };
  },
};

const COLUMNS = [
  'facility',
  'id',
  'unit',
  'category',
  'severity',
  'status',
  'title',
  'occurred_at',
  'reported_by',
  'created_hlc',
  'updated_hlc',
  'note_count',
  'conflict_count',
  'search_text',
] as const satisfies readonly (keyof IncidentsTable)[];

const UPSERT: BulkInsert<(typeof COLUMNS)[number]> = {
  table: 'incidents',
  columns: COLUMNS,
  tail:
    'ON CONFLICT (facility, id) DO UPDATE SET ' +
    COLUMNS.filter((c) => c !== 'facility' && c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', '),
};

function upsert(trx: Transaction<TrackerDatabase>, rows: IncidentsTable[]): Promise<unknown[]> {
  return bulkInsert(trx as unknown as Kysely<unknown>, UPSERT, rows as unknown as Record<string, string | number>[]);
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

/**
 * Lower-cased in JS, so å/ä/ö match alike on SQLite and PostgreSQL. Plain
 * `toLowerCase()`: Unicode's case mapping has no Swedish tailoring, so it equals
 * `toLocaleLowerCase('sv')` (which HQ's search applies to the query; the unit test
 * checks every code point) at a quarter of the cost, paid on every refold.
 */
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
    .toLowerCase();
}
