/**
 * HQ's projections (incidents, outages) are refolded inside the push transaction:
 * every stream a batch touched is folded again from all of its events with the same
 * reducer the consoles use, so the tracker's picture converges with theirs by
 * construction and HQ never sees an event without its effect.
 */
import type { Transaction } from 'kysely';
import type { EventEnvelope } from '../../src-shared/events.ts';
import type { TrackerDatabase } from '../db/schema.ts';
import { chunks, rowToEnvelope } from '../events/event-rows.ts';

const STREAMS_PER_QUERY = 500;

/** One projection table fed by one family of event types. */
export interface StreamProjector {
  name: string;
  handles(type: string): boolean;
  /** Fold one stream's events (any order) and write its row; nothing when the fold is empty. */
  project(trx: Transaction<TrackerDatabase>, facility: string, streams: EventEnvelope[][]): Promise<void>;
}

export interface Refold {
  /** Fold each touched stream from its earlier events plus those this batch stored, and write the rows. */
  apply(stored: readonly EventEnvelope[]): Promise<void>;
}

/**
 * Reads the earlier events of every projected stream the batch touches. Called before
 * the batch is inserted, so a new stream (the common case) costs one index probe
 * instead of reading back the rows just written.
 */
export async function prepareRefold(
  trx: Transaction<TrackerDatabase>,
  facility: string,
  projectors: readonly StreamProjector[],
  incoming: readonly EventEnvelope[],
): Promise<Refold> {
  const projected = (type: string) => projectors.some((p) => p.handles(type));
  const streams = [...new Set(incoming.filter((e) => projected(e.type)).map((e) => e.streamId))];
  const earlier = new Map<string, EventEnvelope[]>();
  for (const part of chunks(streams, STREAMS_PER_QUERY)) {
    const rows = await trx
      .selectFrom('events')
      .selectAll()
      .where('facility', '=', facility)
      .where('stream_id', 'in', part)
      .execute();
    for (const row of rows) {
      if (!projected(row.type)) continue;
      const list = earlier.get(row.stream_id) ?? [];
      list.push(rowToEnvelope(row));
      earlier.set(row.stream_id, list);
    }
  }

  return {
    async apply(stored) {
      for (const projector of projectors) {
        const byStream = new Map<string, EventEnvelope[]>();
        for (const event of stored) {
          if (!projector.handles(event.type)) continue;
          const before = (earlier.get(event.streamId) ?? []).filter((e) => projector.handles(e.type));
          const list = byStream.get(event.streamId) ?? before;
          list.push(event);
          byStream.set(event.streamId, list);
        }
        if (byStream.size > 0) await projector.project(trx, facility, [...byStream.values()]);
      }
    },
  };
}
