/**
 * A fault-injecting TCP proxy for sync tests, written for them because the faults we
 * need are about *where* a connection breaks relative to the tracker's commit:
 * - `refuse`: reset the connection as soon as it is accepted (nothing reaches the tracker);
 * - `drop`:   swallow the request and reset (nothing reaches the tracker);
 * - `delay`:  hold the connection for a while, then pass it through;
 * - `cut`:    pass the request through, then cut the response after a random number of
 *             bytes (the tracker HAS committed; the console never hears it);
 * - `pass`:   a plain pipe.
 * Faults are chosen per connection by a seeded random generator, so a failing run can be
 * replayed with the same seed. Listens on 127.0.0.1 only.
 */
import net from 'node:net';

export type Fault = 'pass' | 'refuse' | 'drop' | 'delay' | 'cut';

export interface FaultPlan {
  /** Probability of each fault per new connection; the rest pass. */
  refuse?: number;
  drop?: number;
  delay?: number;
  cut?: number;
  delayMs?: number;
}

export interface FaultProxy {
  port: number;
  url: string;
  /** Where connections go; change it when the tracker restarts on another port. */
  setTarget(port: number): void;
  setPlan(plan: FaultPlan): void;
  /** 'down' refuses every connection (the WAN is gone); 'up' applies the plan. */
  setLink(state: 'up' | 'down'): void;
  /** Reset every open connection (e.g. a router reboot). */
  cutAll(): void;
  stats: Record<Fault, number>;
  close(): Promise<void>;
}

/** mulberry32: tiny seeded PRNG so fault sequences are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `targetHost`: where the target listens (another loopback address, e.g. 127.0.0.3, for mesh peers). */
export async function startFaultProxy(targetPort: number, seed = 1, targetHost = '127.0.0.1'): Promise<FaultProxy> {
  const random = seededRandom(seed);
  let target = targetPort;
  let plan: FaultPlan = {};
  let link: 'up' | 'down' = 'up';
  const open = new Set<net.Socket>();
  const stats: Record<Fault, number> = { pass: 0, refuse: 0, drop: 0, delay: 0, cut: 0 };

  function choose(): Fault {
    if (link === 'down') return 'refuse';
    let r = random();
    for (const fault of ['refuse', 'drop', 'delay', 'cut'] as const) {
      const p = plan[fault] ?? 0;
      if (r < p) return fault;
      r -= p;
    }
    return 'pass';
  }

  function track(socket: net.Socket) {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {});
  }

  function pipeThrough(client: net.Socket, cutAfter: number | null) {
    const upstream = net.connect({ host: targetHost, port: target });
    track(upstream);
    client.pipe(upstream);
    let passed = 0;
    upstream.on('data', (chunk: Buffer) => {
      if (cutAfter === null) {
        client.write(chunk);
        return;
      }
      const room = cutAfter - passed;
      if (room > 0) client.write(chunk.subarray(0, room));
      passed += chunk.length;
      if (passed >= cutAfter) {
        client.resetAndDestroy();
        upstream.destroy();
      }
    });
    upstream.on('end', () => client.end());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  }

  const server = net.createServer((client) => {
    track(client);
    client.pause();
    const fault = choose();
    stats[fault] += 1;
    switch (fault) {
      case 'refuse':
        client.resetAndDestroy();
        return;
      case 'drop':
        client.once('data', () => client.resetAndDestroy());
        client.resume();
        return;
      case 'delay': {
        const timer = setTimeout(() => {
          if (!client.destroyed) pipeThrough(client, null);
          client.resume();
        }, plan.delayMs ?? 200);
        client.on('close', () => clearTimeout(timer));
        return;
      }
      case 'cut':
        // Cut somewhere inside the response: after the status line at the earliest.
        pipeThrough(client, 1 + Math.floor(random() * 300));
        client.resume();
        return;
      case 'pass':
        pipeThrough(client, null);
        client.resume();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setTarget: (p) => (target = p),
    setPlan: (p) => (plan = p),
    setLink(state) {
      link = state;
      if (state === 'down') for (const s of open) s.resetAndDestroy();
    },
    cutAll() {
      for (const s of open) s.resetAndDestroy();
    },
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
