/**
 * Incident projection: the list view folded from each incident's events, inside the
 * command's transaction; and the search index, kept after the commit (issue 16).
 */
import { isPlainJson, projectionEpoch, type DeferredProjector, type Projector } from '../store/event-store.ts';
import type { Db } from '../store/database.ts';
import { compareEvents, type StoredEvent } from '../../../src-shared/events.ts';
import { fts5Totals, prepareFts5Structure } from './fts5-structure.ts';
import { continueIncident, foldIncident } from '../../../src-shared/incident-fold.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import type { Statement } from 'better-sqlite3';

/** The incident row's columns besides id and doc, each a value of the folded incident. */
const ROW_COLUMNS = [
  'facility',
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
] as const;

/**
 * The row's columns of `incident`, written into `into` from index `at` on (ROW_COLUMNS order).
 * Into arrays kept for every write (`Kept`) rather than a new array per call: an extension took
 * three (the columns before and after its fold, and the statement's parameters), 3.7 MB of a
 * catch-up's append path (node test/bench/receive-costs.ts --heap, inlining off, round 12t).
 */
function putRowValues(into: unknown[], at: number, incident: Incident): void {
  into[at] = incident.facility;
  into[at + 1] = incident.unit;
  into[at + 2] = incident.category;
  into[at + 3] = incident.severity;
  into[at + 4] = incident.status;
  into[at + 5] = incident.title;
  into[at + 6] = incident.occurredAt;
  into[at + 7] = incident.reportedBy;
  into[at + 8] = incident.createdHlc;
  into[at + 9] = incident.updatedHlc;
  into[at + 10] = incident.notes.length;
  into[at + 11] = incident.conflicts.length;
}

/**
 * Arrays the writes below fill and bind, kept from one write to the next. Safe to share: each
 * is filled and bound within one synchronous call, and a projector is never entered again from
 * inside its own statement.
 */
const Kept = {
  before: new Array<unknown>(ROW_COLUMNS.length),
  after: new Array<unknown>(ROW_COLUMNS.length),
  upsert: new Array<unknown>(ROW_COLUMNS.length + 2),
  /** An UPDATE's parameters by their count (the changed columns, the doc, the id). */
  update: [] as unknown[][],
  /** What an extension's fold starts from (plainAfterFold). */
  start: { notes: [], notesFrom: 0, conflicts: [], conflictsFrom: 0 } as FoldStart,
};

/** The notes and conflicts lists a fold onto a plain incident began with, and their lengths then. */
export interface FoldStart {
  notes: readonly unknown[];
  notesFrom: number;
  conflicts: readonly unknown[];
  conflictsFrom: number;
}

/**
 * isPlainJson(incident) for an incident folded onto a plain one, given what the fold started
 * from: its members are checked as isPlainJson checks them, except that of the notes and
 * conflicts lists, when the fold kept them, only the entries it added are (continueIncident only
 * pushes onto them; a patch that replaced one gets it checked whole). The whole walk went over
 * every earlier note again at each extension: ~30 ms of B's thread in a 21,674-event catch-up
 * (`wrote`'s isPlainJson, bench/results/history/12w-runs/profile-base-50a5427.txt, round 12w).
 * test/integration/store/plain-after-fold.test.ts compares the two over generated folds.
 */
export function plainAfterFold(incident: Incident, start: FoldStart): boolean {
  const proto = Object.getPrototypeOf(incident) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in incident) {
    if (!Object.hasOwn(incident, key)) return false;
    const value = (incident as unknown as Record<string, unknown>)[key];
    if (key === 'notes' && value === start.notes) {
      if (!plainFrom(start.notes, start.notesFrom)) return false;
    } else if (key === 'conflicts' && value === start.conflicts) {
      if (!plainFrom(start.conflicts, start.conflictsFrom)) return false;
    } else if (!isPlainJson(value, 1)) return false;
  }
  return true;
}

/** A list of a plain incident (depth 1), its entries from `from` on checked as isPlainJson would. */
function plainFrom(list: readonly unknown[], from: number): boolean {
  for (let i = from; i < list.length; i++) if (!(i in list) || !isPlainJson(list[i], 2)) return false;
  return Object.getPrototypeOf(list) === Array.prototype;
}

/**
 * Prepared once per database: better-sqlite3 does not cache `prepare`, and preparing these
 * on every command cost 4 prepares per incident command (npm run bench profile).
 */
const statementsByDb = new WeakMap<Db, ReturnType<typeof prepareStatements>>();

