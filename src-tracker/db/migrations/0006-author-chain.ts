/**
 * Issue 12/16: author chains. Events keep the author's `prev` (the author hash of the
 * author's previous event; it is inside the signed bytes, so every pull must hand it on),
 * and an index on (device_id, device_seq) lets a push find the event before a run's start
 * in one seek, to check the run's first link against the feed the tracker holds
 * (src-tracker/events/verify-authors.ts).
 *
 * The author hash itself is not stored: it is computed from that one stored row when a
 * push needs it (one row per author and push), which keeps a sha256 of every ingested
 * event off the ingest path. Existing events keep prev NULL: they were signed before
 * chains existed and are never rewritten.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const authorChain: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('events').addColumn('prev', 'text').execute();
    await sql`CREATE INDEX events_by_author ON events (device_id, device_seq) WHERE device_seq IS NOT NULL`.execute(db);
  },
};
