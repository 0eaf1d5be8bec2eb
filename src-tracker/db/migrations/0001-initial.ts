/**
 * Initial tracker schema. Written with Kysely's schema builder so the same migration
 * runs on SQLite and PostgreSQL; the one difference is how `server_seq` is generated.
 * Never edit a released migration: add the next one.
 */
import { PostgresAdapter, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const initialSchema: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

    await db.schema
      .createTable('facilities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('enrolment_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('facility', 'text', (c) => c.notNull().references('facilities.id'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('facility', 'text', (c) => c.notNull().references('facilities.id'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();

    await db.schema
      .createTable('admin_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('server_seq', postgres ? 'bigserial' : 'integer', (c) =>
        postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('facility', 'text', (c) => c.notNull().references('facilities.id'))
      .addColumn('stream_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('device_time', 'bigint', (c) => c.notNull())
      .addColumn('hlc', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('pushed_by', 'text', (c) => c.notNull().references('devices.id'))
      .execute();
    // Pull reads one facility in seq order; folds read one stream of one facility.
    await db.schema.createIndex('events_by_facility_seq').on('events').columns(['facility', 'server_seq']).execute();
    await db.schema.createIndex('events_by_stream').on('events').columns(['facility', 'stream_id']).execute();

    await db.schema
      .createTable('incidents')
      .addColumn('facility', 'text', (c) => c.notNull().references('facilities.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('reported_by', 'text', (c) => c.notNull())
      .addColumn('created_hlc', 'text', (c) => c.notNull())
      .addColumn('updated_hlc', 'text', (c) => c.notNull())
      .addColumn('note_count', 'integer', (c) => c.notNull())
      .addColumn('conflict_count', 'integer', (c) => c.notNull())
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('incidents_pk', ['facility', 'id'])
      .execute();
    await db.schema.createIndex('incidents_by_updated').on('incidents').columns(['updated_hlc']).execute();
  },
};
