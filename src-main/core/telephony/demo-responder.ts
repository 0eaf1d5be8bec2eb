/**
 * Demo mode only: a small SIP endpoint per demo line on 127.0.0.1 (ephemeral ports)
 * that answers OPTIONS, so a new user sees the real monitor probe real sockets
 * without a PBX. Each line can be made to fail the ways real lines fail:
 * - `down`: the socket is closed, so probes get a real ICMP/TCP refusal;
 * - `error503`: answers 503 Service Unavailable;
 * - `blackhole`: receives and never answers, so probes time out.
 * A fault on a trunk applies to every line that goes via it, as a carrier outage would.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { DemoFault } from '../../../src-shared/telephony.ts';
import { canonicalHeaderName } from './sip-parser.ts';
import { frameMessage } from './sip-options-probe.ts';

export interface DemoEndpointSpec {
  lineId: string;
  transport: 'udp' | 'tcp';
  via: string | null;
}

export interface DemoResponder {
  port(lineId: string): number;
  faults(): Record<string, DemoFault>;
  setFault(lineId: string, fault: DemoFault): Promise<void>;
  close(): Promise<void>;
}

/** The response a UAS owes an OPTIONS request (RFC 3261 §8.2.6): Via, From, To (+tag), Call-ID, CSeq copied. */
export function answerRequest(request: string, status: number, reason: string): string | null {
  const lines = request.split(/\r?\n/);
  if (!/^OPTIONS \S+ SIP\/2\.0$/.test(lines[0] ?? '')) return null;
  const copied: string[] = [];
  let to = '';
  for (const line of lines.slice(1)) {
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = canonicalHeaderName(line.slice(0, colon).trim());
    const value = line.slice(colon + 1).trim();
    if (name === 'via') copied.push(`Via: ${value}`);
    else if (name === 'from') copied.push(`From: ${value}`);
    else if (name === 'call-id') copied.push(`Call-ID: ${value}`);
    else if (name === 'cseq') copied.push(`CSeq: ${value}`);
    else if (name === 'to') to = value;
  }
  if (copied.length < 4 || !to) return null;
  const toTag = /;\s*tag=/i.test(to) ? to : `${to};tag=guardline-demo`;
  return [`SIP/2.0 ${status} ${reason}`, ...copied, `To: ${toTag}`, 'Allow: OPTIONS', 'Content-Length: 0', '', ''].join(
    '\r\n',
  );
}

interface Endpoint {
  spec: DemoEndpointSpec;
  port: number;
  close: (() => Promise<void>) | null;
}

export async function startDemoResponder(specs: readonly DemoEndpointSpec[]): Promise<DemoResponder> {
  const faults = new Map<string, DemoFault>(specs.map((s) => [s.lineId, 'none']));
  const endpoints = new Map<string, Endpoint>();

  const effective = (spec: DemoEndpointSpec): DemoFault => {
    const own = faults.get(spec.lineId) ?? 'none';
    if (own !== 'none' || spec.via === null) return own;
    return faults.get(spec.via) ?? 'none';
  };
  const answer = (spec: DemoEndpointSpec, request: string): string | null => {
    const fault = effective(spec);
    if (fault === 'blackhole' || fault === 'down') return null;
    return fault === 'error503'
      ? answerRequest(request, 503, 'Service Unavailable')
      : answerRequest(request, 200, 'OK');
  };

  const open = (ep: Endpoint): Promise<void> =>
    ep.spec.transport === 'udp'
      ? openUdp(ep, (req) => answer(ep.spec, req))
      : openTcp(ep, (req) => answer(ep.spec, req));

  const reconcile = async () => {
    for (const ep of endpoints.values()) {
      const down = effective(ep.spec) === 'down';
      if (down && ep.close) {
        const close = ep.close;
        ep.close = null;
        await close();
      } else if (!down && !ep.close) {
        await open(ep);
      }
    }
  };

  for (const spec of specs) {
    const ep: Endpoint = { spec, port: 0, close: null };
    await open(ep);
    endpoints.set(spec.lineId, ep);
  }

  return {
    port(lineId) {
      const ep = endpoints.get(lineId);
      if (!ep) throw new Error(`no demo endpoint for line ${lineId}`);
      return ep.port;
    },
    faults: () => Object.fromEntries(faults),
    async setFault(lineId, fault) {
      if (!faults.has(lineId)) throw new Error(`no demo endpoint for line ${lineId}`);
      faults.set(lineId, fault);
      await reconcile();
    },
    async close() {
      for (const ep of endpoints.values()) {
        const close = ep.close;
        ep.close = null;
        await close?.();
      }
    },
  };
}

function openUdp(ep: Endpoint, answer: (request: string) => string | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      const reply = answer(msg.toString('utf8'));
      // rport (RFC 3581): answer to the address and port the request came from.
      if (reply) socket.send(reply, rinfo.port, rinfo.address);
    });
    socket.once('error', reject);
    socket.bind(ep.port, '127.0.0.1', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined); // a demo endpoint never takes the console down
      ep.port = socket.address().port;
      ep.close = () => new Promise((r) => socket.close(() => r()));
      resolve();
    });
  });
}

function openTcp(ep: Endpoint, answer: (request: string) => string | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      let buffer = Buffer.alloc(0);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      socket.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const framed = frameMessage(buffer);
          if (framed.kind === 'incomplete') return;
          if (framed.kind === 'error') return socket.destroy();
          buffer = buffer.subarray(framed.length);
          const reply = answer(framed.message.toString('utf8'));
          if (reply) socket.write(reply);
        }
      });
    });
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: ep.port }, () => {
      server.off('error', reject);
      ep.port = (server.address() as net.AddressInfo).port;
      ep.close = () =>
        new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        });
      resolve();
    });
  });
}
