/** A facility's events after a seq, oldest first. */
import type { PullResponse } from '../../src-shared/sync-wire.ts';
import type { TrackerDb } from '../db/database.ts';
import { rowToPulled } from './event-rows.ts';

export async function pullEvents(
  store: TrackerDb,
  facility: string,
  after: number,
  limit: number,
): Promise<PullResponse> {
  const rows = await store.db
    .selectFrom('events')
    .selectAll()
    .where('facility', '=', facility)
    .where('server_seq', '>', after)
    .orderBy('server_seq')
    .limit(limit + 1)
    .execute();
  const hasMore = rows.length > limit;
  const events = rows.slice(0, limit).map(rowToPulled);
  const last = events.at(-1);
  return { events, nextAfter: last ? last.serverSeq : after, hasMore };
}

/** The facility's largest seq, 0 when it has no events yet. */
export async function facilityHead(store: TrackerDb, facility: string): Promise<number> {
  const row = await store.db
    .selectFrom('events')
    .select((eb) => eb.fn.max('server_seq').as('head'))
    .where('facility', '=', facility)
    .executeTakeFirst();
  return row?.head == null ? 0 : Number(row.head);
}
