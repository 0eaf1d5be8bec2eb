/**
 * Refolds HQ's projections (incidents, outages) of some streams: every stream is
 * folded again from all of its events with the same reducer the consoles use, so the
 * tracker's picture converges with theirs by construction, whatever order events
 * arrived in.
 */
import type { Kysely, Transaction } from 'kysely';
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

/** Each projector's streams, read and grouped, ready to fold (`writeStreams`). */
export type StreamsRead = Map<StreamProjector, Map<string, EventEnvelope[]>>;

export async function refoldStreams(
  trx: Transaction<TrackerDatabase>,
  facility: string,
  projectors: readonly StreamProjector[],
  streamIds: readonly string[],
): Promise<void> {
  await writeStreams(trx, facility, await readStreams(trx, projectors, facility, streamIds));
}

/**
 * Every event of the streams, grouped by the projector that handles it. Reads only, so the
 * projector thread (projector-thread.ts) runs it outside its write transaction: a fold
 * written later covers at least the events it read, and the projector is the only writer
 * of these tables, its runs one after another, so nothing newer is overwritten.
 */
export async function readStreams(
  db: Kysely<TrackerDatabase>,
  projectors: readonly StreamProjector[],
  facility: string,
  streamIds: readonly string[],
): Promise<StreamsRead> {
  const byProjector: StreamsRead = new Map(projectors.map((p) => [p, new Map()]));
  for (const part of chunks(streamIds, STREAMS_PER_QUERY)) {
    const rows = await db
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
  return byProjector;
}

/** Folds the streams read and writes their rows: writes only, so a transaction holds the writer briefly. */
export async function writeStreams(
  trx: Transaction<TrackerDatabase>,
  facility: string,
  read: StreamsRead,
): Promise<void> {
  for (const [projector, streams] of read) {
    if (streams.size > 0) await projector.project(trx, facility, [...streams.values()]);
  }
}
