/**
 * The incident list and its full-text search, on any connection: the store's own, or the
 * background worker's read-only one (issue 16), so both answer from the same code.
 */
import type { z } from 'zod';
import type { IncidentListInput, IncidentSummary } from '../../../src-shared/api.ts';
import type { Db } from '../store/database.ts';
import { toFtsQuery } from './search.ts';

export type IncidentListQuery = z.output<typeof IncidentListInput>;
export interface IncidentListOutput {
  items: IncidentSummary[];
  total: number;
}

interface IncidentRow {
  id: string;
  facility: string;
  unit: string;
  category: string;
  severity: string;
  status: string;
  title: string;
  occurred_at: string;
  reported_by: string;
  created_hlc: string;
  updated_hlc: string;
  note_count: number;
  conflict_count: number;
  pending: number;
}

export function listIncidents(db: Db, input: IncidentListQuery): IncidentListOutput {
  const where: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('i.status', input.status);
  inList('i.category', input.category);
  inList('i.severity', input.severity);
  const fts = input.query ? toFtsQuery(input.query) : null;
  if (fts) {
    where.push('i.rowid IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?)');
    params.push(fts);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // One search row per incident, so a pure text search counts in the index alone.
  const total = (
    fts && where.length === 1
      ? db.prepare('SELECT count(*) AS n FROM incidents_fts WHERE incidents_fts MATCH ?').get(fts)
      : db.prepare(`SELECT count(*) AS n FROM incidents i ${clause}`).get(...params)
  ) as { n: number };
  // Many matches: walk the recency index and stop after one page instead of sorting
  // every match; few matches: sorting them is cheaper than walking the index.
  const walk = total.n > DENSE_MATCHES ? 'INDEXED BY incidents_recent' : '';
  const rows = db
    .prepare(
      // Page first, then look up sync state for the page only (not for every match).
      `SELECT p.*, EXISTS (SELECT 1 FROM events e WHERE e.stream_id = p.id AND e.synced_at IS NULL
                               AND e.type <> 'incident.viewed') AS pending
         FROM (SELECT i.* FROM incidents i ${walk} ${clause} ORDER BY i.created_hlc DESC LIMIT ? OFFSET ?) p
         ORDER BY p.created_hlc DESC`,
    )
    .all(...params, input.limit, input.offset) as IncidentRow[];
  return { items: rows.map(toSummary), total: total.n };
}

/** Above this many matches a page is found faster by walking the recency index. */
const DENSE_MATCHES = 2000;

function toSummary(row: IncidentRow): IncidentSummary {
  return {
    id: row.id,
    facility: row.facility,
    unit: row.unit,
    category: row.category as IncidentSummary['category'],
    severity: row.severity as IncidentSummary['severity'],
    status: row.status as IncidentSummary['status'],
    title: row.title,
    occurredAt: row.occurred_at,
    reportedBy: row.reported_by,
    createdHlc: row.created_hlc,
    updatedHlc: row.updated_hlc,
    noteCount: row.note_count,
    conflictCount: row.conflict_count,
    pendingSync: row.pending === 1,
  };
}
