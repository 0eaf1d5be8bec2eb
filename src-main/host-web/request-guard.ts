/**
 * Who may talk to the browser host. Pure checks on request headers, kept apart from the
 * server so every rule is unit-tested:
 * - Host must name the loopback listener: a page on a rebound DNS name (evil.example ->
 *   127.0.0.1) sends its own name as Host, so it is refused before anything is served.
 * - Origin must be the host's own page, so another local page cannot open the API socket.
 * - The per-run token must ride in the WebSocket subprotocol list; it is compared in
 *   constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/transport.ts';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'] as const;

export function allowedHostHeaders(port: number): string[] {
  return LOOPBACK_NAMES.map((name) => `${name}:${port}`);
}

export function allowedOrigins(port: number): string[] {
  return LOOPBACK_NAMES.map((name) => `http://${name}:${port}`);
}

export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (hostHeader === undefined) return false;
  return allowedHostHeaders(port).includes(hostHeader.toLowerCase());
}

export function isAllowedOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return false;
  return allowedOrigins(port).includes(originHeader.toLowerCase());
}

/** `Sec-WebSocket-Protocol: a, b` -> `['a', 'b']` (empty entries dropped). */
export function parseSubprotocols(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

export type HandshakeVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** The WebSocket handshake rule: own origin, the protocol name, and the run's token. */
export function checkApiHandshake(
  headers: { origin?: string | undefined; protocols: readonly string[] },
  port: number,
  token: string,
): HandshakeVerdict {
  if (!isAllowedOrigin(headers.origin, port)) return { ok: false, status: 403, reason: 'origin not allowed' };
  if (!headers.protocols.includes(WS_PROTOCOL)) return { ok: false, status: 401, reason: 'protocol missing' };
  const offered = headers.protocols.filter((p) => p.startsWith(WS_TOKEN_PREFIX));
  if (!offered.some((p) => tokenMatches(p.slice(WS_TOKEN_PREFIX.length), token))) {
    return { ok: false, status: 401, reason: 'token missing or wrong' };
  }
  return { ok: true };
}

export function tokenMatches(offered: string, token: string): boolean {
  const a = Buffer.from(offered, 'utf8');
  const b = Buffer.from(token, 'utf8');
  // The length is fixed and public (64 hex digits); only the content must not leak through timing.
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Headers on every HTTP response. The CSP allows only the host's own scripts and styles
 * and its own API socket; nothing may frame the console or submit forms elsewhere.
 */
export function securityHeaders(port: number): Record<string, string> {
  const sockets = LOOPBACK_NAMES.map((name) => `ws://${name}:${port}`).join(' ');
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      `connect-src 'self' ${sockets}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
