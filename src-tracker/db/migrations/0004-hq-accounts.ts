/**
 * HQ accounts replace the pasted admin token for people (issue 15): named accounts
 * with a scrypt password hash and a role, server-side sessions (only the hash of the
 * cookie's secret is stored), and each device's last contact so HQ can say
 * which consoles are online; projections of current line states and catalogues.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const hqAccounts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('hq_accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      /** Lower-cased name: "Anna" and "anna" are one account. */
      .addColumn('name_key', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'bigint')
      .execute();

    await db.schema
      .createTable('hq_sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('hq_accounts.id'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.alterTable('devices').addColumn('last_seen_at', 'bigint').execute();

    // The overview reads current line states and each facility's catalogue from
    // projections instead of folding a year of line events per request.
    await db.schema
      .createTable('line_states')
      .addColumn('facility', 'text', (c) => c.notNull().references('facilities.id'))
      .addColumn('line_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('since', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('line_states_pk', ['facility', 'line_id'])
      .execute();
    await db.schema
      .createTable('facility_catalogs')
      .addColumn('facility', 'text', (c) => c.primaryKey().references('facilities.id'))
      .addColumn('doc', 'text', (c) => c.notNull())
      .execute();
    /** One display name per facility, set by HQ; until then its id is its name. */
    await db.schema.alterTable('facilities').addColumn('name', 'text').execute();
    await sql`UPDATE facilities SET name = id WHERE name IS NULL`.execute(db);
    /** The outage's carrier ticket as folded (JSON), for overdue tickets on the overview. */
    await db.schema.alterTable('outages').addColumn('ticket', 'text').execute();
    // Fold every stream again into the new tables (and columns): the projector starts
    // each facility from seq 0 when it has no cursor.
    await db.deleteFrom('projection_cursors' as never).execute();
  },
};
