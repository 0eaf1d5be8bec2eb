import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SipParseError,
  parseSipResponse,
  topViaBranch,
  type SipParseErrorCode,
} from '../../../src-main/core/telephony/sip-parser.ts';

const OK = [
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP 127.0.0.1:5070;rport=5070;branch=z9hG4bKabc;received=127.0.0.1',
  'From: "Guardline" <sip:guardline@127.0.0.1:5070>;tag=1234',
  'To: <sip:127.0.0.1:5060>;tag=srv',
  'Call-ID: call-1@guardline',
  'CSeq: 1 OPTIONS',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function parseError(input: string | Uint8Array): SipParseErrorCode {
  try {
    parseSipResponse(input);
  } catch (error) {
    if (error instanceof SipParseError) return error.code;
    throw error;
  }
  throw new Error('parsed although it should not');
}

describe('SIP response parser', () => {
  it('reads status, reason and the headers needed to match a response', () => {
    const r = parseSipResponse(OK);
    expect(r.status).toBe(200);
    expect(r.reason).toBe('OK');
    expect(r.headers.get('call-id')).toEqual(['call-1@guardline']);
    expect(topViaBranch(r)).toBe('z9hG4bKabc');
    expect(r.body).toBe('');
  });

  it('accepts LF-only line ends', () => {
    const r = parseSipResponse(OK.replaceAll('\r\n', '\n'));
    expect(r.status).toBe(200);
    expect(r.headers.get('cseq')).toEqual(['1 OPTIONS']);
  });

  it('unfolds headers continued on the next line', () => {
    const folded = OK.replace('To: <sip:127.0.0.1:5060>;tag=srv', 'To: <sip:127.0.0.1:5060>\r\n   ;tag=srv');
    expect(parseSipResponse(folded).headers.get('to')).toEqual(['<sip:127.0.0.1:5060> ;tag=srv']);
  });

  it('expands compact header names', () => {
    const compact = [
      'SIP/2.0 404 Not Found',
      'v: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bKxyz',
      'f: <sip:a@b>;tag=1',
      't: <sip:c@d>',
      'i: compact@guardline',
      'CSeq: 7 OPTIONS',
      'l: 0',
      '',
      '',
    ].join('\r\n');
    const r = parseSipResponse(compact);
    expect(r.status).toBe(404);
    expect(r.headers.get('call-id')).toEqual(['compact@guardline']);
    expect(topViaBranch(r)).toBe('z9hG4bKxyz');
    expect(r.headers.get('content-length')).toEqual(['0']);
  });

  it('keeps several Via headers in order, whether on one line or many', () => {
    const many = OK.replace(
      'Via: SIP/2.0/UDP 127.0.0.1:5070;rport=5070;branch=z9hG4bKabc;received=127.0.0.1',
      'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKtop, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKsecond\r\nVIA: SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKthird',
    );
    const r = parseSipResponse(many);
    expect(r.headers.get('via')).toHaveLength(3);
    expect(topViaBranch(r)).toBe('z9hG4bKtop');
  });

  it('accepts an empty reason phrase and a body framed by Content-Length', () => {
    const withBody =
      OK.replace('SIP/2.0 200 OK', 'SIP/2.0 200').replace('Content-Length: 0', 'Content-Length: 5') + 'hello-extra';
    const r = parseSipResponse(withBody);
    expect(r.reason).toBe('');
    expect(r.body).toBe('hello');
  });

  it('rejects a bad status line', () => {
    expect(parseError(OK.replace('SIP/2.0 200 OK', 'HTTP/1.1 200 OK'))).toBe('bad_status_line');
    expect(parseError(OK.replace('SIP/2.0 200 OK', 'SIP/2.0 2000 OK'))).toBe('bad_status_line');
    expect(parseError(OK.replace('SIP/2.0 200 OK', 'OPTIONS sip:x SIP/2.0'))).toBe('bad_status_line');
  });

  it('rejects a message cut off before the blank line or inside the body', () => {
    expect(parseError(OK.slice(0, OK.indexOf('CSeq')))).toBe('truncated');
    expect(parseError(OK.replace('Content-Length: 0', 'Content-Length: 50') + 'short')).toBe('truncated');
  });

  it('rejects an oversized message', () => {
    const huge = OK.replace('Content-Length: 0', `X-Padding: ${'a'.repeat(70_000)}\r\nContent-Length: 0`);
    expect(parseError(huge)).toBe('too_large');
  });

  it('rejects responses missing the headers that identify the transaction', () => {
    expect(parseError(OK.replace(/Call-ID: [^\r]*\r\n/, ''))).toBe('missing_header');
    expect(parseError(OK.replace('CSeq: 1 OPTIONS', 'CSeq: one OPTIONS'))).toBe('bad_cseq');
  });

  it('rejects binary garbage, empty input and malformed headers', () => {
    expect(parseError(new Uint8Array([0xff, 0xfe, 0x00, 0x01]))).toBe('not_text');
    expect(parseError('')).toBe('empty');
    expect(parseError(OK.replace('Max-Forwards', '').replace('CSeq: 1 OPTIONS', 'CSeq 1 OPTIONS'))).toBe('bad_header');
    expect(parseError(OK.replace('Content-Length: 0', 'Content-Length: -1'))).toBe('bad_content_length');
  });
});

const tokenArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.\-_]{0,15}$/);
const headerValueArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .;=<>@:/_-]{0,40}[A-Za-z0-9>]$/);
const responseArb = fc.record({
  status: fc.integer({ min: 100, max: 699 }),
  reason: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}[A-Za-z]$/),
  callId: tokenArb,
  branch: tokenArb.map((t) => `z9hG4bK${t}`),
  cseq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  extra: fc.array(
    fc.tuple(
      tokenArb.map((t) => `X-${t}`),
      headerValueArb,
    ),
    { maxLength: 8 },
  ),
  body: fc.stringMatching(/^[ -~]{0,60}$/),
  lf: fc.boolean(),
});

