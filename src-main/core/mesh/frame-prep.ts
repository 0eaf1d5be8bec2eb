/**
 * A frame body made ready for the session (peer-session.ts): parsed and checked against the
 * wire schema, and for an `events` frame each event prepared for the gate
 * (core/sync/received-prep.ts). Pure over plain data: the frame preparer runs it on a worker
 * thread for large frames, the session on its own thread for small ones.
 */
import type { KeyringEntry } from '../../../src-common/trust/index.ts';
import type { MeshFrame } from '../../../src-shared/mesh-wire.ts';
import { prepareReceived, type ReceivedPrep } from '../sync/received-prep.ts';
import { FrameError, parseFrameBody } from './frame-codec.ts';

export type PreparedFrame =
  { frame: MeshFrame; ahead: ReceivedPrep[] | null } | { error: { code: FrameError['code']; message: string } };

/** Parses `body`; with `keys`, also prepares an `events` frame's events against them. */
export function prepareFrame(body: Uint8Array, keys: readonly KeyringEntry[] | null): PreparedFrame {
  let frame: MeshFrame;
  try {
    frame = parseFrameBody(body);
  } catch (error) {
    if (error instanceof FrameError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
  if (frame.t !== 'events' || keys === null) return { frame, ahead: null };
  return { frame, ahead: prepareReceived(frame.events, keys) };
}
