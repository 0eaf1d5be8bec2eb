/**
 * The tracker faces a network, under real host names, so it cannot pin the Host header the
 * way the loopback browser host does. What keeps a foreign or rebound page out: consoles
 * and scripts send a bearer token on every request; people at HQ carry a session cookie
 * that is HttpOnly and SameSite=Strict, set only by signing in, and every unsafe request
 * of a cookie session must echo the session's CSRF token and come from the tracker's own
 * Origin; no CORS grant lets another origin read an answer. These tests hold it to that,
 * and to its body limit for clients that never announce a length.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUSH_MAX_BYTES } from '../../src-shared/sync-wire.ts';
import { hashSecret } from '../../src-tracker/auth/tokens.ts';
import { openTrackerDb, type TrackerDb } from '../../src-tracker/db/database.ts';
import { buildTracker } from '../../src-tracker/server.ts';
import { rawExchange, rawGet } from './raw-http.ts';
import { credentialHeaders, hqSignIn, type Credential, type HqCredential } from '../integration/tracker/http-client.ts';

const FOREIGN = 'http://evil.example';
const adminToken = `gla_${randomBytes(32).toString('base64url')}`;

let dir: string;
let store: TrackerDb;
let app: FastifyInstance;
let port: number;
let deviceToken: string;
/** An HQ admin's session (the admin token only creates that account). */
let hq: HqCredential;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-tracker-origin-'));
  store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
  app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken) });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(base).port);
  hq = await hqSignIn(base, adminToken);
  const code = await request('POST', '/v1/admin/enrolment-codes', { facility: 'Origintest', ttlMinutes: 5 }, hq);
  const enrolled = await request('POST', '/v1/enroll', { code: code.json.code, deviceId: 'ws-origin', label: 'x' });
  deviceToken = enrolled.json.deviceToken as string;
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function request(
  method: string,
  path: string,
  body?: unknown,
  token?: Credential,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...credentialHeaders(token),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json: any = text.startsWith('{') ? JSON.parse(text) : null;
  return { status: response.status, headers: response.headers, text, json };
}

const corsHeaders = (headers: Headers) => [...headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('tracker against foreign origins and rebound names', () => {
  it('grants no cross-origin preflight for the HQ or console API, so a foreign page cannot send a token', async () => {
    for (const path of ['/v1/hq/incidents', '/v1/events', '/v1/admin/enrolment-codes']) {
      const preflight = await request('OPTIONS', path, undefined, undefined, {
        origin: FOREIGN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      });
      expect(preflight.status, path).toBeGreaterThanOrEqual(400);
      expect(corsHeaders(preflight.headers), path).toEqual([]);
    }
  });

  it('lets no foreign origin read an HQ answer, even one sent with an HQ session', async () => {
    const answer = await request('GET', '/v1/hq/incidents', undefined, hq, { origin: FOREIGN });
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer.headers)).toEqual([]);
  });

  it('sets no cookie except on HQ sign-in, so there is no ambient credential to ride on before it', async () => {
    const answers = await Promise.all([
      request('GET', '/hq'),
      request('GET', '/v1/hq/session'),
      request('GET', '/v1/hq/facilities', undefined, hq),
      request('GET', '/v1/events?after=0&limit=1', undefined, deviceToken),
      request('GET', '/v1/health'),
    ]);
    for (const answer of answers) expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it('serves a rebound name only the empty HQ page, which holds no token and no data', async () => {
    const page = await rawGet(port, '/hq', `evil.example:${port}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(adminToken);
    expect(page.body).not.toContain('Origintest');
    const data = await rawGet(port, '/v1/hq/facilities', `evil.example:${port}`);
    expect(data.status).toBe(401);
    expect(data.body).not.toContain('Origintest');
  });

  it('cannot be framed by another site, and sends nothing to other sites as a referrer', async () => {
    for (const path of ['/hq', '/hq/index.html']) {
      const answer = await request('GET', path, undefined, undefined, { origin: FOREIGN });
      expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('tracker body limit', () => {
  const chunked = (path: string, token: string | null, bytes: number) => {
    const head =
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
      (token ? `Authorization: Bearer ${token}\r\n` : '') +
      'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const parts: Buffer[] = [Buffer.from(head), Buffer.from('1\r\n{\r\n')];
    for (let sent = 0; sent < bytes; sent += chunk.length) {
      parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    return rawExchange(port, Buffer.concat(parts));
  };

  it('cuts a chunked push without a length at the limit with 413, and keeps answering', async () => {
    const response = await chunked('/v1/events', deviceToken, 4 * PUSH_MAX_BYTES);
    expect(response.status).toBe(413);
    expect((await request('GET', '/v1/health')).status).toBe(200);
  });

  it('cuts an oversized body from a client with no token at all just the same', async () => {
    const response = await chunked('/v1/enroll', null, 4 * PUSH_MAX_BYTES);
    expect(response.status).toBe(413);
    expect((await request('GET', '/v1/health')).status).toBe(200);
  });
});
