/**
 * SIP OPTIONS ping over UDP and TCP, hand-written on `node:dgram` / `node:net`.
 *
 * Why not a library: there is no maintained, small SIP user-agent library for Node
 * (the old ones are unmaintained and pull in full dialog/transaction stacks), and a
 * line monitor needs exact control over what a library would hide: when each UDP
 * retransmission goes out (Timer A), the overall timeout, which answers count as
 * ours (Call-ID, CSeq, top Via branch), and the evidence of *how* a ping failed
 * ("refused": ICMP port unreachable or TCP RST, vs. "timeout": a black hole vs. an
 * unreadable answer). The protocol surface is one request and one response.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { SipOptionsProbeSpec } from '../../../src-shared/facility-config.ts';
import type { ProbeResult } from '../../../src-shared/telephony.ts';
import {
  MAX_SIP_MESSAGE_BYTES,
  SipParseError,
  findHeaderEnd,
  parseSipResponse,
  type SipResponse,
} from './sip-parser.ts';
import { buildOptionsRequest, matchesRequest, type OptionsRequest } from './sip-request.ts';
import { outcomeForSipStatus } from './sip-status.ts';
import { probeResult, settleOnce, socketErrorResult, socketHost, type ProbeContext } from './probe-result.ts';

/** RFC 3261 §17.1.1.1: T1 = 500 ms initial retransmit, doubling up to T2 = 4 s. */
export const SIP_T1_MS = 500;
export const SIP_T2_MS = 4000;

export interface SipProbeContext extends ProbeContext {
  t1Ms?: number;
}

/** Tracks one transaction's answers: ours, foreign ones, and unreadable ones (as evidence). */
class Transaction {
  request: OptionsRequest | null = null;
  foreign = 0;
  parseError: SipParseError | null = null;
  sentAt = 0;
  sends = 0;
  provisional = false;

  /** Returns the final response when `raw` is one that answers our request. */
  accept(raw: Uint8Array | string): SipResponse | null {
    let response: SipResponse;
    try {
      response = parseSipResponse(raw);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      this.parseError = error;
      return null;
    }
    if (!this.request || !matchesRequest(response, this.request)) {
      this.foreign += 1;
      return null;
    }
    if (outcomeForSipStatus(response.status) === null) {
      this.provisional = true;
      return null;
    }
    return response;
  }

  answered(ctx: SipProbeContext, response: SipResponse): ProbeResult {
    const outcome = outcomeForSipStatus(response.status) ?? 'down';
    const rtt = performance.now() - this.sentAt;
    return probeResult(ctx, outcome, 'sip_status', `${response.status} ${response.reason}`.trim(), rtt);
  }

  noAnswer(ctx: SipProbeContext, what: string, code: 'timeout' | 'network_error' = 'timeout'): ProbeResult {
    const notes = [`${this.sends} ${this.sends === 1 ? 'send' : 'sends'}`];
    if (this.provisional) notes.push('provisional response only');
    if (this.foreign > 0)
      notes.push(`${this.foreign} foreign ${this.foreign === 1 ? 'response' : 'responses'} ignored`);
    if (this.parseError) {
      // Something answers, but not in a way we can read: the line is not known good.
      return probeResult(
        ctx,
        'degraded',
        'parse_error',
        `unreadable response (${this.parseError.code}): ${this.parseError.message}`,
      );
    }
    return probeResult(ctx, 'down', code, `${what} (${notes.join(', ')})`);
  }
}

export function probeSipOptions(spec: SipOptionsProbeSpec, ctx: SipProbeContext): Promise<ProbeResult> {
  const target = { ...spec, host: socketHost(spec.host) };
  return target.transport === 'tcp' ? probeTcp(target, ctx) : probeUdp(target, ctx);
}

