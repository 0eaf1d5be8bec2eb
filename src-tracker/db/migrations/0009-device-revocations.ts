/**
 * Issue 12: facility-wide revocation by a console (`device.revoked`). It revokes the
 * device's token exactly as an HQ revocation does (`revoked_at`), and keeps the record's
 * cutoff: the device's events up to `revoked_through_seq` stay acceptable (relayed by
 * others), later ones are refused. An HQ revocation leaves the cutoff NULL: nothing of
 * the device is accepted any more, as before.
 */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const deviceRevocations: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('revoked_through_seq', 'bigint').execute();
    await db.schema.alterTable('devices').addColumn('revoked_by', 'text').execute();
  },
};
