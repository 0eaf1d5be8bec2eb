/**
 * SIP response parser (RFC 3261 §7, §20), for the OPTIONS probe's answers only.
 *
 * Lenient where real servers differ (header folding, compact header names, LF-only
 * line ends, any header case, an empty reason phrase) and strict where a wrong guess
 * would be a false UP: anything that is not a complete, well-formed response with the
 * headers needed to match it to our request is rejected with a `SipParseError`, and
 * nothing else is ever thrown.
 */

export type SipParseErrorCode =
  | 'empty'
  | 'too_large'
  | 'not_text'
  | 'bad_status_line'
  | 'bad_header'
  | 'too_many_headers'
  | 'missing_header'
  | 'bad_cseq'
  | 'bad_content_length'
  | 'truncated';

export class SipParseError extends Error {
  readonly code: SipParseErrorCode;
  constructor(code: SipParseErrorCode, message: string) {
    super(message);
    this.name = 'SipParseError';
    this.code = code;
  }
}

export interface SipResponse {
  status: number;
  reason: string;
  /** Lower-case full header names -> values in order of appearance (comma lists split). */
  headers: Map<string, string[]>;
  body: string;
}

/** RFC 3261 §7.3.3 and later RFCs' compact forms. */
export const COMPACT_HEADER_NAMES: Readonly<Record<string, string>> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

/** Headers whose value is a comma-separated list that may be split over lines (§7.3.1). */
const LIST_HEADERS = new Set([
  'via',
  'contact',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'route',
  'record-route',
]);
const REQUIRED = ['via', 'call-id', 'cseq', 'from', 'to'] as const;

export const MAX_SIP_MESSAGE_BYTES = 65_535; // the largest UDP datagram; TCP framing uses the same cap
const MAX_HEADERS = 200;
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const decoder = new TextDecoder('utf-8', { fatal: true });

export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT_HEADER_NAMES[lower] ?? lower;
}

/** Index just past the blank line that ends the header section, or -1 when it has not arrived. */
export function findHeaderEnd(text: string): { headerEnd: number; bodyStart: number } | null {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return null;
  return { headerEnd: m.index, bodyStart: m.index + m[0].length };
}

/** Parse one complete response (a UDP datagram, or a message already framed from a TCP stream). */
export function parseSipResponse(input: Uint8Array | string, maxBytes = MAX_SIP_MESSAGE_BYTES): SipResponse {
  const { start, headers, body } = parseSipMessage(input, maxBytes, parseStatusLine);
  return { status: start.status, reason: start.reason, headers, body };
}

export interface SipRequest {
  method: string;
  uri: string;
  headers: Map<string, string[]>;
  body: string;
}

/** Parse one complete request (the test-call probe hears BYE and re-sent INVITE answers from the far end). */
export function parseSipRequest(input: Uint8Array | string, maxBytes = MAX_SIP_MESSAGE_BYTES): SipRequest {
  const { start, headers, body } = parseSipMessage(input, maxBytes, parseRequestLine);
  return { method: start.method, uri: start.uri, headers, body };
}

function parseRequestLine(line: string): { method: string; uri: string } {
  const m = /^([A-Za-z]{1,20})[ \t]+(\S{1,1024})[ \t]+SIP\/2\.0[ \t]*$/.exec(line);
  if (!m)
    throw new SipParseError('bad_status_line', `not a SIP/2.0 request line: ${JSON.stringify(line.slice(0, 80))}`);
  return { method: m[1]!.toUpperCase(), uri: m[2]! };
}

/** True when a datagram starts like a request rather than a response (cheap, before parsing). */
export function looksLikeRequest(input: Uint8Array | string): boolean {
  const text = typeof input === 'string' ? input.slice(0, 8) : Buffer.from(input.subarray(0, 8)).toString('latin1');
  return !text.replace(/^[\r\n]+/, '').startsWith('SIP/');
}

