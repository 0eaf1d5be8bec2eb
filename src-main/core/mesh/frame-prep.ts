/**
 * A frame body made ready for the session (peer-session.ts): parsed and checked against the
 * wire schema, and for an `events` frame each event prepared for the gate
 * (core/sync/received-prep.ts). Pure over plain data: the frame preparer runs it on a worker
 * thread for large frames, the session on its own thread for small ones.
 *
 * What the worker posts back is `packFrame`'s answer, turned into the session's form on the
 * console's thread by `unpackFrame`. An `events` frame whose wire-schema output is the very value
 * JSON.parse gives (the sender writes each event's members in the schema's order, mesh.ts
 * `feedJson`) is not posted back as objects: the console's thread parses the same bytes itself,
 * which costs it less than rebuilding a structured clone of them and spares the worker the
 * clone (its profile, issue 12l). JSON.parse of the same bytes gives the same value on both
 * threads, so the console's thread holds exactly what the worker validated and prepared.
 */
import type { KeyringEntry } from '../../../src-common/trust/index.ts';
import type { MeshFrame } from '../../../src-shared/mesh-wire.ts';
import {
  packReceived,
  prepareReceived,
  unpackReceived,
  type ChainAhead,
  type ChainPlan,
  type PackedPreps,
  type ReceivedPrep,
} from '../sync/received-prep.ts';
import { decodeFrameBody, FrameError, frameText } from './frame-codec.ts';

export type PreparedFrame =
  | {
      frame: MeshFrame;
      ahead: ReceivedPrep[] | null;
      /** The frame preparer's number for it, told back once it is stored (FramePreparer `stored`). */
      job?: number;
      /** Bench timeline only (session-timeline.ts): when it was posted, and the worker's start and end. */
      timing?: FrameTiming;
    }
  | { error: { code: FrameError['code']; message: string } };

/**
 * The worker's answer for one body: `frame` null means "JSON.parse of the body is the frame"
 * (only ever for an `events` frame); `ahead` is its events' preparation, packed.
 */
export type PackedFrame =
  | { frame: MeshFrame | null; ahead: PackedPreps | null; timing?: FrameTiming }
  | { error: { code: FrameError['code']; message: string } };

/** Bench timeline only: epoch ms (session-timeline.ts `timelineNow`). */
export interface FrameTiming {
  posted?: number;
  start?: number;
  end?: number;
}

/** Parses `body`; with `keys`, also prepares an `events` frame's events against them. */
export function prepareFrame(body: Uint8Array, keys: readonly KeyringEntry[] | null): PreparedFrame {
  let frame: MeshFrame;
  try {
    frame = decodeFrameBody(body).frame;
  } catch (error) {
    if (error instanceof FrameError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
  if (frame.t !== 'events' || keys === null) return { frame, ahead: null };
  return { frame, ahead: prepareReceived(frame.events, keys) };
}

/**
 * prepareFrame on the worker's side: what it posts back (see the header). With a plan, an
 * `events` frame's chain hashes are guessed ahead too (received-prep.ts `createChainAhead`).
 */
export function packFrame(
  body: Uint8Array,
  keys: readonly KeyringEntry[],
  plan: ChainPlan | null = null,
  chainAhead: ChainAhead | null = null,
): PackedFrame {
  let decoded: ReturnType<typeof decodeFrameBody>;
  try {
    decoded = decodeFrameBody(body);
  } catch (error) {
    if (error instanceof FrameError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
  const { frame, json } = decoded;
  if (frame.t !== 'events') return { frame, ahead: null };
  const preps = prepareReceived(frame.events, keys);
  const chain =
    plan && chainAhead
      ? chainAhead.chain(
          plan,
          preps.map((p) => p.canonical),
        )
      : null;
  const ahead = packReceived(preps, chain);
  return { frame: sameParse(frame, json) ? null : frame, ahead };
}

/** The session's form of the worker's answer for `body` (the bytes it was given). */
export function unpackFrame(body: Uint8Array, answer: PackedFrame): PreparedFrame {
  if ('error' in answer) return answer;
  const frame = answer.frame ?? (JSON.parse(frameText(body)) as MeshFrame);
  return {
    frame,
    ahead: answer.ahead ? unpackReceived(answer.ahead) : null,
    ...(answer.timing ? { timing: answer.timing } : {}),
  };
}

/**
 * Whether a schema's `output` is its JSON.parse `input` itself: the same reference (the schema
 * handed that part through untouched, as `payload: unknown` does), or plain objects with the same
 * members in the same order and arrays of the same length whose members are so, and primitives
 * that are the same (`Object.is`). Then a fresh JSON.parse of the same text gives what the
 * schema gave, member for member. Anything else (a member stripped, added, defaulted, moved,
 * transformed) is not.
 */
export function sameParse(output: unknown, input: unknown): boolean {
  if (Object.is(output, input)) return true;
  if (typeof output !== 'object' || output === null || typeof input !== 'object' || input === null) return false;
  if (Array.isArray(output)) {
    if (!Array.isArray(input) || output.length !== input.length) return false;
    for (let i = 0; i < output.length; i++) if (!sameParse(output[i], input[i])) return false;
    return true;
  }
  if (Array.isArray(input) || Object.getPrototypeOf(output) !== Object.prototype) return false;
  const a = output as Record<string, unknown>;
  const b = input as Record<string, unknown>;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    if (key !== keysB[i] || !sameParse(a[key], b[key])) return false;
  }
  return true;
}
