/**
 * Length-prefixed JSON frames over a byte stream: 4-byte big-endian length, then UTF-8
 * JSON. Hand-written because it is twelve lines of Buffer arithmetic; what matters is
 * that a length over the limit is refused before a byte of the body is buffered, so a
 * hostile peer cannot make this console hold more than one frame in memory.
 */
import { MeshFrame, MESH_MAX_FRAME_BYTES } from '../../../src-shared/mesh-wire.ts';

export class FrameError extends Error {
  readonly code: 'frame_too_large' | 'bad_frame';
  constructor(code: 'frame_too_large' | 'bad_frame', message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}

export function encodeFrame(frame: MeshFrame): Buffer {
  const body = Buffer.from(JSON.stringify(frame), 'utf8');
  if (body.length > MESH_MAX_FRAME_BYTES) throw new RangeError(`frame of ${body.length} bytes is over the limit`);
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Feeds chunks in, hands out parsed frames; throws FrameError on the first bad one. */
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

  return {
    /** Buffered bytes not yet part of a whole frame (bounded by maxBytes + 4). */
    get pendingBytes() {
      return size;
    },
    push(chunk: Buffer): MeshFrame[] {
      buffered.push(chunk);
      size += chunk.length;
      const frames: MeshFrame[] = [];
      for (;;) {
        if (need === null) {
          if (size < 4) break;
          need = take(4).readUInt32BE(0);
          if (need > maxBytes) throw new FrameError('frame_too_large', `frame of ${need} bytes is over ${maxBytes}`);
        }
        if (size < need) break;
        const body = take(need);
        need = null;
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          throw new FrameError('bad_frame', 'frame is not JSON');
        }
        const parsed = MeshFrame.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new FrameError('bad_frame', `bad frame at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
        }
        frames.push(parsed.data);
      }
      return frames;
    },
  };
}