function prepareStatements(db: Db) {
  return {
    db,
    rowid: db.prepare<[string], { rowid: number }>('SELECT rowid FROM incidents WHERE id = ?'),
    deleteSearch: db.prepare('DELETE FROM incidents_fts WHERE rowid = ?'),
    deleteIncident: db.prepare('DELETE FROM incidents WHERE id = ?'),
    archive: db.prepare(
      'INSERT INTO incidents_archived (id, event_id, archived_hlc) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
    ),
    // Positional parameters in ROW_COLUMNS order, then doc: binding named ones from an object
    // cost more than the statement (receiver's profile, npm run bench mesh).
    upsert: db.prepare<unknown[]>(
      `INSERT INTO incidents (id, ${ROW_COLUMNS.join(', ')}, doc) VALUES (?, ${ROW_COLUMNS.map(() => '?').join(', ')}, ?)
       ON CONFLICT (id) DO UPDATE SET ${[...ROW_COLUMNS, 'doc'].map((c) => `${c} = excluded.${c}`).join(', ')}`,
    ),
    /** UPDATEs of the row's document and the columns named by a bit mask over ROW_COLUMNS. */
    updates: new Map<number, Statement<unknown[]>>(),
    // The search row of each incident named (a JSON array of ids): what it held goes, what the
    // document holds now goes in. People joined by spaces and notes by newlines, in their order.
    deleteSearchOf: db.prepare<[string]>(
      `DELETE FROM incidents_fts WHERE rowid IN
         (SELECT rowid FROM incidents WHERE id IN (SELECT value FROM json_each(?)))`,
    ),
    indexSearchOf: db.prepare<[string]>(
      `INSERT INTO incidents_fts (rowid, incident_id, title, description, people, location, notes)
       SELECT i.rowid, i.id, i.doc ->> '$.title', i.doc ->> '$.description',
              coalesce((SELECT group_concat(p.value, ' ' ORDER BY p.key) FROM json_each(i.doc, '$.peopleInvolved') p), ''),
              i.doc ->> '$.location',
              coalesce((SELECT group_concat(n.value ->> '$.text', char(10) ORDER BY n.key)
                          FROM json_each(i.doc, '$.notes') n), '')
         FROM incidents i WHERE i.id IN (SELECT value FROM json_each(?))`,
    ),
    doc: db.prepare<[string], { doc: string }>('SELECT doc FROM incidents WHERE id = ?'),
    // FTS5's incremental merge: up to N leaf pages of merged output (schema 14 turned its
    // automatic merge off). SQLite's documented test of whether it did anything: the
    // connection's total changes grew by 2 or more.
    merge: db.prepare<[number]>("INSERT INTO incidents_fts (incidents_fts, rank) VALUES ('merge', ?)"),
    totalChanges: db.prepare<[], number>('SELECT total_changes()').pluck(),
    structure: prepareFts5Structure(db, 'incidents_fts'),
    parsed: new ParsedDocs(),
  };
}

/**
 * Leaf pages of merged output per step of the search index's merge work (searchProjector.tidy).
 * A step writes about this many pages, plus the input pages it frees and, when it finishes
 * a merge, the input segments' removal.
 */
export const SEARCH_MERGE_PAGES = 8;

/**
 * The share of the search index's rows that may be deleted rows still in it (tombstones)
 * before its thorough upkeep merges the whole index, in steps (searchProjector.tidy). FTS5
 * itself merges a level once a tenth of it is deleted (`deletemerge`); a retention sweep's
 * tombstones spread over every level stayed under that (10,000 of 100,000 after 16aa's sweep,
 * each phrase query a few ms slower until then, docs/performance.md).
 */
export const SEARCH_TOMBSTONE_SHARE = 0.02;

/** Incidents kept parsed (a catch-up's incidents reappear some hundreds of events apart). */
const PARSED_DOCS = 2_048;

/**
 * The incidents this projector last wrote, as objects. An extension takes the object instead
 * of parsing the row's text (a catch-up parsed each incident's document again at every event:
 * time and garbage), while no write may have been undone since (`projectionEpoch` unchanged:
 * the store saw no rollback and no append in a transaction it did not open): the row then holds
 * what was written, as this projector is the only writer of the incidents table and `remove`
 * drops its entry. The row is then not read at all (a catch-up read each incident's document
 * back at each batch that extended it: B's profile, npm run bench mesh, issue 12k). Under
 * another epoch the row is read and parsed, so a write rolled back (the row holds the older
 * text) is never mistaken for the kept object.
 * The document's text is not kept beside the object (until round 12w it was, to compare with
 * the row's after a rollback): a catch-up writes each incident's document some hundreds of
 * events apart, so each text outlived the young generation's collections and was promoted to
 * the old one, about 1 KB per received event, only to be compared with the row after a
 * rollback, which a catch-up never has.
 * An object is kept only when it is what parsing its text gives back (isPlainJson), and is
 * never changed once handed out (`incidentWritten`): an extension folds onto a copy of such an
 * object (`changeable`), so a command's answer and the escalation runner can be handed the
 * object itself. One never handed out is folded onto in place (`forFold`): in a catch-up
 * almost none is, and copying each incident at each extension was 3.1 MB of the append path's
 * garbage (node test/bench/receive-costs.ts --heap, inlining off, round 12t).
 */
