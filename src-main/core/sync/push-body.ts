/**
 * A push's body written from the outbox's rows, each payload spliced in as the JSON text
 * the store holds (issue 16, round 16m). Before, the drain parsed every payload out of the
 * store (`outbox`), measured it with JSON.stringify (`takeBatch`) and serialised it again in
 * the request body: three passes over the largest part of each event, on the console's
 * thread, which shares the machine's two cores with the tracker during a drain.
 *
 * The stored text is JSON.stringify's output of the payload (event-store.ts writes it so and
 * nothing rewrites it), and JSON.stringify(JSON.parse(text)) is that same text, so the body
 * is byte for byte the one the parsed objects gave. The members, in the order the wire
 * envelope always had, are written here rather than by JSON.stringify of an object: each
 * value still goes through JSON.stringify, so escaping is its own.
 */
import type { OutboxRow } from '../store/event-store.ts';

/** One event's wire envelope (src-shared/events.ts EventEnvelope) as JSON. */
export function pushedEventJson(row: OutboxRow): string {
  let json =
    `{"id":${JSON.stringify(row.id)},"streamId":${JSON.stringify(row.stream_id)},"type":${JSON.stringify(row.type)}` +
    `,"payload":${row.payload},"actor":${JSON.stringify(row.actor)},"deviceId":${JSON.stringify(row.device_id)}` +
    `,"deviceTime":${JSON.stringify(row.device_time)},"hlc":${JSON.stringify(row.hlc)}`;
  if (row.device_seq !== null) json += `,"deviceSeq":${JSON.stringify(row.device_seq)}`;
  if (row.sig !== null) json += `,"sig":${JSON.stringify(row.sig)}`;
  if (row.prev !== null) json += `,"prev":${JSON.stringify(row.prev)}`;
  return json + '}';
}

/** The push request's body (src-shared/sync-wire.ts PushRequest) for these rows. */
export function pushBody(rows: readonly OutboxRow[]): string {
  return `{"events":[${rows.map(pushedEventJson).join(',')}]}`;
}
