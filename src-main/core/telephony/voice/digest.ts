/**
 * SIP digest authentication (RFC 3261 §22, RFC 7616 hashing, RFC 8760 algorithms).
 *
 * The probe answers one challenge per request: it picks the first `WWW-Authenticate`
 * / `Proxy-Authenticate` value whose algorithm it supports (RFC 8760 §2.4: the server
 * lists them in order of preference), computes the response for `qop=auth` (or the
 * RFC 2069 form without qop), and never sends a password, only its hash.
 */
import { createHash, randomBytes } from 'node:crypto';

export const DIGEST_ALGORITHMS = [
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
  'SHA-512-256-sess',
] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

export interface DigestChallenge {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  opaque: string | null;
  /** `auth` when offered; `auth-int` alone is not supported (the probe never needs body integrity). */
  qop: 'auth' | null;
  stale: boolean;
}

export class DigestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DigestError';
  }
}

/** `Digest realm="x", nonce="y", qop="auth,auth-int"` -> parameter map (names lower-case). */
export function parseAuthParams(value: string): { scheme: string; params: Map<string, string> } {
  const m = /^\s*([A-Za-z][A-Za-z0-9-]*)\s+(.*)$/s.exec(value);
  if (!m) throw new DigestError(`not an authentication challenge: ${JSON.stringify(value.slice(0, 80))}`);
  const params = new Map<string, string>();
  const re = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))\s*(?:,|$)/gy;
  const rest = m[2]!;
  re.lastIndex = 0;
  while (re.lastIndex < rest.length) {
    const start = re.lastIndex;
    const p = re.exec(rest);
    if (!p) throw new DigestError(`bad challenge parameter at ${JSON.stringify(rest.slice(start, start + 40))}`);
    const v = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
    params.set(p[1]!.toLowerCase(), v);
    if (re.lastIndex === start) break;
  }
  return { scheme: m[1]!, params };
}

function toAlgorithm(name: string | undefined): DigestAlgorithm | null {
  if (name === undefined) return 'MD5'; // RFC 3261 §22.4: absent means MD5
  return DIGEST_ALGORITHMS.find((a) => a.toLowerCase() === name.toLowerCase()) ?? null;
}

/** One challenge header value, or null when its scheme or algorithm is not one we can answer. */
export function parseChallenge(value: string): DigestChallenge | null {
  const { scheme, params } = parseAuthParams(value);
  if (scheme.toLowerCase() !== 'digest') return null;
  const algorithm = toAlgorithm(params.get('algorithm'));
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (!algorithm) return null;
  if (realm === undefined || nonce === undefined) throw new DigestError('challenge without realm or nonce');
  const qops = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  if (params.has('qop') && !qops.includes('auth')) return null;
  return {
    realm,
    nonce,
    algorithm,
    opaque: params.get('opaque') ?? null,
    qop: qops.includes('auth') ? 'auth' : null,
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
}

/** The first challenge among the header values that we support (RFC 8760 §2.4). */
export function pickChallenge(values: readonly string[]): DigestChallenge | null {
  for (const v of values) {
    const c = parseChallenge(v);
    if (c) return c;
  }
  return null;
}

function hashName(algorithm: DigestAlgorithm): string {
  if (algorithm.startsWith('SHA-512-256')) return 'sha512-256';
  if (algorithm.startsWith('SHA-256')) return 'sha256';
  return 'md5';
}

export interface DigestInput {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  uri: string;
  /** Nonce count for this nonce (1 for the first use). */
  nc?: number;
  cnonce?: string;
}

/** Value for an `Authorization` / `Proxy-Authorization` header answering `challenge`. */
export function digestAuthorization(input: DigestInput): string {
  const { challenge: c, username, password, method, uri } = input;
  const h = (s: string) => createHash(hashName(c.algorithm)).update(s, 'utf8').digest('hex');
  const cnonce = input.cnonce ?? randomBytes(8).toString('hex');
  const nc = (input.nc ?? 1).toString(16).padStart(8, '0');
  let ha1 = h(`${username}:${c.realm}:${password}`);
  if (c.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${c.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const response = c.qop ? h(`${ha1}:${c.nonce}:${nc}:${cnonce}:${c.qop}:${ha2}`) : h(`${ha1}:${c.nonce}:${ha2}`);
  const q = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const parts = [
    `username=${q(username)}`,
    `realm=${q(c.realm)}`,
    `nonce=${q(c.nonce)}`,
    `uri=${q(uri)}`,
    `response=${q(response)}`,
    `algorithm=${c.algorithm}`,
  ];
  if (c.qop) parts.push(`qop=${c.qop}`, `nc=${nc}`, `cnonce=${q(cnonce)}`);
  if (c.opaque !== null) parts.push(`opaque=${q(c.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}
