/**
 * The push's one big write: up to 1,000 event rows in one INSERT that skips ids already stored.
 *
 * On SQLite the statement has no RETURNING clause: SQLite's RETURNING buffered and handed back
 * a row per inserted event, a tenth of a 1,000-row push INSERT's CPU (issue 16, branch 16j;
 * test/bench/tracker-insert-costs.ts times both). The push holds SQLite's only writer for its whole transaction (BEGIN IMMEDIATE,
 * ingestor.ts), so the rows with a seq above the largest one before the statement are exactly
 * the rows it inserted; they are read back by that range of the table's own key (its rowid),
 * whatever seqs SQLite gave them. When the statement inserted every row (a fresh push, the
 * drain's case) their seqs follow from its last rowid instead (`allNumbered`, round 16ab). PostgreSQL takes concurrent writers: there RETURNING stays.
 */
import type { Kysely, Transaction } from 'kysely';
import { bulkInsert, bulkInsertRun, type BulkInsert } from '../db/bulk-insert.ts';
import type { DbKind } from '../db/database.ts';
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
  // One push's rows: its facility, its receipt time and the device that pushed it.
  shared: ['facility', 'received_at', 'pushed_by'],
};

/** SQLite's statement: the same rows, nothing returned (see the header). */
const EVENTS_UNRETURNED: typeof EVENTS = { ...EVENTS, tail: 'ON CONFLICT (id) DO NOTHING' };

/** What follows the push's VALUES lists (PostgreSQL's statement). */
export const EVENT_INSERT_TAIL = EVENTS.tail;

/** The columns a push writes, in the statement's order (also timed by test/bench/tracker-insert-costs.ts). */
export const EVENT_INSERT_COLUMNS = EVENTS.columns;

export type EventInsert = Record<(typeof EVENTS.columns)[number], string | number | null>;

/** 1000 rows x 14 columns stays under SQLite's 32766 and PostgreSQL's 65535 parameters. */
export const INSERT_ROWS = 1000;

/** Inserts rows whose id is not stored yet; returns the ids it stored with their new seqs. */
export async function insertEvents(
  trx: Transaction<TrackerDatabase>,
  kind: DbKind,
  rows: readonly EventInsert[],
): Promise<{ id: string; server_seq: number | string }[]> {
  if (rows.length > INSERT_ROWS) throw new RangeError(`at most ${INSERT_ROWS} rows per insert`);
  if (kind === 'postgres') return bulkInsert(trx as unknown as Kysely<unknown>, EVENTS, rows);
  const before = await trx
    .selectFrom('events')
    .select((eb) => eb.fn.max('server_seq').as('head'))
    .executeTakeFirst();
  const head = before?.head == null ? 0 : Number(before.head);
  const { inserted, lastRowid } = await bulkInsertRun(trx as unknown as Kysely<unknown>, EVENTS_UNRETURNED, rows);
  if (inserted === 0) return [];
  if (inserted === rows.length && lastRowid !== null) {
    const numbered = await allNumbered(trx, rows, head, lastRowid);
    if (numbered) return numbered;
  }
  const stored = await trx
    .selectFrom('events')
    .select(['id', 'server_seq'])
    .where('server_seq', '>', head)
    .orderBy('server_seq')
    .execute();
  // A second writer would show here; the transaction's lock rules it out, and this says so if not.
  if (stored.length !== inserted)
    throw new Error(`the push inserted ${inserted} events but ${stored.length} have a seq above ${head}`);
  return stored;
}

/**
 * The seqs of a statement that inserted every one of its rows, without reading them back
 * (issue 16, round 16ab: the read-back of a drain's 1,000 rows was 0.74 ms of the event loop's
 * CPU per 1,000 events, the largest statement after the INSERT). SQLite gives a new row the
 * largest rowid in the table plus one (AUTOINCREMENT: the largest it ever gave, plus one), and
 * the statement inserts its VALUES in order while this transaction holds the only writer, so
 * the rows are numbered consecutively in order, up to the last one's rowid. Checked by
 * reading the first and the last of them by seq; anything else (it never is) is read back
 * as before.
 */
async function allNumbered(
  trx: Transaction<TrackerDatabase>,
  rows: readonly EventInsert[],
  head: number,
  lastSeq: number,
): Promise<{ id: string; server_seq: number }[] | null> {
  const firstSeq = lastSeq - rows.length + 1;
  if (firstSeq <= head) return null;
  const ends = await trx
    .selectFrom('events')
    .select(['id', 'server_seq'])
    .where('server_seq', 'in', [firstSeq, lastSeq])
    .execute();
  const idAt = new Map(ends.map((row) => [Number(row.server_seq), row.id]));
  if (idAt.get(firstSeq) !== rows[0]!.id || idAt.get(lastSeq) !== rows.at(-1)!.id) return null;
  return rows.map((row, i) => ({ id: row.id as string, server_seq: firstSeq + i }));
}