function probeUdp(spec: SipOptionsProbeSpec, ctx: SipProbeContext): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const tx = new Transaction();
    // A connected socket hears ICMP "port unreachable" as ECONNREFUSED, and only accepts datagrams from the target.
    const socket = dgram.createSocket(net.isIPv6(spec.host) ? 'udp6' : 'udp4');
    let retransmit: NodeJS.Timeout | undefined;
    const { finish, settled } = settleOnce(
      ctx.timeoutMs,
      () => tx.noAnswer(ctx, `no response in ${ctx.timeoutMs} ms`),
      () => {
        clearTimeout(retransmit);
        socket.close();
      },
      resolve,
    );
    const send = (waitMs: number) => {
      if (settled() || !tx.request) return;
      tx.sends += 1;
      socket.send(tx.request.text, (error) => error && finish(socketErrorResult(ctx, error)));
      retransmit = setTimeout(() => send(Math.min(waitMs * 2, SIP_T2_MS)), waitMs);
    };
    socket.on('error', (error) => finish(socketErrorResult(ctx, error)));
    socket.on('message', (raw) => {
      const response = tx.accept(raw);
      if (response) finish(tx.answered(ctx, response));
    });
    socket.connect(spec.port, spec.host, () => {
      const local = socket.address();
      tx.request = buildOptionsRequest({
        transport: 'udp',
        targetHost: spec.host,
        targetPort: spec.port,
        ruriUser: spec.ruriUser,
        localHost: local.address,
        localPort: local.port,
      });
      tx.sentAt = performance.now();
      send(ctx.t1Ms ?? SIP_T1_MS);
    });
  });
}

function probeTcp(spec: SipOptionsProbeSpec, ctx: SipProbeContext): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const tx = new Transaction();
    const socket = net.connect({ host: spec.host, port: spec.port });
    let buffer = Buffer.alloc(0);
    const { finish } = settleOnce(
      ctx.timeoutMs,
      () => tx.noAnswer(ctx, `no response in ${ctx.timeoutMs} ms`),
      () => socket.destroy(),
      resolve,
    );
    socket.on('error', (error) => finish(socketErrorResult(ctx, error)));
    socket.on('close', () => finish(tx.noAnswer(ctx, 'connection closed without a response', 'network_error')));
    socket.on('connect', () => {
      tx.request = buildOptionsRequest({
        transport: 'tcp',
        targetHost: spec.host,
        targetPort: spec.port,
        ruriUser: spec.ruriUser,
        localHost: socket.localAddress ?? '127.0.0.1',
        localPort: socket.localPort ?? 0,
      });
      tx.sentAt = performance.now();
      tx.sends = 1;
      socket.write(tx.request.text);
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const framed = frameMessage(buffer);
        if (framed.kind === 'incomplete') break;
        if (framed.kind === 'error') {
          tx.parseError = framed.error;
          return finish(tx.noAnswer(ctx, 'unreadable stream'));
        }
        buffer = buffer.subarray(framed.length);
        const response = tx.accept(framed.message);
        if (response) return finish(tx.answered(ctx, response));
      }
    });
  });
}

type Framed =
  | { kind: 'incomplete' }
  | { kind: 'error'; error: SipParseError }
  | { kind: 'message'; message: Buffer; length: number };

/** Cut one message off a TCP stream: headers up to the blank line, then Content-Length bytes (§18.3). */
export function frameMessage(buffer: Buffer): Framed {
  // Keep-alive CRLFs between messages (RFC 5626 §3.5.1) are not a message.
  let skip = 0;
  while (skip < buffer.length && (buffer[skip] === 0x0d || buffer[skip] === 0x0a)) skip++;
  if (skip > 0) {
    const rest = frameMessage(buffer.subarray(skip));
    return rest.kind === 'message' ? { ...rest, length: rest.length + skip } : rest;
  }
  const head = buffer.subarray(0, MAX_SIP_MESSAGE_BYTES).toString('latin1');
  const bounds = findHeaderEnd(head);
  if (!bounds) {
    if (buffer.length >= MAX_SIP_MESSAGE_BYTES) {
      return { kind: 'error', error: new SipParseError('too_large', `no end of headers in ${buffer.length} bytes`) };
    }
    return { kind: 'incomplete' };
  }
  const m = /^(?:content-length|l)[ \t]*:[ \t]*(\d{1,7})[ \t]*$/im.exec(head.slice(0, bounds.headerEnd));
  const length = bounds.bodyStart + (m ? Number(m[1]) : 0);
  if (length > MAX_SIP_MESSAGE_BYTES) {
    return {
      kind: 'error',
      error: new SipParseError('too_large', `message of ${length} bytes exceeds ${MAX_SIP_MESSAGE_BYTES}`),
    };
  }
  if (buffer.length < length) return { kind: 'incomplete' };
  return { kind: 'message', message: buffer.subarray(0, length), length };
}
