/** The push's one big write: up to 1,000 event rows in one INSERT that skips ids already stored. */
import type { Kysely, Transaction } from 'kysely';
import { bulkInsert, type BulkInsert } from '../db/bulk-insert.ts';
import type { TrackerDatabase } from '../db/schema.ts';

const EVENTS: BulkInsert<
  | 'id'
  | 'facility'
  | 'stream_id'
  | 'type'
  | 'payload'
  | 'actor'
  | 'device_id'
  | 'device_time'
  | 'hlc'
  | 'received_at'
  | 'pushed_by'
  | 'device_seq'
  | 'sig'
  | 'prev'
> = {
  table: 'events',
  columns: [
    'id',
    'facility',
    'stream_id',
    'type',
    'payload',
    'actor',
    'device_id',
    'device_time',
    'hlc',
    'received_at',
    'pushed_by',
    'device_seq',
    'sig',
    'prev',
  ],
  tail: 'ON CONFLICT (id) DO NOTHING RETURNING id, server_seq',
};

/** What follows the push's VALUES lists. */
export const EVENT_INSERT_TAIL = EVENTS.tail;

/** The columns a push writes, in the statement's order (also timed by test/bench/tracker-insert-costs.ts). */
export const EVENT_INSERT_COLUMNS = EVENTS.columns;

export type EventInsert = Record<(typeof EVENTS.columns)[number], string | number | null>;

/** 1000 rows x 14 columns stays under SQLite's 32766 and PostgreSQL's 65535 parameters. */
export const INSERT_ROWS = 1000;

/** Inserts rows whose id is not stored yet; returns the ids it stored with their new seqs. */
export async function insertEvents(
  trx: Transaction<TrackerDatabase>,
  rows: readonly EventInsert[],
): Promise<{ id: string; server_seq: number | string }[]> {
  if (rows.length > INSERT_ROWS) throw new RangeError(`at most ${INSERT_ROWS} rows per insert`);
  return bulkInsert(trx as unknown as Kysely<unknown>, EVENTS, rows);
}