describe('SIP response parser under fuzzing', () => {
  it('round-trips generated valid responses', () => {
    fc.assert(
      fc.property(responseArb, (g) => {
        const eol = g.lf ? '\n' : '\r\n';
        const lines = [
          `SIP/2.0 ${g.status} ${g.reason}`,
          `Via: SIP/2.0/UDP 127.0.0.1:5070;branch=${g.branch}`,
          'From: <sip:a@127.0.0.1>;tag=1',
          'To: <sip:b@127.0.0.1>',
          `Call-ID: ${g.callId}`,
          `CSeq: ${g.cseq} OPTIONS`,
          ...g.extra.map(([n, v]) => `${n}: ${v}`),
          `Content-Length: ${Buffer.byteLength(g.body)}`,
        ];
        const r = parseSipResponse(lines.join(eol) + eol + eol + g.body);
        expect(r.status).toBe(g.status);
        expect(r.reason).toBe(g.reason);
        expect(r.headers.get('call-id')).toEqual([g.callId]);
        expect(topViaBranch(r)).toBe(g.branch);
        expect(r.body).toBe(g.body);
        for (const [n, v] of g.extra) expect(r.headers.get(n.toLowerCase())).toContain(v);
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but SipParseError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        try {
          parseSipResponse(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(SipParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('throws nothing but SipParseError on mutated valid responses', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        let text = OK;
        for (const m of mutations) {
          const at = m.at % (text.length + 1);
          if (m.kind === 'cut') text = text.slice(0, at);
          else if (m.kind === 'flip') text = text.slice(0, at) + m.char + text.slice(at + 1);
          else text = text.slice(0, at) + text.slice(at, at + m.len) + text.slice(at);
        }
        try {
          const r = parseSipResponse(text);
          expect(r.status).toBeGreaterThanOrEqual(100);
        } catch (error) {
          expect(error).toBeInstanceOf(SipParseError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
