/**
 * Issue 15, one facility identity: a console that adopts the tracker's facility id at
 * enrolment records its lines under new stream ids (`line:<adopted>:<line>`), so one line
 * of one facility can have two streams. HQ's line state keeps the HLC of the change it
 * shows, and a stream's refold replaces it only with a change at least as late, so an
 * old stream refolded after the new one never undoes a newer state. Rows from before
 * have no HLC: the next change replaces them.
 */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export const lineStateOrder: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('line_states').addColumn('hlc', 'text').execute();
  },
};
