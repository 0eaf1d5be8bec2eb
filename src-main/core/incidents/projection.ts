/**
 * Incident projection: the list view folded from each incident's events, inside the
 * command's transaction; and the search index, kept after the commit (issue 16).
 */
import type { DeferredProjector, Projector } from '../store/event-store.ts';
import type { Db } from '../store/database.ts';
import { compareEvents, type StoredEvent } from '../../../src-shared/events.ts';
import { continueIncident, foldIncident } from '../../../src-shared/incident-fold.ts';
import type { Incident } from '../../../src-shared/incident.ts';

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
         note_count = excluded.note_count, conflict_count = excluded.conflict_count, doc = excluded.doc`,
    ),
    insertSearch: db.prepare(
      'INSERT INTO incidents_fts (rowid, incident_id, title, description, people, location, notes) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    searchSource: db.prepare<[string], { rowid: number; doc: string }>('SELECT rowid, doc FROM incidents WHERE id = ?'),
    doc: db.prepare<[string], { doc: string }>('SELECT doc FROM incidents WHERE id = ?'),
  };
}

function statements(db: Db) {
  let s = statementsByDb.get(db);
  if (!s) statementsByDb.set(db, (s = prepareStatements(db)));
  return s;
}

function firstArchive(events: readonly StoredEvent[]): StoredEvent | null {
  let first: StoredEvent | null = null;
  for (const e of events) if (e.type === 'incident.archived' && (!first || compareEvents(e, first) < 0)) first = e;
  return first;
}

function remove(q: ReturnType<typeof statements>, streamId: string, archived: StoredEvent | null): void {
  // The search row shares the incident row's rowid and goes with it, in this transaction:
  // once the row is gone the rowid could be reused, so the search index could not find it later.
  const existing = q.rowid.get(streamId);
  if (existing) q.deleteSearch.run(existing.rowid);
  q.deleteIncident.run(streamId);
  if (archived) q.archive.run(streamId, archived.id, archived.hlc);
}

export const incidentProjector: Projector = {
  name: 'incidents',
  // A view changes nothing in the incident: it is logged, never folded (and costs no refold).
  handles: (type) => type.startsWith('incident.') && type !== 'incident.viewed',
  project(db, streamId, events) {
    const q = statements(db);
    // Archived after its retention period: out of the list and search for good, also when a
    // late event arrives; the events stay in the log and at the tracker.
    const archived = firstArchive(events);
    const incident = archived ? null : foldIncident(events);
    if (!incident) return remove(q, streamId, archived);
    upsert(q, incident);
  },
  /**
   * New events folded onto the stored incident, when the stream's first event is its creation
   * (no orphans, whose conflicts the full fold lists last) and nothing archives it: the
   * stream need not be read back (continueIncident gives what the full fold gives).
   */
  extend(db, streamId, fresh, held) {
    const q = statements(db);
    // An archive among them removes the incident whatever the stream held (project's rule;
    // the first archive of the stream is among these or already recorded): nothing to read
    // back or fold, which was most of what a retention sweep's slice allocated per incident.
    const archived = firstArchive(fresh);
    if (archived) {
      remove(q, streamId, archived);
      return true;
    }
    const row = q.doc.get(streamId);
    if (!row) return false;
    const incident = JSON.parse(row.doc) as Incident;
    if (incident.createdHlc !== held.firstHlc) return false;
    upsert(q, continueIncident(incident, fresh));
    return true;
  },
};

function upsert(q: ReturnType<typeof prepareStatements>, incident: Incident): void {
  // The upsert keeps an existing row's rowid, which the search row shares (searchProjector).
  q.upsert.run({
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
  });
}

/**
 * The search index (incidents_fts), written after the command's commit rather than in it: it
 * is derived from the incident rows and rebuilt from them, so the command's durable commit
 * no longer carries its pages (npm run bench profile). A search calls `store.catchUpDeferred()`
 * first, so it always sees every committed incident; after a crash the index catches up at
 * start-up from the store's high-water mark.
 */
export const searchProjector: DeferredProjector = {
  name: 'incident-search',
  handles: incidentProjector.handles,
  catchUp(db, streamIds) {
    const q = statements(db);
    for (const id of streamIds) {
      const row = q.searchSource.get(id);
      // Gone (archived): the projector removed its search row with it.
      if (!row) continue;
      const incident = JSON.parse(row.doc) as Incident;
      // Replaced by rowid: an indexed delete (contentless_delete), a no-op when not yet indexed.
      q.deleteSearch.run(row.rowid);
      q.insertSearch.run(
        row.rowid,
        incident.id,
        incident.title,
        incident.description,
        incident.peopleInvolved.join(' '),
        incident.location,
        incident.notes.map((n) => n.text).join('\n'),
      );
    }
  },
};
