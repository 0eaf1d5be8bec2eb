/**
 * A UDP media relay for voice-path tests, standing where an SBC or NAT would: the
 * probe's RTP goes to `port`, leaves from a second socket to the far end, and the far
 * end's echo comes back the same way. There is no netem on these machines, so the
 * impairments a carrier causes are made here, per direction:
 * - `loss`: drop each datagram with this probability (seeded, so runs replay);
 * - `jitterMs`: hold each datagram a uniform random 0..jitterMs before forwarding
 *   (independent delays, so packets reorder the way a congested path reorders them);
 * - `block`: drop everything (one-way audio when set on one direction only);
 * - `cutAfterMs`: stop forwarding in both directions this long after the first packet.
 * Counters say what the relay actually did, so a test can prove its condition happened.
 */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { seededRandom } from './fault-proxy.ts';

export interface DirectionPlan {
  loss?: number;
  jitterMs?: number;
  block?: boolean;
}

export interface RelayPlan {
  toFarEnd?: DirectionPlan;
  toProbe?: DirectionPlan;
  cutAfterMs?: number;
}

export interface DirectionCounts {
  received: number;
  forwarded: number;
  dropped: number;
  /** Sum of injected delays, ms (mean = delaySumMs / forwarded). */
  delaySumMs: number;
  /** Each forwarded datagram's actual hold time in the relay, in the order they left (= arrival order at the other side). */
  delays: number[];
}

export interface UdpRelay {
  /** Where the probe sends RTP (advertise this in the far end's SDP). */
  readonly port: number;
  readonly counts: { toFarEnd: DirectionCounts; toProbe: DirectionCounts };
  setPlan(plan: RelayPlan): void;
  /** Who sent the last media towards the far end (the probe, or a media relay in between). */
  lastSource(): { address: string; port: number } | null;
  close(): Promise<void>;
}

const bind = (socket: dgram.Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });

export async function startUdpRelay(
  farEnd: { host: string; port: number },
  plan: RelayPlan = {},
  seed = 7,
): Promise<UdpRelay> {
  const random = seededRandom(seed);
  const front = dgram.createSocket('udp4');
  const back = dgram.createSocket('udp4');
  await bind(front);
  await bind(back);
  let current = plan;
  let probe: { address: string; port: number } | null = null;
  let firstAt: number | null = null;
  const timers = new Set<NodeJS.Timeout>();
  const counts = {
    toFarEnd: { received: 0, forwarded: 0, dropped: 0, delaySumMs: 0, delays: [] as number[] },
    toProbe: { received: 0, forwarded: 0, dropped: 0, delaySumMs: 0, delays: [] as number[] },
  };

  const forward = (dir: 'toFarEnd' | 'toProbe', data: Buffer, send: () => void) => {
    const c = counts[dir];
    const p = current[dir] ?? {};
    c.received += 1;
    firstAt ??= Date.now();
    const cut = current.cutAfterMs !== undefined && Date.now() - firstAt >= current.cutAfterMs;
    if (cut || p.block || (p.loss !== undefined && random() < p.loss)) {
      c.dropped += 1;
      return;
    }
    const delay = p.jitterMs ? random() * p.jitterMs : 0;
    const heldAt = performance.now();
    c.forwarded += 1;
    c.delaySumMs += delay;
    if (delay === 0) {
      c.delays.push(0);
      return send();
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      // What the datagram really waited (timers fire late on a busy machine), not what was drawn.
      c.delays.push(performance.now() - heldAt);
      send();
    }, delay);
    timers.add(timer);
  };

  front.on('message', (data, rinfo) => {
    probe = { address: rinfo.address, port: rinfo.port };
    forward('toFarEnd', data, () => back.send(data, farEnd.port, farEnd.host));
  });
  back.on('message', (data) => {
    const to = probe;
    if (to) forward('toProbe', data, () => front.send(data, to.port, to.address));
  });
  front.on('error', () => {});
  back.on('error', () => {});

  return {
    port: front.address().port,
    counts,
    setPlan(next) {
      current = next;
    },
    lastSource: () => probe,
    async close() {
      for (const t of timers) clearTimeout(t);
      await Promise.all([
        new Promise<void>((r) => front.close(() => r())),
        new Promise<void>((r) => back.close(() => r())),
      ]);
    },
  };
}
