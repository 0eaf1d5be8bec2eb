/**
 * Issue 12: signed events. A device's public key is bound to its token (NULL for
 * devices enrolled before this migration, until they bind one); events keep the
 * author's sequence number and signature so every pull hands them on verifiable; the
 * tracker's own Ed25519 key lives in the database, so every tracker instance on one
 * PostgreSQL signs with the same key. Existing events keep NULLs: pre-signature.
 */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const signedEvents: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('public_key', 'text').execute();
    await db.schema.alterTable('devices').addColumn('key_bound_at', 'bigint').execute();
    await db.schema.createIndex('devices_by_device_id').on('devices').columns(['device_id']).execute();
    await db.schema.alterTable('events').addColumn('device_seq', 'bigint').execute();
    await db.schema.alterTable('events').addColumn('sig', 'text').execute();
    await db.schema
      .createTable('tracker_identity')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('private_key_pem', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
