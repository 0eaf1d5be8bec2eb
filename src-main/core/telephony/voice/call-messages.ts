/**
 * The requests a test call sends (INVITE, ACK, CANCEL, BYE; RFC 3261 §8.1.1, §12.2,
 * §17.1.1.3) and the answers it gives to the far end's in-dialog requests (§8.2.6).
 * Pure text building, so the exact bytes are unit-tested.
 */
import { randomBytes } from 'node:crypto';
import type { SipRequest } from '../sip-parser.ts';
import { BRANCH_COOKIE } from '../sip-request.ts';

export const newToken = (bytes: number) => randomBytes(bytes).toString('hex');
export const newBranch = () => `${BRANCH_COOKIE}${newToken(10)}`;

export function hostPort(host: string, port?: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}

export interface DialogIds {
  callId: string;
  fromUri: string;
  fromTag: string;
  toUri: string;
  /** Set once the far end answered (its To tag). */
  toTag: string | null;
  /** Our Via sent-by and Contact address. */
  local: string;
}

export interface RequestParts {
  method: 'INVITE' | 'ACK' | 'CANCEL' | 'BYE';
  ruri: string;
  branch: string;
  cseq: number;
  /** Route set (RFC 3261 §12.2.1.1), in the order to send. */
  routes?: readonly string[];
  headers?: readonly string[];
  body?: { type: string; text: string };
}

export function buildRequest(d: DialogIds, r: RequestParts): string {
  const body = r.body?.text ?? '';
  const lines = [
    `${r.method} ${r.ruri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${d.local};rport;branch=${r.branch}`,
    'Max-Forwards: 70',
    ...(r.routes ?? []).map((route) => `Route: ${route}`),
    `From: <${d.fromUri}>;tag=${d.fromTag}`,
    `To: <${d.toUri}>${d.toTag ? `;tag=${d.toTag}` : ''}`,
    `Call-ID: ${d.callId}`,
    `CSeq: ${r.cseq} ${r.method}`,
    ...(r.method === 'INVITE'
      ? [`Contact: <sip:guardline@${d.local}>`, 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS']
      : []),
    ...(r.headers ?? []),
    'User-Agent: Guardline voice-path probe',
    ...(r.body ? [`Content-Type: ${r.body.type}`] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** A response to the far end's request: Via, From, To, Call-ID and CSeq copied (§8.2.6.2). */
export function buildResponse(request: SipRequest, status: number, reason: string, toTag: string): string {
  const h = (name: string) => request.headers.get(name) ?? [];
  const to = h('to')[0] ?? '';
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...h('via').map((v) => `Via: ${v}`),
    ...h('record-route').map((v) => `Record-Route: ${v}`),
    `From: ${h('from')[0] ?? ''}`,
    `To: ${/;\s*tag=/i.test(to) ? to : `${to};tag=${toTag}`}`,
    `Call-ID: ${h('call-id')[0] ?? ''}`,
    `CSeq: ${h('cseq')[0] ?? ''}`,
    'Content-Length: 0',
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The tag parameter of a From/To value. */
export function tagOf(value: string | undefined): string | null {
  if (!value) return null;
  const afterUri = value.includes('>') ? value.slice(value.lastIndexOf('>')) : value;
  return /;\s*tag\s*=\s*([^;\s,]+)/i.exec(afterUri)?.[1] ?? null;
}

/** The URI inside a Contact value (`<sip:x@h:p>;expires=…` or a bare URI). */
export function contactUri(value: string | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^>]+)>/.exec(value);
  if (bracketed) return bracketed[1]!;
  const bare = value.split(';')[0]!.trim();
  return /^sips?:/i.test(bare) ? bare : null;
}
