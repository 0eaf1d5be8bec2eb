import { describe, expect, it } from 'vitest';
import { buildOptionsRequest, matchesRequest } from '../../../src-main/core/telephony/sip-request.ts';
import { parseSipResponse } from '../../../src-main/core/telephony/sip-parser.ts';
import { outcomeForSipStatus } from '../../../src-main/core/telephony/sip-status.ts';

const params = {
  transport: 'udp',
  targetHost: '127.0.0.1',
  targetPort: 5060,
  localHost: '127.0.0.1',
  localPort: 40000,
} as const;

function answer(
  request: ReturnType<typeof buildOptionsRequest>,
  overrides: { callId?: string; branch?: string; cseq?: string } = {},
) {
  return parseSipResponse(
    [
      'SIP/2.0 200 OK',
      `Via: SIP/2.0/UDP 127.0.0.1:40000;rport=40000;branch=${overrides.branch ?? request.branch}`,
      `From: <sip:guardline@127.0.0.1:40000>;tag=${request.fromTag}`,
      'To: <sip:127.0.0.1:5060>;tag=x',
      `Call-ID: ${overrides.callId ?? request.callId}`,
      `CSeq: ${overrides.cseq ?? `${request.cseq} OPTIONS`}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
}

describe('OPTIONS request builder', () => {
  it('carries the headers RFC 3261 requires, with a magic-cookie branch and rport', () => {
    const r = buildOptionsRequest({ ...params, ruriUser: 'fault503' });
    const lines = r.text.split('\r\n');
    expect(lines[0]).toBe('OPTIONS sip:fault503@127.0.0.1:5060 SIP/2.0');
    expect(r.text).toContain(`Via: SIP/2.0/UDP 127.0.0.1:40000;rport;branch=${r.branch}`);
    expect(r.branch).toMatch(/^z9hG4bK[0-9a-f]{20}$/);
    expect(r.text).toContain('Max-Forwards: 70');
    expect(r.text).toMatch(/From: .*;tag=[0-9a-f]{12}\r\n/);
    expect(r.text).toContain('To: <sip:fault503@127.0.0.1:5060>');
    expect(r.text).toContain(`Call-ID: ${r.callId}`);
    expect(r.text).toContain('CSeq: 1 OPTIONS');
    expect(r.text.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });

  it('marks TCP in the Via and Request-URI and brackets IPv6 hosts', () => {
    const r = buildOptionsRequest({ ...params, transport: 'tcp', targetHost: '::1', localHost: '::1' });
    expect(r.text.startsWith('OPTIONS sip:[::1]:5060;transport=tcp SIP/2.0\r\n')).toBe(true);
    expect(r.text).toContain('Via: SIP/2.0/TCP [::1]:40000;rport;');
  });

  it('uses a fresh branch and Call-ID for every request', () => {
    const a = buildOptionsRequest(params);
    const b = buildOptionsRequest(params);
    expect(a.branch).not.toBe(b.branch);
    expect(a.callId).not.toBe(b.callId);
  });

  it('matches its own response and ignores ones with another Call-ID, branch or CSeq', () => {
    const r = buildOptionsRequest(params);
    expect(matchesRequest(answer(r), r)).toBe(true);
    expect(matchesRequest(answer(r, { callId: 'other@x' }), r)).toBe(false);
    expect(matchesRequest(answer(r, { branch: 'z9hG4bKother' }), r)).toBe(false);
    expect(matchesRequest(answer(r, { cseq: '2 OPTIONS' }), r)).toBe(false);
    expect(matchesRequest(answer(r, { cseq: '1 INVITE' }), r)).toBe(false);
  });
});

describe('SIP status mapping', () => {
  it.each([
    [200, 'up'],
    [302, 'up'],
    [404, 'up'],
    [405, 'up'],
    [486, 'up'],
    [408, 'down'],
    [480, 'down'],
    [500, 'down'],
    [503, 'down'],
    [603, 'down'],
  ] as const)('maps %i to %s', (status, outcome) => {
    expect(outcomeForSipStatus(status)).toBe(outcome);
  });

  it('treats provisional responses as not final', () => {
    expect(outcomeForSipStatus(100)).toBeNull();
    expect(outcomeForSipStatus(183)).toBeNull();
  });
});
