/**
 * Refolds HQ's projections (incidents, outages) of some streams: every stream is
 * folded again from all of its events with the same reducer the consoles use, so the
 * tracker's picture converges with theirs by construction, whatever order events
 * arrived in.
 */
import type { Kysely, Transaction } from 'kysely';
import { markParsed, type EventEnvelope, type EventType } from '../../src-shared/events.ts';
import type { TrackerDatabase } from '../db/schema.ts';
import { chunks, rowToEnvelope } from '../events/event-rows.ts';

const STREAMS_PER_QUERY = 500;

/**
 * The columns a fold reads: the reducers order by (hlc, deviceId, id) and use the type,
 * payload, actor, stream and device time, never the author's seq, signature, link or the
 * push's bookkeeping. Reading only these spares SQLite and the driver a third of each row
 * (the 86-character signature and the 43-character link among them) on every event the
 * projector folds, a share of its thread's CPU during a drain (issue 16).
 */
const FOLDED_COLUMNS = ['id', 'stream_id', 'type', 'payload', 'actor', 'device_id', 'device_time', 'hlc'] as const;
/** With the seq, for the hints of which payloads need no parse (parsed-hints.ts). */
const FOLDED_COLUMNS_AND_SEQ = [...FOLDED_COLUMNS, 'server_seq'] as const;

/** Writes rows a fold produced, inside the projection's transaction. */
export type ProjectionWrite = (trx: Transaction<TrackerDatabase>) => Promise<void>;

/** One projection table fed by one family of event types. */
export interface StreamProjector {
  name: string;
  handles(type: string): boolean;
  /**
   * Folds each stream's events (any order) into its row, without the database, and returns
   * the write of those rows: the projector folds before its transaction and only writes in
   * it. Nothing is written for a stream whose fold is empty.
   */
  fold(facility: string, streams: EventEnvelope[][]): ProjectionWrite;
}

/** Each projector's streams, read and grouped, ready to fold (`writeStreams`). */
export type StreamsRead = Map<StreamProjector, Map<string, EventEnvelope[]>>;

/**
 * Every event of the streams, grouped by the projector that handles it. An event whose seq
 * `asParsed` names has its payload registered as its own parse (parsed-hints.ts), so the fold
 * does not run its schema again.
 * Reads only, so the
 * projector runs it (and the fold) outside its write transaction: a fold written later
 * covers at least the events it read, and the projector is the only writer of these tables,
 * its runs one after another, so nothing newer is overwritten.
 */
export async function readStreams(
  db: Kysely<TrackerDatabase>,
  projectors: readonly StreamProjector[],
  facility: string,
  streamIds: readonly string[],
  asParsed?: (seq: number) => boolean,
): Promise<StreamsRead> {
  const byProjector: StreamsRead = new Map(projectors.map((p) => [p, new Map()]));
  for (const part of chunks(streamIds, STREAMS_PER_QUERY)) {
    const rows = await db
      .selectFrom('events')
      .select(asParsed ? FOLDED_COLUMNS_AND_SEQ : FOLDED_COLUMNS)
      .where('facility', '=', facility)
      .where('stream_id', 'in', part)
      .execute();
    for (const row of rows) {
      const projector = projectors.find((p) => p.handles(row.type));
      if (!projector) continue;
      const streams = byProjector.get(projector)!;
      const list = streams.get(row.stream_id) ?? [];
      const envelope = rowToEnvelope(row);
      if (asParsed && 'server_seq' in row && asParsed(Number(row.server_seq))) {
        const payload = envelope.payload;
        if (typeof payload === 'object' && payload !== null) markParsed(envelope.type as EventType, payload);
      }
      list.push(envelope);
      streams.set(row.stream_id, list);
    }
  }
  return byProjector;
}

/** Folds the streams read, outside any transaction; the returned write only writes, so its transaction holds the writer briefly. */
export function foldStreams(facility: string, read: StreamsRead): ProjectionWrite {
  const writes: ProjectionWrite[] = [];
  for (const [projector, streams] of read) {
    if (streams.size > 0) writes.push(projector.fold(facility, [...streams.values()]));
  }
  return async (trx) => {
    for (const write of writes) await write(trx);
  };
}
