import { describe, expect, it } from 'vitest';
import {
  checkApiHandshake,
  isAllowedHost,
  isAllowedOrigin,
  parseSubprotocols,
  securityHeaders,
  tokenMatches,
} from '../../../src-main/host-web/request-guard.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../src-shared/transport.ts';

const port = 41234;
const token = 'ab'.repeat(32);
const ownOrigin = `http://127.0.0.1:${port}`;

describe('Host header check', () => {
  it('accepts 127.0.0.1 and localhost on the own port', () => {
    expect(isAllowedHost(`127.0.0.1:${port}`, port)).toBe(true);
    expect(isAllowedHost(`localhost:${port}`, port)).toBe(true);
    expect(isAllowedHost(`LOCALHOST:${port}`, port)).toBe(true);
  });

  it('refuses other names, other ports, a missing port and a missing header', () => {
    expect(isAllowedHost(`evil.example:${port}`, port)).toBe(false);
    expect(isAllowedHost(`127.0.0.1.evil.example:${port}`, port)).toBe(false);
    expect(isAllowedHost(`127.0.0.1:${port + 1}`, port)).toBe(false);
    expect(isAllowedHost('127.0.0.1', port)).toBe(false);
    expect(isAllowedHost(`[::1]:${port}`, port)).toBe(false);
    expect(isAllowedHost(undefined, port)).toBe(false);
  });
});

describe('Origin check', () => {
  it('accepts only the host its own page is served from', () => {
    expect(isAllowedOrigin(ownOrigin, port)).toBe(true);
    expect(isAllowedOrigin(`http://localhost:${port}`, port)).toBe(true);
    expect(isAllowedOrigin(`https://127.0.0.1:${port}`, port)).toBe(false);
    expect(isAllowedOrigin(`http://127.0.0.1:${port + 1}`, port)).toBe(false);
    expect(isAllowedOrigin('null', port)).toBe(false);
    expect(isAllowedOrigin(undefined, port)).toBe(false);
  });
});

describe('API handshake', () => {
  const protocols = [WS_PROTOCOL, WS_TOKEN_PREFIX + token];

  it('lets the own page in with the protocol name and the token', () => {
    expect(checkApiHandshake({ origin: ownOrigin, protocols }, port, token)).toEqual({ ok: true });
  });

  it('refuses a foreign origin with 403 even with the right token', () => {
    expect(checkApiHandshake({ origin: 'http://evil.example', protocols }, port, token)).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it('refuses a missing protocol name, a missing token or a wrong token with 401', () => {
    const refuse = (p: string[]) => checkApiHandshake({ origin: ownOrigin, protocols: p }, port, token);
    expect(refuse([WS_TOKEN_PREFIX + token])).toMatchObject({ ok: false, status: 401 });
    expect(refuse([WS_PROTOCOL])).toMatchObject({ ok: false, status: 401 });
    expect(refuse([WS_PROTOCOL, WS_TOKEN_PREFIX + 'cd'.repeat(32)])).toMatchObject({ ok: false, status: 401 });
    expect(refuse([WS_PROTOCOL, token])).toMatchObject({ ok: false, status: 401 });
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token.slice(2), token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
  });

  it('splits the subprotocol header on commas and drops empty entries', () => {
    expect(parseSubprotocols(` ${WS_PROTOCOL} ,, token.x `)).toEqual([WS_PROTOCOL, 'token.x']);
    expect(parseSubprotocols(undefined)).toEqual([]);
  });
});

describe('security headers', () => {
  it('limits connections to the own API socket and forbids framing, plugins and base changes', () => {
    const csp = securityHeaders(port)['Content-Security-Policy'];
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`);
    for (const part of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(part);
    }
    expect(csp).not.toContain('unsafe');
  });
});