class ParsedDocs {
  private readonly byId = new Map<string, { incident: Incident; epoch: number; handedOut: boolean }>();

  /** The incident written under `epoch` and still its row's (null: read the row). */
  current(id: string, epoch: number): Incident | null {
    const kept = this.byId.get(id);
    return kept && kept.epoch === epoch ? kept.incident : null;
  }

  /** `current`, for a holder outside the projector: from now on the object is never changed. */
  handOut(id: string, epoch: number): Incident | null {
    const kept = this.byId.get(id);
    if (!kept || kept.epoch !== epoch) return null;
    kept.handedOut = true;
    return kept.incident;
  }

  /**
   * `incident` (from `current`, or parsed from the row) for an extension to fold onto: the
   * object itself when it was never handed out, a copy otherwise (`changeable`). The object
   * itself is dropped from here first, so a fold that throws half-way leaves nothing
   * half-changed behind; `wrote` keeps it again once its row is written.
   */
  forFold(id: string, incident: Incident): Incident {
    const kept = this.byId.get(id);
    if (kept?.incident !== incident) return incident; // parsed from the row just now: nobody else holds it
    this.byId.delete(id);
    return kept.handedOut ? changeable(incident) : incident;
  }

  /** `incident` was just written to its row, under `epoch`; `plain`: isPlainJson(incident). */
  wrote(incident: Incident, epoch: number, plain: boolean): void {
    this.byId.delete(incident.id);
    if (!plain) return;
    this.byId.set(incident.id, { incident, epoch, handedOut: false });
    if (this.byId.size > PARSED_DOCS) this.byId.delete(this.byId.keys().next().value!);
  }

  /** The incident's row is gone. */
  forget(id: string): void {
    this.byId.delete(id);
  }
}

/**
 * The incident as its row holds it, from the projector's memory when the projector wrote that
 * row and nothing since may have undone the write (see ParsedDocs); null: read the row. A
 * command's answer and the escalation runner's check of the incident just committed take it
 * here: reading the row back and parsing its document cost more CPU than the projector's
 * write of it (`node --cpu-prof` of incidents.create, docs/performance.md, round 16p).
 * The projector never changes the object again (a later event is folded onto a copy: ParsedDocs
 * `handOut`), so the caller may keep it; it is shared with the projector, so the caller must not change it.
 */
export function incidentWritten(db: Db, id: string): Incident | null {
  return statementsByDb.get(db)?.parsed.handOut(id, projectionEpoch(db)) ?? null;
}

/**
 * `incidentWritten` for a read that takes the fields it needs at once and keeps nothing (the
 * escalation runner's triage): the object is not marked handed out, so a later extension may
 * still fold onto it in place. A check per incident received marked almost every incident of a
 * catch-up so, and each extension then copied it (round 12t).
 */
export function incidentWrittenNow(db: Db, id: string): Incident | null {
  return statementsByDb.get(db)?.parsed.current(id, projectionEpoch(db)) ?? null;
}

/**
 * A copy of `incident` that continueIncident may change (it assigns fields and pushes onto the
 * notes and conflicts lists), leaving the object others hold as it was written.
 */
function changeable(incident: Incident): Incident {
  return { ...incident, notes: [...incident.notes], conflicts: [...incident.conflicts] };
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
  q.parsed.forget(streamId);
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
    const epoch = projectionEpoch(db);
    let incident = q.parsed.current(streamId, epoch);
    if (!incident) {
      const row = q.doc.get(streamId);
      if (!row) return false;
      incident = JSON.parse(row.doc) as Incident;
    }
    if (incident.createdHlc !== held.firstHlc) return false;
    // The row's columns are the stored document's (both written only here and by upsert), so
    // what the new events changed is told by comparing the folds: an UPDATE of those columns
    // and the document leaves the indexes on the others alone (a note touches neither the
    // status nor the creation index) and skips the upsert's failed insert.
    putRowValues(Kept.before, 0, incident);
    // Plain (kept, so checked when written, or parsed from the row's text): what the fold
    // starts from is noted, so only what it adds is checked before the result is kept.
    const target = q.parsed.forFold(streamId, incident);
    const start = Kept.start;
    start.notes = target.notes;
    start.notesFrom = target.notes.length;
    start.conflicts = target.conflicts;
    start.conflictsFrom = target.conflicts.length;
    update(q, continueIncident(target, fresh), Kept.before, start);
    return true;
  },
};

