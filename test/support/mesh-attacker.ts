/**
 * A hostile mesh peer for tests: a TLS client with a key of its choosing (self-signed
 * certificate, as consoles use) that speaks the mesh protocol by hand, so a test can send
 * any frame bytes a real console never would.
 */
import tls from 'node:tls';
import type { KeyObject } from 'node:crypto';
import { selfSignedCertificate } from '../../src-main/core/mesh/certificate.ts';
import { createFrameDecoder, encodeFrame } from '../../src-main/core/mesh/frame-codec.ts';
import type { MeshFrame } from '../../src-shared/mesh-wire.ts';

export interface MeshAttacker {
  /** The device id the attacker claims in its hello. */
  deviceId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Connects to `to` as `as`, says hello, and once subscribed writes `payloads` in one go
 * (or `apart`, a frame at a time);
 * resolves with the frames the target sent when it closes, or once `done` holds for them.
 */
export function meshAttack(
  to: { host: string; port: number },
  as: MeshAttacker,
  payloads: (Buffer | MeshFrame)[],
  options: { facility?: string; done?: (frames: MeshFrame[]) => boolean; apart?: boolean } = {},
): Promise<MeshFrame[]> {
  const credentials = selfSignedCertificate(as, 'attacker');
  const done = options.done ?? ((frames) => frames.some((f) => f.t === 'ack'));
  return new Promise((resolve, reject) => {
    const frames: MeshFrame[] = [];
    const decoder = createFrameDecoder();
    const socket = tls.connect({
      ...to,
      ...credentials,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      minVersion: 'TLSv1.3',
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the target never answered; frames: ${JSON.stringify(frames.map(summary))}`));
    }, 20_000);
    let sent = false;
    socket.on('secureConnect', () => {
      const hello: MeshFrame = {
        t: 'hello',
        v: 1,
        deviceId: as.deviceId,
        facility: options.facility ?? 'Märsta',
        name: 'X',
        unit: 'X',
        head: 0,
        tracker: 'offline',
      };
      socket.write(encodeFrame(hello));
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        frames.push(...decoder.push(chunk));
      } catch {
        /* the target's frames are well formed; a cut tail is ignored */
      }
      if (sent && done(frames)) socket.end();
      if (!sent && frames.some((f) => f.t === 'subscribe')) {
        sent = true;
        const bytes = payloads.map((p) => (Buffer.isBuffer(p) ? p : encodeFrame(p)));
        if (!options.apart) socket.write(Buffer.concat(bytes));
        else {
          // One write a tick, so the target takes each frame in its own chunk(s).
          const next = () => {
            const b = bytes.shift();
            if (b && !socket.destroyed) socket.write(b, () => setImmediate(next));
          };
          next();
        }
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(frames);
    });
  });
}

/** A frame as a failed attack reports it: its type, and for a batch its size and `last`. */
function summary(f: MeshFrame): string {
  return f.t === 'events' ? `events(${f.events.length}, last ${f.last})` : f.t === 'ack' ? `ack(${f.last})` : f.t;
}
