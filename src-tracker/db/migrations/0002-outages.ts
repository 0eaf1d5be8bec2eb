/** HQ's outage projection (the outage catalogue arrived after 0001). */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const outagesProjection: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('outages')
      .addColumn('facility', 'text', (c) => c.notNull().references('facilities.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_hlc', 'text', (c) => c.notNull())
      /** The folded Outage as JSON: HQ shows its lines and evidence. */
      .addColumn('doc', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('outages_pk', ['facility', 'id'])
      .execute();
    await db.schema.createIndex('outages_by_opened').on('outages').columns(['opened_at']).execute();
  },
};
