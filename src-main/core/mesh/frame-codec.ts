/**
 * Length-prefixed JSON frames over a byte stream: 4-byte big-endian length, then UTF-8
 * JSON. Hand-written because it is twelve lines of Buffer arithmetic; what matters is
 * that a length over the limit is refused before a byte of the body is buffered, so a
 * hostile peer cannot make this console hold more than one frame in memory.
 */
import { MeshFrame, MESH_MAX_FRAME_BYTES } from '../../../src-shared/mesh-wire.ts';
import { quickEventsFrame } from '../../../src-shared/mesh-wire-check.ts';

export class FrameError extends Error {
  readonly code: 'frame_too_large' | 'bad_frame';
  constructor(code: 'frame_too_large' | 'bad_frame', message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}

export function encodeFrame(frame: MeshFrame): Buffer {
  return framed(JSON.stringify(frame));
}

/**
 * An `events` frame whose events are already feed JSON (spliced from the log's stored text,
 * mesh.ts `feedJson`): the bytes encodeFrame gives for the same events, without parsing each
 * stored payload into objects only to write it out again (the sender's profile, issue 12i).
 */
export function encodeEventsFrame(eventsJson: readonly string[], last: number): Buffer {
  return framed(`{"t":"events","events":[${eventsJson.join(',')}],"last":${last}}`);
}

/** The length prefix and the text's UTF-8 bytes in one buffer (encoded once, not copied again). */
function framed(text: string): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  if (length > MESH_MAX_FRAME_BYTES) throw new RangeError(`frame of ${length} bytes is over the limit`);
  const out = Buffer.allocUnsafe(4 + length);
  out.writeUInt32BE(length, 0);
  out.write(text, 4, 'utf8');
  return out;
}

/** One frame's body (the bytes after its length) as a frame; throws FrameError when it is not one. */
export function parseFrameBody(body: Uint8Array): MeshFrame {
  return decodeFrameBody(body).frame;
}

/**
 * As parseFrameBody, and also the value JSON.parse gave before the wire schema's parse (`frame`
 * is the schema's output: new objects, its members in the schema's order). An `events` frame the
 * quick check (mesh-wire-check.ts) finds certainly valid and unchanged by the schema is that value
 * itself (`frame === json`); any other frame is zod's to accept or refuse.
 */
export function decodeFrameBody(body: Uint8Array): { frame: MeshFrame; json: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(frameText(body));
  } catch {
    throw new FrameError('bad_frame', 'frame is not JSON');
  }
  if (quickEventsFrame(json)) return { frame: json as MeshFrame, json };
  const parsed = MeshFrame.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FrameError('bad_frame', `bad frame at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return { frame: parsed.data, json };
}

/** A frame body's text (UTF-8). */
export function frameText(body: Uint8Array): string {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/**
 * Feeds chunks in, hands out whole frames: as bodies (`pushBodies`, parsed by the caller,
 * possibly on another thread) or parsed (`push`). Throws FrameError on a length over the limit.
 */
export function createFrameDecoder(maxBytes = MESH_MAX_FRAME_BYTES) {
  let buffered: Buffer[] = [];
  let size = 0;
  let need: number | null = null;

  function take(n: number): Buffer {
    const all = buffered.length === 1 ? buffered[0]! : Buffer.concat(buffered, size);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    buffered = rest.length > 0 ? [rest] : [];
    size = rest.length;
    return out;
  }

  /** The whole frames' bodies, and the error of a length over the limit after them (nothing more is read then). */
  function pushBodies(chunk: Buffer): { bodies: Buffer[]; error: FrameError | null } {
    buffered.push(chunk);
    size += chunk.length;
    const bodies: Buffer[] = [];
    for (;;) {
      if (need === null) {
        if (size < 4) break;
        need = take(4).readUInt32BE(0);
        if (need > maxBytes) {
          const error = new FrameError('frame_too_large', `frame of ${need} bytes is over ${maxBytes}`);
          buffered = [];
          size = 0;
          return { bodies, error };
        }
      }
      if (size < need) break;
      bodies.push(take(need));
      need = null;
    }
    return { bodies, error: null };
  }

  return {
    /** Buffered bytes not yet part of a whole frame (bounded by maxBytes + 4). */
    get pendingBytes() {
      return size;
    },
    pushBodies,
    /** Parsed frames; throws FrameError on the first bad one. */
    push(chunk: Buffer): MeshFrame[] {
      const { bodies, error } = pushBodies(chunk);
      const frames = bodies.map(parseFrameBody);
      if (error) throw error;
      return frames;
    },
  };
}
