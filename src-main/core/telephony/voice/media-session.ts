/**
 * The test call's media: G.711 frames every 20 ms from one UDP socket to the address
 * the far end's SDP named, and every echoed frame we recognise recorded on arrival.
 * Sending is paced against the monotonic clock (each tick sends every frame that is
 * due), so a late timer never stretches the stream or bunches the statistics.
 */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { randomInt } from 'node:crypto';
import { buildRtp, parseRtp, probePayload, probeSequence, SAMPLES_PER_PACKET, RtpError } from './rtp.ts';
import type { EchoedPacket, SentPacket } from './media-stats.ts';

export const PACKET_INTERVAL_MS = 20;

export interface MediaSession {
  readonly port: number;
  readonly sent: SentPacket[];
  readonly echoed: EchoedPacket[];
  /** Datagrams that were not RTP echoes of ours (foreign or unreadable). */
  readonly ignored: number;
  /** Start sending to `address:port`; resolves when `durationMs` of frames went out or `stop()` was called. */
  stream(target: { address: string; port: number; payloadType: number }, durationMs: number): Promise<void>;
  stop(): void;
  close(): void;
}

/** G.711 idle patterns: μ-law 0xFF and A-law 0xD5 are silence. */
const SILENCE: Record<number, number> = { 0: 0xff, 8: 0xd5 };

export function openMediaSession(localAddress: string): Promise<MediaSession> {
  const socket = dgram.createSocket(localAddress.includes(':') ? 'udp6' : 'udp4');
  const sent: SentPacket[] = [];
  const echoed: EchoedPacket[] = [];
  let ignored = 0;
  let stopStream: (() => void) | null = null;
  socket.on('message', (data) => {
    const at = performance.now();
    try {
      const packet = parseRtp(data);
      const seq = probeSequence(packet.payload);
      if (seq === null) ignored += 1;
      else echoed.push({ seq, at, timestamp: packet.timestamp });
    } catch (error) {
      if (!(error instanceof RtpError)) throw error;
      ignored += 1;
    }
  });
  socket.on('error', () => {
    // ICMP unreachable for RTP is not fatal: the stats show nothing came back.
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, localAddress, () => {
      socket.off('error', reject);
      resolve({
        port: socket.address().port,
        sent,
        echoed,
        get ignored() {
          return ignored;
        },
        stream(target, durationMs) {
          const ssrc = randomInt(1, 2 ** 32 - 1);
          const seq0 = randomInt(0, 65_536);
          const ts0 = randomInt(0, 2 ** 31);
          const count = Math.max(1, Math.round(durationMs / PACKET_INTERVAL_MS));
          const start = performance.now();
          let next = 0;
          return new Promise<void>((done) => {
            let timer: NodeJS.Timeout | undefined;
            const finish = () => {
              clearTimeout(timer);
              stopStream = null;
              done();
            };
            stopStream = finish;
            const tick = () => {
              const now = performance.now();
              while (next < count && start + next * PACKET_INTERVAL_MS <= now) {
                const packet = buildRtp(
                  {
                    payloadType: target.payloadType,
                    sequence: seq0 + next,
                    timestamp: ts0 + next * SAMPLES_PER_PACKET,
                    ssrc,
                    payload: probePayload(next, SILENCE[target.payloadType] ?? 0xff),
                  },
                  next === 0,
                );
                sent.push({ seq: next, at: performance.now(), timestamp: ts0 + next * SAMPLES_PER_PACKET });
                socket.send(packet, target.port, target.address);
                next += 1;
              }
              if (next >= count) return finish();
              timer = setTimeout(tick, Math.max(1, start + next * PACKET_INTERVAL_MS - performance.now()));
            };
            tick();
          });
        },
        stop: () => stopStream?.(),
        close: () => {
          stopStream?.();
          socket.close();
        },
      });
    });
  });
}
