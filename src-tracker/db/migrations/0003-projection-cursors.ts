/**
 * HQ's projections moved out of the push transaction (see projections/projector.ts):
 * each facility records how far its projections have caught up with its events.
 * Until now every push refolded inside its own transaction, so existing projections
 * already reflect every stored event: cursors start at each facility's head.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const projectionCursors: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('projection_cursors')
      .addColumn('facility', 'text', (c) => c.primaryKey().references('facilities.id'))
      /** Largest server_seq of the facility whose effect HQ's tables show. */
      .addColumn('projected_seq', 'bigint', (c) => c.notNull())
      .execute();
    await sql`INSERT INTO projection_cursors (facility, projected_seq)
              SELECT facility, max(server_seq) FROM events GROUP BY facility`.execute(db);
  },
};
