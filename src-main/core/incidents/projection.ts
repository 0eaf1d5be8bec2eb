/** Incident projection: the list/search view folded from each incident's events. */
import type { Projector } from '../store/event-store.ts';
import type { Db } from '../store/database.ts';
import { foldIncident } from '../../../src-shared/incident-fold.ts';

/**
 * Prepared once per database: better-sqlite3 does not cache `prepare`, and preparing these
 * on every command cost 4 prepares per incident command (npm run bench profile).
 */
const statementsByDb = new WeakMap<Db, ReturnType<typeof prepareStatements>>();

function prepareStatements(db: Db) {
  return {
    rowid: db.prepare<[string], { rowid: number }>('SELECT rowid FROM incidents WHERE id = ?'),
    deleteSearch: db.prepare('DELETE FROM incidents_fts WHERE rowid = ?'),
    deleteIncident: db.prepare('DELETE FROM incidents WHERE id = ?'),
    archive: db.prepare(
      'INSERT INTO incidents_archived (id, event_id, archived_hlc) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
    ),
    upsert: db.prepare(
      `INSERT INTO incidents (id, facility, unit, category, severity, status, title, occurred_at, reported_by,
                              created_hlc, updated_hlc, note_count, conflict_count, doc)
       VALUES (@id, @facility, @unit, @category, @severity, @status, @title, @occurredAt, @reportedBy,
               @createdHlc, @updatedHlc, @noteCount, @conflictCount, @doc)
       ON CONFLICT (id) DO UPDATE SET facility = excluded.facility, unit = excluded.unit, category = excluded.category,
         severity = excluded.severity, status = excluded.status, title = excluded.title, occurred_at = excluded.occurred_at,
         reported_by = excluded.reported_by, created_hlc = excluded.created_hlc, updated_hlc = excluded.updated_hlc,
         note_count = excluded.note_count, conflict_count = excluded.conflict_count, doc = excluded.doc
       RETURNING rowid`,
    ),
    insertSearch: db.prepare(
      'INSERT INTO incidents_fts (rowid, incident_id, title, description, people, location, notes) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
  };
}

function statements(db: Db) {
  let s = statementsByDb.get(db);
  if (!s) statementsByDb.set(db, (s = prepareStatements(db)));
  return s;
}

export const incidentProjector: Projector = {
  name: 'incidents',
  // A view changes nothing in the incident: it is logged, never folded (and costs no refold).
  handles: (type) => type.startsWith('incident.') && type !== 'incident.viewed',
  project(db, streamId, events) {
    const incident = foldIncident(events);
    // The search row shares the incident row's rowid, so replacing it is an indexed
    // delete rather than a scan of the whole index.
    const q = statements(db);
    const existing = q.rowid.get(streamId);
    if (existing) q.deleteSearch.run(existing.rowid);
    // Archived after its retention period: out of the list and search for good, also when a
    // late event arrives; the events stay in the log and at the tracker.
    const archived = events.find((e) => e.type === 'incident.archived');
    if (!incident || archived) {
      q.deleteIncident.run(streamId);
      if (archived) q.archive.run(streamId, archived.id, archived.hlc);
      return;
    }
    const { rowid } = q.upsert.get({
      id: incident.id,
      facility: incident.facility,
      unit: incident.unit,
      category: incident.category,
      severity: incident.severity,
      status: incident.status,
      title: incident.title,
      occurredAt: incident.occurredAt,
      reportedBy: incident.reportedBy,
      createdHlc: incident.createdHlc,
      updatedHlc: incident.updatedHlc,
      noteCount: incident.notes.length,
      conflictCount: incident.conflicts.length,
      doc: JSON.stringify(incident),
    }) as { rowid: number };
    q.insertSearch.run(
      rowid,
      incident.id,
      incident.title,
      incident.description,
      incident.peopleInvolved.join(' '),
      incident.location,
      incident.notes.map((n) => n.text).join('\n'),
    );
  },
};
