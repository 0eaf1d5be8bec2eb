/**
 * The incident list and its full-text search, on any connection: the store's own, or the
 * background worker's read-only one (issue 16), so both answer from the same code.
 */
import type { z } from 'zod';
import type { IncidentListInput, IncidentSummary } from '../../../src-shared/api.ts';
import { INCIDENT_STATUSES } from '../../../src-shared/incident.ts';
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
  // Every filter but the status one; the status filter is kept apart so a dense page can be
  // walked one status at a time (below).
  const where: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('i.category', input.category);
  inList('i.severity', input.severity);
  const fts = input.query ? toFtsQuery(input.query) : null;
  if (fts) {
    where.push('i.rowid IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?)');
    params.push(fts);
  }
  const statuses = input.status && input.status.length > 0 ? input.status : null;
  const clauseWith = (extra: readonly string[]) => {
    const all = [...extra, ...where];
    return all.length ? `WHERE ${all.join(' AND ')}` : '';
  };
  const statusIn = statuses ? [`i.status IN (${statuses.map(() => '?').join(', ')})`] : [];
  const allParams = [...(statuses ?? []), ...params];
  // One search row per incident, so a pure text search counts in the index alone.
  const total = (
    fts && where.length === 1 && !statuses
      ? db.prepare('SELECT count(*) AS n FROM incidents_fts WHERE incidents_fts MATCH ?').get(fts)
      : db.prepare(`SELECT count(*) AS n FROM incidents i ${clauseWith(statusIn)}`).get(...allParams)
  ) as { n: number };
  // Walk `incidents_status` (status, created_hlc) newest first, one status at a time, and let
  // SQLite merge the walks (MERGE (UNION ALL), no sort) until the page is full: when many
  // incidents match, or when no filter but status applies (every walked row then matches).
  // Few matches of other filters: sorting them is cheaper than walking. Schema 12 dropped the
  // recency index this page used to walk: it cost 1.28 WAL pages per incident command (npm run
  // bench profile) and served only this page.
  const dense = total.n > DENSE_MATCHES || where.length === 0;
  const page = dense
    ? (statuses ?? INCIDENT_STATUSES)
        .map(() => `SELECT i.* FROM incidents i ${clauseWith(['i.status = ?'])}`)
        .join(' UNION ALL ')
    : `SELECT i.* FROM incidents i ${clauseWith(statusIn)}`;
  const pageParams = dense ? (statuses ?? INCIDENT_STATUSES).flatMap((status) => [status, ...params]) : allParams;
  const rows = db
    .prepare(
      // Page first, then look up sync state for the page only (not for every match).
      `SELECT p.*, EXISTS (SELECT 1 FROM events e WHERE e.stream_id = p.id AND e.synced_at IS NULL
                               AND e.type <> 'incident.viewed') AS pending
         FROM (${page} ORDER BY created_hlc DESC LIMIT ? OFFSET ?) p
         ORDER BY p.created_hlc DESC`,
    )
    .all(...pageParams, input.limit, input.offset) as IncidentRow[];
  return { items: rows.map(toSummary), total: total.n };
}

/** Above this many matches a page is found faster by walking incidents_status than by a sort. */
export const DENSE_MATCHES = 2000;

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
