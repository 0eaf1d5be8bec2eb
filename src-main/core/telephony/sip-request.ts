/**
 * Builds the OPTIONS request the probe sends (RFC 3261 §8.1.1, §11) and decides
 * whether a response belongs to it (§17.1.3: top Via branch + CSeq method; we also
 * check Call-ID and CSeq number so a stray answer to an older probe never counts).
 */
import { randomBytes } from 'node:crypto';
import { parseCSeq, topViaBranch, type SipResponse } from './sip-parser.ts';

export interface OptionsRequestParams {
  transport: 'udp' | 'tcp';
  targetHost: string;
  targetPort: number;
  ruriUser?: string;
  /** Our socket's address and port, for Via and Contact. */
  localHost: string;
  localPort: number;
  cseq?: number;
}

export interface OptionsRequest {
  text: string;
  callId: string;
  branch: string;
  fromTag: string;
  cseq: number;
}

/** RFC 3261 magic cookie: branches starting with it are globally unique per transaction. */
export const BRANCH_COOKIE = 'z9hG4bK';

const token = (bytes: number) => randomBytes(bytes).toString('hex');

function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function buildOptionsRequest(params: OptionsRequestParams): OptionsRequest {
  const branch = `${BRANCH_COOKIE}${token(10)}`;
  const callId = `${token(12)}@guardline`;
  const fromTag = token(6);
  const cseq = params.cseq ?? 1;
  const target = `${hostPart(params.targetHost)}:${params.targetPort}`;
  const ruri = `sip:${params.ruriUser ? `${params.ruriUser}@` : ''}${target}${params.transport === 'tcp' ? ';transport=tcp' : ''}`;
  const local = `${hostPart(params.localHost)}:${params.localPort}`;
  const lines = [
    `OPTIONS ${ruri} SIP/2.0`,
    `Via: SIP/2.0/${params.transport.toUpperCase()} ${local};rport;branch=${branch}`,
    'Max-Forwards: 70',
    `From: "Guardline" <sip:guardline@${local}>;tag=${fromTag}`,
    `To: <${ruri}>`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} OPTIONS`,
    `Contact: <sip:guardline@${local}${params.transport === 'tcp' ? ';transport=tcp' : ''}>`,
    'Accept: application/sdp',
    'User-Agent: Guardline line monitor',
    'Content-Length: 0',
  ];
  return { text: `${lines.join('\r\n')}\r\n\r\n`, callId, branch, fromTag, cseq };
}

/** Does this response answer our request? Anything else is a foreign message and is ignored. */
export function matchesRequest(response: SipResponse, request: OptionsRequest): boolean {
  if (response.headers.get('call-id')?.[0] !== request.callId) return false;
  if (topViaBranch(response) !== request.branch) return false;
  const cseq = parseCSeq(response.headers.get('cseq')![0]!);
  return cseq.seq === request.cseq && cseq.method === 'OPTIONS';
}
