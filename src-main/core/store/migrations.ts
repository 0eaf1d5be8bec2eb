/**
 * Ordered schema migrations. A migration is never edited once released; add a new
 * one. The file records its version in `schema_version`; a file written by a newer
 * Guardline is refused rather than guessed at.
 */
import { REKEY_TO_ADOPTED_SQL } from '../telephony/facility-identity.ts';
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Runs after `sql`, in the same transaction: for changes plain SQL cannot express. */
  run?: (db: Database.Database) => void;
  /**
   * A table rebuild (SQLite's 12-step procedure): foreign keys are off during the
   * transaction and `foreign_key_check` must pass before it commits.
   */
  foreignKeysOff?: boolean;
}

/**
 * Rebuilds `events` without AUTOINCREMENT, keeping every column and index earlier migrations
 * gave it (read from the schema, so a migration adding a column before this one is kept).
 * AUTOINCREMENT made SQLite write `sqlite_sequence` in every command's commit: a page per
 * command (npm run bench profile). It only guards against reusing the rowid of a deleted
 * maximum row, and the log is append-only (events_no_delete), so a plain INTEGER PRIMARY KEY
 * never reuses a seq either. https://sqlite.org/lang_altertable.html#otheralter
 */
function eventsWithoutAutoincrement(db: Database.Database): void {
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'events'").pluck().get() as
    string | undefined;
  if (!table || !/\bAUTOINCREMENT\b/i.test(table)) return;
  const dependents = db
    .prepare(
      "SELECT sql FROM sqlite_schema WHERE tbl_name = 'events' AND type IN ('index', 'trigger') AND sql IS NOT NULL",
    )
    .pluck()
    .all() as string[];
  db.exec(
    table.replace(/^CREATE TABLE\s+"?events"?/i, 'CREATE TABLE events_rebuilt').replace(/\s+AUTOINCREMENT\b/i, ''),
  );
  db.exec('INSERT INTO events_rebuilt SELECT * FROM events');
  db.exec('DROP TABLE events');
  db.exec('ALTER TABLE events_rebuilt RENAME TO events');
  for (const sql of dependents) db.exec(sql);
  db.exec("DELETE FROM sqlite_sequence WHERE name = 'events'");
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event log, meta, incident projection, search',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE events (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        id           TEXT NOT NULL UNIQUE,
        stream_id    TEXT NOT NULL,
        type         TEXT NOT NULL,
        payload      TEXT NOT NULL,
        actor        TEXT NOT NULL,
        device_id    TEXT NOT NULL,
        device_time  INTEGER NOT NULL,
        hlc          TEXT NOT NULL,
        prev_hash    TEXT NOT NULL,
        hash         TEXT NOT NULL,
        received_at  INTEGER NOT NULL,
        synced_at    INTEGER,
        server_seq   INTEGER
      );
      CREATE INDEX events_by_stream ON events (stream_id, hlc);
      CREATE INDEX events_outbox ON events (seq) WHERE synced_at IS NULL;
      CREATE INDEX events_by_hlc ON events (hlc);

      -- The log is append-only: only sync bookkeeping may change after insert.
      CREATE TRIGGER events_no_delete BEFORE DELETE ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
      CREATE TRIGGER events_no_rewrite BEFORE UPDATE OF
        seq, id, stream_id, type, payload, actor, device_id, device_time, hlc, prev_hash, hash, received_at ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

      CREATE TABLE incidents (
        id             TEXT PRIMARY KEY,
        facility       TEXT NOT NULL,
        unit           TEXT NOT NULL,
        category       TEXT NOT NULL,
        severity       TEXT NOT NULL,
        status         TEXT NOT NULL,
        title          TEXT NOT NULL,
        occurred_at    TEXT NOT NULL,
        reported_by    TEXT NOT NULL,
        created_hlc    TEXT NOT NULL,
        updated_hlc    TEXT NOT NULL,
        note_count     INTEGER NOT NULL,
        conflict_count INTEGER NOT NULL,
        doc            TEXT NOT NULL
      );
      CREATE INDEX incidents_recent ON incidents (created_hlc DESC);
      CREATE INDEX incidents_status ON incidents (status, created_hlc DESC);

      CREATE VIRTUAL TABLE incidents_fts USING fts5 (
        incident_id UNINDEXED, title, description, people, location, notes,
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `,
  },
  {
    version: 2,
    name: 'sync quarantine',
    sql: `
      -- Events the tracker refused as invalid: kept (never deleted), never retried
      -- automatically, shown to people until someone releases them.
      CREATE TABLE sync_quarantine (
        event_id       TEXT PRIMARY KEY REFERENCES events (id),
        code           TEXT NOT NULL,
        field          TEXT,
        message        TEXT NOT NULL,
        quarantined_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'staff roster and escalations',
    sql: `
      -- Roster cached on the console, folded from staff.* events (PIN hashes only, never PINs).
      CREATE TABLE staff (
        staff_number TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        role         TEXT NOT NULL,
        units        TEXT NOT NULL,
        active       INTEGER NOT NULL,
        pin_hash     TEXT,
        updated_hlc  TEXT NOT NULL
      );
      CREATE INDEX staff_by_role ON staff (role, active);

      CREATE TABLE escalations (
        escalation_id TEXT PRIMARY KEY,
        incident_id   TEXT NOT NULL,
        status        TEXT NOT NULL,
        unit          TEXT NOT NULL,
        severity      TEXT NOT NULL,
        started_at    INTEGER NOT NULL,
        next_due_at   INTEGER,
        doc           TEXT NOT NULL
      );
      CREATE INDEX escalations_by_incident ON escalations (incident_id);
      CREATE INDEX escalations_open ON escalations (status, started_at);
    `,
  },
  {
    version: 4,
    name: 'line status, outages, probe samples',
    sql: `
      -- Current state per line, folded from line.* events (latest status change in HLC order).
      CREATE TABLE line_status (
        facility_id TEXT NOT NULL,
        line_id     TEXT NOT NULL,
        state       TEXT NOT NULL,
        since       INTEGER,
        evidence    TEXT,
        last_report TEXT,
        updated_hlc TEXT NOT NULL,
        PRIMARY KEY (facility_id, line_id)
      );

      CREATE TABLE line_status_history (
        event_id    TEXT PRIMARY KEY,
        facility_id TEXT NOT NULL,
        line_id     TEXT NOT NULL,
        from_state  TEXT NOT NULL,
        to_state    TEXT NOT NULL,
        at          INTEGER NOT NULL,
        hlc         TEXT NOT NULL,
        device_id   TEXT NOT NULL,
        evidence    TEXT NOT NULL
      );
      CREATE INDEX line_status_history_by_line ON line_status_history (facility_id, line_id, hlc);

      CREATE TABLE line_reports (
        report_id   TEXT PRIMARY KEY,
        event_id    TEXT NOT NULL,
        facility_id TEXT NOT NULL,
        line_id     TEXT NOT NULL,
        hlc         TEXT NOT NULL,
        doc         TEXT NOT NULL
      );
      CREATE INDEX line_reports_by_line ON line_reports (facility_id, line_id, hlc);

      CREATE TABLE outages (
        id          TEXT PRIMARY KEY,
        facility_id TEXT NOT NULL,
        kind        TEXT NOT NULL,
        status      TEXT NOT NULL,
        cause       TEXT NOT NULL,
        trunk       TEXT,
        opened_at   INTEGER NOT NULL,
        resolved_at INTEGER,
        opened_hlc  TEXT NOT NULL,
        updated_hlc TEXT NOT NULL,
        doc         TEXT NOT NULL
      );
      CREATE INDEX outages_by_status ON outages (status, opened_at DESC);
      CREATE INDEX outages_recent ON outages (opened_at DESC);

      CREATE TABLE outage_lines (
        outage_id TEXT NOT NULL,
        line_id   TEXT NOT NULL,
        PRIMARY KEY (outage_id, line_id)
      );
      CREATE INDEX outage_lines_by_line ON outage_lines (line_id);

      -- Recent probe results per line as a fixed-size ring. Not events: a measurement
      -- every few seconds is not a fact worth syncing; state changes are.
      CREATE TABLE line_samples (
        facility_id TEXT NOT NULL,
        line_id     TEXT NOT NULL,
        slot        INTEGER NOT NULL,
        at          INTEGER NOT NULL,
        outcome     TEXT NOT NULL,
        rtt_ms      REAL,
        PRIMARY KEY (facility_id, line_id, slot)
      );
    `,
  },
  {
    version: 5,
    name: 'archived incidents',
    sql: `
      -- Incidents that left the list and search after the retention period (issue 8). Their
      -- events stay in the log; this row says why the incident is no longer in the incidents table.
      CREATE TABLE incidents_archived (
        id           TEXT PRIMARY KEY,
        event_id     TEXT NOT NULL,
        archived_hlc TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'signed events, device keys, refused events',
    sql: `
      -- Issue 12: events a console authors carry its per-device sequence number and an
      -- Ed25519 signature. Events already stored keep both NULL: they are pre-signature,
      -- never rewritten, and their chain hashes stay valid (the canonical bytes omit absent fields).
      ALTER TABLE events ADD COLUMN device_seq INTEGER;
      ALTER TABLE events ADD COLUMN sig TEXT;
      DROP TRIGGER events_no_rewrite;
      CREATE TRIGGER events_no_rewrite BEFORE UPDATE OF
        seq, id, stream_id, type, payload, actor, device_id, device_time, hlc, prev_hash, hash, received_at,
        device_seq, sig ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
      -- "What do you have of device A after N": per-author feed order.
      CREATE INDEX events_by_author ON events (device_id, device_seq) WHERE device_seq IS NOT NULL;
      -- The mark: every event up to this log position predates signing on this console.
      INSERT INTO meta (key, value) SELECT 'identity.pre_signature_through_seq', COALESCE(max(seq), 0) FROM events;

      -- Keyring: device id -> public key, folded from device.enrolled records in the log.
      CREATE TABLE device_keys (
        device_id   TEXT NOT NULL,
        public_key  TEXT NOT NULL,
        facility    TEXT NOT NULL,
        label       TEXT NOT NULL,
        enrolled_by TEXT NOT NULL,
        event_id    TEXT NOT NULL,
        hlc         TEXT NOT NULL,
        -- Since when the device signs everything (ms); its unsigned events after that are refused.
        signing_since INTEGER,
        PRIMARY KEY (device_id, public_key)
      );

      -- Events a receiver refused (bad signature, unknown author…): logged, never stored in
      -- the log. Bounded: the oldest rows go when a hostile sender floods.
      CREATE TABLE refused_events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id   TEXT NOT NULL,
        device_id  TEXT NOT NULL,
        source     TEXT NOT NULL,
        code       TEXT NOT NULL,
        field      TEXT,
        reason     TEXT NOT NULL,
        envelope   TEXT NOT NULL,
        refused_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'fewer pages per incident command',
    sql: `
      -- Issue 16: an incident command wrote 22 pages to the WAL (npm run bench profile).
      -- Newest-first indexes took ~2 pages per insert each: a new HLC lands at the left edge
      -- of a DESC index, where SQLite splits pages in half; ascending, it lands at the right
      -- edge, where SQLite appends a page. SQLite walks an ascending index backwards for
      -- ORDER BY ... DESC, so the list's plans are unchanged.
      DROP INDEX incidents_recent;
      CREATE INDEX incidents_recent ON incidents (created_hlc);
      DROP INDEX incidents_status;
      CREATE INDEX incidents_status ON incidents (status, created_hlc);

      -- The search index kept a second copy of every incident's text (incidents_fts_content)
      -- that nothing reads: the list matches on rowid and reads the incidents table. Contentless,
      -- with contentless_delete so the projector can still replace a row by rowid.
      DROP TABLE incidents_fts;
      CREATE VIRTUAL TABLE incidents_fts USING fts5 (
        incident_id UNINDEXED, title, description, people, location, notes,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      -- The same text the projector writes (people joined by spaces, notes by newlines).
      INSERT INTO incidents_fts (rowid, incident_id, title, description, people, location, notes)
        SELECT rowid, id, title, json_extract(doc, '$.description'),
               (SELECT group_concat(value, ' ') FROM json_each(doc, '$.peopleInvolved')),
               json_extract(doc, '$.location'),
               (SELECT group_concat(json_extract(value, '$.text'), char(10)) FROM json_each(doc, '$.notes'))
        FROM incidents;
    `,
  },
  {
    version: 8,
    name: 'author chain',
    sql: `
      -- Issue 12/16: each event a console authors carries \`prev\`, the author hash of its
      -- previous own event, so receivers verify a linked run with one signature. \`author_hash\`
      -- (sha256 of canonical envelope + sig) is stored for every signed event, own or received:
      -- the signer reads its previous own event's hash with the same indexed lookup that gives
      -- it the next deviceSeq, and a receiver checks a run's start against the feed it holds.
      -- Existing rows keep NULL (never rewritten); their hash is computed from the row when needed.
      ALTER TABLE events ADD COLUMN prev TEXT;
      ALTER TABLE events ADD COLUMN author_hash TEXT;
      DROP TRIGGER events_no_rewrite;
      CREATE TRIGGER events_no_rewrite BEFORE UPDATE OF
        seq, id, stream_id, type, payload, actor, device_id, device_time, hlc, prev_hash, hash, received_at,
        device_seq, sig, prev, author_hash ON events
      BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    `,
  },
  // Version 8 is issue 12e's (per-author hash column); this one was numbered 9 to merge beside it.
  {
    version: 9,
    name: 'search index and HLC high-water mark after the commit; events without AUTOINCREMENT',
    foreignKeysOff: true,
    run: eventsWithoutAutoincrement,
    sql: `
      -- Issue 16: the search index (incidents_fts) is written after the command's commit, in
      -- its own transaction, and caught up from this mark at start-up after a crash: a command
      -- no longer writes its FTS pages inside the durable commit. Everything up to now was
      -- indexed by the old in-transaction projector.
      INSERT OR REPLACE INTO meta (key, value) SELECT 'derived.through_seq', COALESCE(max(seq), 0) FROM events;
      -- The clock resumes from max(hlc): the mark holds the maximum up to derived.through_seq,
      -- the few events after it are read by rowid. events_by_hlc served only that max and cost
      -- a page per command.
      INSERT OR REPLACE INTO meta (key, value) SELECT 'derived.max_hlc', COALESCE(max(hlc), '') FROM events;
      DROP INDEX events_by_hlc;
    `,
  },
  {
    version: 10,
    name: 'facility-wide device revocations',
    sql: `
      -- Issue 12: device.revoked records folded per device (the lower cutoff of two wins).
      -- Events of the device with a device_seq above through_seq are refused on arrival.
      CREATE TABLE device_revocations (
        device_id   TEXT PRIMARY KEY,
        through_seq INTEGER NOT NULL,
        facility    TEXT NOT NULL,
        revoked_by  TEXT NOT NULL,
        reason      TEXT NOT NULL,
        event_id    TEXT NOT NULL,
        hlc         TEXT NOT NULL
      );
    `,
  },
  {
    version: 11,
    name: 'one facility identity for line and outage views',
    // Issue 15: consoles enrolled before line and outage views followed the adopted
    // facility kept them under their config file's facility id. The events stay as
    // signed; only the views move (telephony/facility-identity.ts).
    sql: REKEY_TO_ADOPTED_SQL,
  },
  {
    version: 12,
    name: 'incident list without the recency index',
    sql: `
      -- Issue 16: every incident command wrote 1.28 WAL pages into incidents_recent
      -- (created_hlc), whose only reader was the list's page when many incidents match. The
      -- list now walks incidents_status (status, created_hlc) newest first, one walk per
      -- status, merged by SQLite without a sort (src-main/core/incidents/list.ts).
      DROP INDEX incidents_recent;
    `,
  },
  {
    version: 13,
    name: 'the outbox as a low-water mark instead of an index',
    sql: `
      -- Issue 16: events_outbox (seq WHERE synced_at IS NULL) took a WAL page in every
      -- command's commit and another when the push marked the event synced. The outbox is now
      -- the events from a low-water mark on (a range of the rowid): every event below
      -- \`sync.outbox_from\` is synced or quarantined. A push's mark advances it, in the same
      -- transaction (event-store.ts); these triggers lower it whenever an event below it
      -- becomes pending again, whichever code does that.
      INSERT OR REPLACE INTO meta (key, value) SELECT 'sync.outbox_from', coalesce(
        (SELECT min(seq) FROM events WHERE synced_at IS NULL AND id NOT IN (SELECT event_id FROM sync_quarantine)),
        (SELECT coalesce(max(seq), 0) + 1 FROM events));
      DROP INDEX events_outbox;
      -- A released quarantine: the event is pushed again.
      CREATE TRIGGER outbox_from_released AFTER DELETE ON sync_quarantine
      BEGIN
        UPDATE meta SET value = (SELECT seq FROM events WHERE id = OLD.event_id)
         WHERE key = 'sync.outbox_from' AND CAST(value AS INTEGER) > (SELECT seq FROM events WHERE id = OLD.event_id);
      END;
      -- No code clears a synced mark today; should one, the event is pending again.
      CREATE TRIGGER outbox_from_unsynced AFTER UPDATE OF synced_at ON events
        WHEN NEW.synced_at IS NULL AND OLD.synced_at IS NOT NULL
      BEGIN
        UPDATE meta SET value = NEW.seq WHERE key = 'sync.outbox_from' AND CAST(value AS INTEGER) > NEW.seq;
      END;
    `,
  },
  {
    version: 14,
    name: 'search index merged in steps of its own, never inside a commit',
    sql: `
      -- Issue 16: FTS5 merged the index's segments inside whichever commit flushed to it (a
      -- deferred catch-up, a retention slice deleting search rows, a received archive), in
      -- quanta sized by the index, not the commit: 17-38 ms of a 5 ms sweep slice's COMMIT
      -- (docs/performance.md, 16w). Off (automerge 0): the store runs the merge work as
      -- bounded 'merge' steps, each a short transaction of its own, after the catch-up
      -- (EventStore, DeferredProjector.tidy). A level of usermerge (4) segments is merged by
      -- such a step; crisismerge (16, FTS5's default, stated here as the bound) is the safety
      -- net when no step gets a turn: a level of 16 is merged inside the commit that makes it,
      -- so the segment count stays bounded (FTS5 refuses a 2,001st segment).
      INSERT INTO incidents_fts (incidents_fts, rank) VALUES ('automerge', 0);
      INSERT INTO incidents_fts (incidents_fts, rank) VALUES ('usermerge', 4);
      INSERT INTO incidents_fts (incidents_fts, rank) VALUES ('crisismerge', 16);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;