/**
 * One FTS5 ('merge', pages) command; true when it did work. SQLite's documented test: the
 * connection's total changes grew by 2 or more.
 */
function mergeStep(q: ReturnType<typeof prepareStatements>, pages: number): boolean {
  const before = q.totalChanges.get()!;
  q.merge.run(pages);
  return q.totalChanges.get()! - before >= 2;
}

function upsert(q: ReturnType<typeof prepareStatements>, incident: Incident): void {
  // The upsert keeps an existing row's rowid, which the search row shares (searchProjector).
  const doc = JSON.stringify(incident);
  const parameters = Kept.upsert;
  parameters[0] = incident.id;
  putRowValues(parameters, 1, incident);
  parameters[ROW_COLUMNS.length + 1] = doc;
  q.upsert.run(...parameters); // spread: see the event INSERT in event-store.ts
  q.parsed.wrote(incident, projectionEpoch(q.db), isPlainJson(incident));
}

/**
 * The stored row of `incident` brought up to date; `before` is what its columns held, `start`
 * what the fold that gave it began from (plainAfterFold).
 */
function update(
  q: ReturnType<typeof prepareStatements>,
  incident: Incident,
  before: readonly unknown[],
  start: FoldStart,
) {
  const after = Kept.after;
  putRowValues(after, 0, incident);
  let mask = 0;
  let changed = 0;
  for (let i = 0; i < ROW_COLUMNS.length; i++) {
    if (after[i] === before[i]) continue;
    mask |= 1 << i;
    changed++;
  }
  const parameters = (Kept.update[changed] ??= new Array<unknown>(changed + 2));
  for (let i = 0, n = 0; i < ROW_COLUMNS.length; i++) if ((mask & (1 << i)) !== 0) parameters[n++] = after[i];
  const doc = JSON.stringify(incident);
  parameters[changed] = doc;
  parameters[changed + 1] = incident.id;
  let statement = q.updates.get(mask);
  if (!statement) {
    const set = ROW_COLUMNS.filter((_, i) => (mask & (1 << i)) !== 0).map((c) => `${c} = ?`);
    statement = q.db.prepare<unknown[]>(`UPDATE incidents SET ${[...set, 'doc = ?'].join(', ')} WHERE id = ?`);
    q.updates.set(mask, statement);
  }
  statement.run(...parameters);
  q.parsed.wrote(incident, projectionEpoch(q.db), plainAfterFold(incident, start));
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
    // In two statements per slice, in SQLite: the rows' documents are read and their fields
    // taken out (->>, json_each) without crossing into JavaScript, where reading and parsing
    // each document cost more than indexing it (receiver's profile, npm run bench mesh).
    // A stream gone (archived) has no row: the projector removed its search row with it.
    // Replaced by rowid: an indexed delete (contentless_delete), a no-op when not yet indexed.
    const ids = JSON.stringify(streamIds);
    const q = statements(db);
    q.deleteSearchOf.run(ids);
    q.indexSearchOf.run(ids);
  },
  tidy(db, thorough) {
    // One step of FTS5's merge work, SEARCH_MERGE_PAGES pages of output: a level holding
    // `usermerge` (4) segments, or one whose rows are a tenth deleted (`deletemerge`, a
    // contentless_delete table's tombstones), is merged a step at a time; a merge under way
    // goes on. The work FTS5's automerge did in quanta of 64 × levels pages inside whichever
    // commit passed its write counter (up to 38 ms of a retention slice, 16w).
    const q = statements(db);
    if (mergeStep(q, SEARCH_MERGE_PAGES)) return true;
    if (!thorough) return false;
    // Thorough: the deleted rows go too, once they are SEARCH_TOMBSTONE_SHARE of the index.
    // FTS5's ('merge', -N) puts every segment on one level and merges it N pages at a time,
    // dropping the deleted rows (an 'optimize' in steps; each step bounded as above). A merge
    // it began goes on by the steps above; when those cannot take it (a lower level holds as
    // many segments as it merges, or it merges one segment alone), by this one, which begins
    // it again with the segments written since. Ends with one segment and no tombstones.
    const index = fts5Totals(q.structure.get());
    if (!index.merging && !(index.tombstones > 0 && index.tombstones >= index.rows * SEARCH_TOMBSTONE_SHARE)) {
      return false;
    }
    return mergeStep(q, -SEARCH_MERGE_PAGES);
  },
};
