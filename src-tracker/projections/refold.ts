/**
 * Refolds HQ's projections (incidents, outages) of some streams: every stream is
 * folded again from all of its events with the same reducer the consoles use, so the
 * tracker's picture converges with theirs by construction, whatever order events
 * arrived in.
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
  /** Fold each stream's events (any order) and write its row; nothing for a stream whose fold is empty. */
  project(trx: Transaction<TrackerDatabase>, facility: string, streams: EventEnvelope[][]): Promise<void>;
}

export async function refoldStreams(
  trx: Transaction<TrackerDatabase>,
  facility: string,
  projectors: readonly StreamProjector[],
  streamIds: readonly string[],
): Promise<void> {
  const byProjector = new Map<StreamProjector, Map<string, EventEnvelope[]>>(projectors.map((p) => [p, new Map()]));
  for (const part of chunks(streamIds, STREAMS_PER_QUERY)) {
    const rows = await trx
      .selectFrom('events')
      .selectAll()
      .where('facility', '=', facility)
      .where('stream_id', 'in', part)
      .execute();
    for (const row of rows) {
      const projector = projectors.find((p) => p.handles(row.type));
      if (!projector) continue;
      const streams = byProjector.get(projector)!;
      const list = streams.get(row.stream_id) ?? [];
      list.push(rowToEnvelope(row));
      streams.set(row.stream_id, list);
    }
  }
  for (const [projector, streams] of byProjector) {
    if (streams.size > 0) await projector.project(trx, facility, [...streams.values()]);
  }
}