function parseSipMessage<T>(
  input: Uint8Array | string,
  maxBytes: number,
  parseStart: (line: string) => T,
): { start: T; headers: Map<string, string[]>; body: string } {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size === 0) throw new SipParseError('empty', 'empty message');
  if (size > maxBytes) throw new SipParseError('too_large', `message of ${size} bytes exceeds ${maxBytes}`);
  let text: string;
  try {
    text = typeof input === 'string' ? input : decoder.decode(input);
  } catch {
    throw new SipParseError('not_text', 'message is not UTF-8 text');
  }
  // Keep-alive CRLFs may precede a message on a stream (RFC 5626 §3.5.1).
  text = text.replace(/^(\r?\n)+/, '');
  if (text.length === 0) throw new SipParseError('empty', 'message has only blank lines');
  const bounds = findHeaderEnd(text);
  if (!bounds) throw new SipParseError('truncated', 'no blank line after the headers');
  const head = text.slice(0, bounds.headerEnd);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(head))
    throw new SipParseError('not_text', 'control characters in the headers');
  const lines = head.split(/\r?\n/);
  const start = parseStart(lines[0] ?? '');
  const headers = parseHeaders(lines.slice(1));
  for (const name of REQUIRED) {
    if (!headers.get(name)?.length) throw new SipParseError('missing_header', `missing ${name} header`);
  }
  parseCSeq(headers.get('cseq')![0]!);
  const body = readBody(text.slice(bounds.bodyStart), headers);
  return { start, headers, body };
}

function parseStatusLine(line: string): { status: number; reason: string } {
  const m = /^SIP\/2\.0[ \t]+([1-6]\d\d)(?:[ \t]+(.*))?[ \t]*$/.exec(line);
  if (!m) throw new SipParseError('bad_status_line', `not a SIP/2.0 status line: ${JSON.stringify(line.slice(0, 80))}`);
  return { status: Number(m[1]), reason: (m[2] ?? '').trim() };
}

function parseHeaders(lines: readonly string[]): Map<string, string[]> {
  // Unfold first: a line starting with space or tab continues the previous header.
  const unfolded: string[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (unfolded.length === 0) throw new SipParseError('bad_header', 'continuation line before any header');
      unfolded[unfolded.length - 1] += ' ' + line.trim();
    } else {
      unfolded.push(line);
    }
  }
  if (unfolded.length > MAX_HEADERS) throw new SipParseError('too_many_headers', `more than ${MAX_HEADERS} headers`);
  const headers = new Map<string, string[]>();
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new SipParseError('bad_header', `header without a name: ${JSON.stringify(line.slice(0, 80))}`);
    const rawName = line.slice(0, colon).trimEnd();
    if (!TOKEN.test(rawName))
      throw new SipParseError('bad_header', `bad header name: ${JSON.stringify(rawName.slice(0, 80))}`);
    const name = canonicalHeaderName(rawName);
    const value = line.slice(colon + 1).trim();
    const values = LIST_HEADERS.has(name) ? splitList(value) : [value];
    const existing = headers.get(name);
    if (existing) existing.push(...values);
    else headers.set(name, values);
  }
  return headers;
}

/** Split a header list on commas that are not inside quotes or angle brackets. */
export function splitList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

export function parseCSeq(value: string): { seq: number; method: string } {
  const m = /^(\d{1,10})[ \t]+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(value.trim());
  if (!m) throw new SipParseError('bad_cseq', `bad CSeq: ${JSON.stringify(value.slice(0, 80))}`);
  const seq = Number(m[1]);
  if (seq > 2 ** 31 - 1) throw new SipParseError('bad_cseq', 'CSeq number out of range');
  return { seq, method: m[2]!.toUpperCase() };
}

function readBody(rest: string, headers: Map<string, string[]>): string {
  const values = headers.get('content-length');
  if (!values) return rest;
  const length = contentLength(values);
  const bytes = Buffer.from(rest);
  if (bytes.length < length) throw new SipParseError('truncated', `body has ${bytes.length} of ${length} bytes`);
  return bytes.subarray(0, length).toString('utf8');
}

export function contentLength(values: readonly string[]): number {
  const distinct = new Set(values.map((v) => v.trim()));
  if (distinct.size !== 1) throw new SipParseError('bad_content_length', 'conflicting Content-Length headers');
  const text = [...distinct][0]!;
  if (!/^\d{1,7}$/.test(text))
    throw new SipParseError('bad_content_length', `bad Content-Length: ${JSON.stringify(text.slice(0, 20))}`);
  return Number(text);
}

/** Top Via's `branch` parameter. */
export function topViaBranch(response: SipResponse): string | null {
  const via = response.headers.get('via')?.[0] ?? '';
  const m = /;\s*branch\s*=\s*([^;\s,]+)/i.exec(via);
  return m ? m[1]! : null;
}
