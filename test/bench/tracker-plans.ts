/**
 * `node test/bench/tracker-plans.ts`: SQLite's EXPLAIN QUERY PLAN for every query the
 * tracker runs on its `events` table, on a freshly migrated tracker database, so the
 * write-up in docs/performance.md can say which index serves which query (and that none
 * scans the table). The SQL mirrors the Kysely queries in the files named beside each.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openTrackerDb } from '../../src-tracker/db/database.ts';
import { tempDir } from '../support/temp.ts';

const QUERIES: [string, string][] = [
  ['pull (events/pull.ts)', 'SELECT * FROM events WHERE facility = ? AND server_seq > ? ORDER BY server_seq LIMIT ?'],
  ['facility head (events/pull.ts)', 'SELECT max(server_seq) AS head FROM events WHERE facility = ?'],
  ['ack read-back (events/ingest.ts)', 'SELECT * FROM events WHERE id IN (?, ?)'],
  [
    'catch-up (projections/projector.ts)',
    'SELECT stream_id, type FROM events WHERE facility = ? AND server_seq > ? AND server_seq <= ?',
  ],
  ['refold (projections/refold.ts)', 'SELECT * FROM events WHERE facility = ? AND stream_id IN (?, ?)'],
  ['incident detail (hq/queries.ts)', 'SELECT * FROM events WHERE facility = ? AND stream_id = ? ORDER BY server_seq'],
  ['roster (hq/queries.ts)', "SELECT * FROM events WHERE facility = ? AND type LIKE 'staff.%'"],
  [
    'report evidence (hq/report-queries.ts)',
    "SELECT * FROM events WHERE facility = ? AND (type LIKE 'line.%' OR type LIKE 'outage.%' OR type = 'facility.lines_declared')",
  ],
  [
    'heads (projector standby, cluster/pg-cluster.ts)',
    'SELECT facility, max(server_seq) AS head FROM events GROUP BY facility',
  ],
];

/** Any values do: the plan depends on the query's shape, not on them. */
const placeholders = (text: string) => Array.from(text.matchAll(/\?/g), () => 'x');

const dir = tempDir('guardline-tracker-plans-');
try {
  const file = join(dir.path, 'tracker.sqlite');
  await (await openTrackerDb({ kind: 'sqlite', file })).close();
  const db = new Database(file, { readonly: true });
  console.table(
    QUERIES.map(([query, text]) => ({
      query,
      plan: (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...placeholders(text)) as { detail: string }[])
        .map((r) => r.detail)
        .join('; '),
    })),
  );
  db.close();
} finally {
  dir.cleanup();
}
