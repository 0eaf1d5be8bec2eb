/**
 * What the frame-worker benches feed a receiving console's frame path: the mesh bench's backlog
 * (signed, chained, with the escalations a console logs) as its one sender stores it, and the
 * events frames a source tree's own sender writes of it (`toFeed`, that tree's member order).
 */
import { pathToFileURL } from 'node:url';
import type { StoredEvent } from '../../src-shared/events.ts';
import { testKey } from '../support/device-keys.ts';
import { offlineBacklog } from './sync/offline-events.ts';

export const SENDER = 'bench-sender';
const FACILITY = 'Märsta';

/** `count` events of the sender's log, numbered from 1, not yet hashed or synced. */
export function senderBacklog(count: number): StoredEvent[] {
  const { events } = offlineBacklog({
    count,
    deviceId: SENDER,
    facility: FACILITY,
    unit: 'Avdelning B',
    actor: 'A-bench',
    startMs: Date.now() - count,
    signed: true,
    escalations: true,
  });
  return events.map((e, i) => ({ seq: i + 1, ...e, prevHash: '', hash: '', syncedAt: null, serverSeq: null }));
}

/** The sender's key as the receiver's keyring holds it. */
export const senderKeys = () => [{ deviceId: SENDER, publicKey: testKey(SENDER).publicKey, facility: FACILITY }];

/** `tree`'s sender's events frames of `events`, `perFrame` a frame, each body without its 4-byte length. */
export async function senderFrames(tree: string, events: readonly StoredEvent[], perFrame: number): Promise<Buffer[]> {
  const at = (path: string) => pathToFileURL(`${tree}/${path}`).href;
  const { toFeed } = (await import(at('src-main/core/mesh/peer-session.ts'))) as {
    toFeed(e: StoredEvent): unknown;
  };
  const { encodeEventsFrame } = (await import(at('src-main/core/mesh/frame-codec.ts'))) as {
    encodeEventsFrame(json: readonly string[], last: number): Buffer;
  };
  const bodies: Buffer[] = [];
  for (let i = 0; i < events.length; i += perFrame) {
    const slice = events.slice(i, i + perFrame);
    bodies.push(
      encodeEventsFrame(
        slice.map((e) => JSON.stringify(toFeed(e))),
        slice.at(-1)!.seq,
      ).subarray(4),
    );
  }
  return bodies;
}
