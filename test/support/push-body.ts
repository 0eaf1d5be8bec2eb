/**
 * The drain's push body as the sync engine wrote it before round 16m: each stored event's
 * wire members, its payload parsed, then JSON.stringify of the whole. The push-body test
 * checks the body written from stored texts equals it, and the push-body bench times both.
 */
import type { StoredEvent } from '../../src-shared/events.ts';

export function bodyFromParsed(events: readonly StoredEvent[]): string {
  const wire = events.map(
    ({ id, streamId, type, payload, actor, deviceId, deviceTime, hlc, deviceSeq, sig, prev }) => ({
      id,
      streamId,
      type,
      payload,
      actor,
      deviceId,
      deviceTime,
      hlc,
      deviceSeq,
      sig,
      prev,
    }),
  );
  return JSON.stringify({ events: wire });
}
