/**
 * HQ accounts over real HTTP (issue 15): the admin token creates the first HQ admin
 * once; people sign in by name and password into an HttpOnly, SameSite=Strict cookie;
 * unsafe requests need the session's CSRF token and the tracker's own Origin; roles
 * limit what a viewer may change; wrong passwords lock the account and are logged
 * without the password; sign-out and expiry end the session.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HQ_CSRF_HEADER } from '../../../src-shared/hq-wire.ts';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { LOCKOUT_MS, MAX_FAILED_LOGINS, SESSION_MS } from '../../../src-tracker/hq/accounts.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { testKey } from '../../support/device-keys.ts';

const adminToken = `gla_${randomBytes(32).toString('base64url')}`;
const ADMIN = { name: 'Karin Lund', password: 'nattskift-2026-HQ' };
const VIEWER = { name: 'Olle Berg', password: 'bara-titta-2026' };

let dir: string;
let store: TrackerDb;
let app: FastifyInstance;
let base: string;
let now = Date.UTC(2026, 11, 5, 3, 0);
const logLines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-hq-accounts-'));
  store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildTracker({
    db: store,
    adminTokenHash: hashSecret(adminToken),
    logger: pino({ level: 'info' }, sink),
    clock: () => now,
    limits: { rateLimit: null },
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null } as Answer;
}

async function signIn(account: { name: string; password: string }) {
  const answer = await call('POST', '/v1/hq/login', account);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const cookie = answer.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, csrf: answer.body.csrfToken as string, setCookie: answer.headers.get('set-cookie')! };
}

describe('HQ accounts and sessions', () => {
  it('lets the admin token create the first HQ admin once, and nothing else signs anyone in', async () => {
    expect((await call('GET', '/v1/hq/session')).body).toEqual({ signedIn: false, setupNeeded: true });
    const noToken = await call('POST', '/v1/hq/setup', ADMIN);
    expect(noToken.status).toBe(401);
    expect(noToken.body.field).toBe('token');
    const short = await call(
      'POST',
      '/v1/hq/setup',
      { ...ADMIN, password: 'kort' },
      { authorization: `Bearer ${adminToken}` },
    );
    expect(short).toMatchObject({ status: 400, body: { field: 'password' } });
    const made = await call('POST', '/v1/hq/setup', ADMIN, { authorization: `Bearer ${adminToken}` });
    expect(made.status).toBe(201);
    expect(made.body.account).toMatchObject({ name: ADMIN.name, role: 'admin' });
    expect(made.headers.get('set-cookie')).toBeNull();
    const again = await call(
      'POST',
      '/v1/hq/setup',
      { name: 'Mallory', password: 'ett-annat-lösenord' },
      {
        authorization: `Bearer ${adminToken}`,
      },
    );
    expect(again.status).toBe(409);
    expect((await call('GET', '/v1/hq/session')).body).toEqual({ signedIn: false, setupNeeded: false });
    // Its only use: on every other HQ route the admin token is refused, reads included.
    const bearer = { authorization: `Bearer ${adminToken}` };
    const read = await call('GET', '/v1/hq/overview', undefined, bearer);
    expect(read).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(read.body.message).toContain('only creates the first HQ admin');
    const write = await call('POST', '/v1/admin/enrolment-codes', { facility: 'Anstalt A' }, bearer);
    expect(write.status).toBe(403);
  });

  it('signs in into an HttpOnly SameSite=Strict cookie; the session answers who and the CSRF token', async () => {
    const { cookie, csrf, setCookie } = await signIn({ name: 'karin lund', password: ADMIN.password });
    expect(setCookie).toMatch(/^guardline_hq=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const session = await call('GET', '/v1/hq/session', undefined, { cookie });
    expect(session.body).toMatchObject({
      signedIn: true,
      account: { name: ADMIN.name, role: 'admin' },
      csrfToken: csrf,
    });
    expect((await call('GET', '/v1/hq/overview', undefined, { cookie })).status).toBe(200);
    expect((await call('GET', '/v1/hq/overview')).status).toBe(401);
  });

  it('refuses unsafe requests without the CSRF token, with a wrong one, or from a foreign Origin', async () => {
    const { cookie, csrf } = await signIn(ADMIN);
    const code = { facility: 'Anstalt A', ttlMinutes: 5 };
    const missing = await call('POST', '/v1/admin/enrolment-codes', code, { cookie });
    expect(missing).toMatchObject({ status: 403, body: { code: 'forbidden', field: HQ_CSRF_HEADER } });
    const wrong = await call('POST', '/v1/admin/enrolment-codes', code, { cookie, [HQ_CSRF_HEADER]: 'a'.repeat(64) });
    expect(wrong.status).toBe(403);
    const foreign = await call('POST', '/v1/admin/enrolment-codes', code, {
      cookie,
      [HQ_CSRF_HEADER]: csrf,
      origin: 'http://evil.example',
    });
    expect(foreign).toMatchObject({ status: 403, body: { field: 'origin' } });
    // Another session's token does not fit this session.
    const other = await signIn(ADMIN);
    expect(
      (await call('POST', '/v1/admin/enrolment-codes', code, { cookie, [HQ_CSRF_HEADER]: other.csrf })).status,
    ).toBe(403);
    const ok = await call('POST', '/v1/admin/enrolment-codes', code, {
      cookie,
      [HQ_CSRF_HEADER]: csrf,
      origin: base,
    });
    expect(ok.status).toBe(201);
  });

  it('lets an admin create a viewer, who may read but not change anything', async () => {
    const admin = await signIn(ADMIN);
    const created = await call(
      'POST',
      '/v1/hq/accounts',
      { ...VIEWER, role: 'viewer' },
      {
        cookie: admin.cookie,
        [HQ_CSRF_HEADER]: admin.csrf,
      },
    );
    expect(created.status).toBe(201);
    const duplicate = await call(
      'POST',
      '/v1/hq/accounts',
      { ...VIEWER, name: 'OLLE BERG', role: 'admin' },
      {
        cookie: admin.cookie,
        [HQ_CSRF_HEADER]: admin.csrf,
      },
    );
    expect(duplicate).toMatchObject({ status: 409, body: { field: 'name' } });
    const viewer = await signIn(VIEWER);
    expect((await call('GET', '/v1/hq/incidents', undefined, { cookie: viewer.cookie })).status).toBe(200);
    const refused = await call(
      'POST',
      '/v1/admin/enrolment-codes',
      { facility: 'Anstalt A' },
      {
        cookie: viewer.cookie,
        [HQ_CSRF_HEADER]: viewer.csrf,
      },
    );
    expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await call('GET', '/v1/hq/accounts', undefined, { cookie: viewer.cookie })).status).toBe(403);
  });

  it('locks an account after five wrong passwords, logs each without the password, and opens after the lockout', async () => {
    const wrong = { name: VIEWER.name, password: 'gissning-nummer-x' };
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
      expect((await call('POST', '/v1/hq/login', wrong)).body).toMatchObject({
        code: 'unauthenticated',
        field: 'password',
      });
    }
    const locking = await call('POST', '/v1/hq/login', wrong);
    expect(locking).toMatchObject({ status: 403, body: { code: 'forbidden', field: 'password' } });
    // Even the right password is refused while locked.
    expect((await call('POST', '/v1/hq/login', VIEWER)).status).toBe(403);
    const failures = logLines.filter((l) => l.includes('HQ sign-in'));
    expect(failures.filter((l) => l.includes('wrong name or password'))).toHaveLength(MAX_FAILED_LOGINS - 1);
    expect(failures.some((l) => l.includes('account locked') && l.includes(VIEWER.name))).toBe(true);
    expect(logLines.join('\n')).not.toContain(wrong.password);
    expect(logLines.join('\n')).not.toContain(VIEWER.password);

    now += LOCKOUT_MS + 1;
    await signIn(VIEWER);
    // An unknown name is answered exactly like a wrong password.
    expect((await call('POST', '/v1/hq/login', { name: 'Ingen Alls', password: 'x' })).body).toMatchObject({
      code: 'unauthenticated',
      field: 'password',
    });
  });

  it('ends a session on sign-out and when it expires', async () => {
    const a = await signIn(ADMIN);
    const out = await call('POST', '/v1/hq/logout', {}, { cookie: a.cookie, [HQ_CSRF_HEADER]: a.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^guardline_hq=; .*Max-Age=0/);
    expect((await call('GET', '/v1/hq/overview', undefined, { cookie: a.cookie })).status).toBe(401);

    const b = await signIn(ADMIN);
    now += SESSION_MS;
    expect((await call('GET', '/v1/hq/overview', undefined, { cookie: b.cookie })).status).toBe(401);
    expect((await call('GET', '/v1/hq/session', undefined, { cookie: b.cookie })).body.signedIn).toBe(false);
  });

  it('refuses device tokens on the HQ API and a revoked device token everywhere', async () => {
    const session = await signIn(ADMIN);
    const admin = { cookie: session.cookie, 'x-guardline-csrf': session.csrf };
    const code = await call('POST', '/v1/admin/enrolment-codes', { facility: 'Anstalt A' }, admin);
    const enrolled = await call('POST', '/v1/enroll', {
      code: code.body.code,
      deviceId: 'ws-1',
      label: 'Vakt A',
      publicKey: testKey('ws-1').publicKey,
    });
    const device = { authorization: `Bearer ${enrolled.body.deviceToken}` };
    expect((await call('GET', '/v1/hq/overview', undefined, device)).status).toBe(403);
    expect((await call('GET', '/v1/events?after=0&limit=1', undefined, device)).status).toBe(200);
    const devices = await call('GET', '/v1/hq/devices', undefined, admin);
    const id = devices.body.devices.find((d: { deviceId: string }) => d.deviceId === 'ws-1').id as string;
    expect((await call('POST', `/v1/admin/devices/${id}/revoke`, {}, admin)).status).toBe(204);
    const after = await call('GET', '/v1/events?after=0&limit=1', undefined, device);
    expect(after).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    expect((await call('GET', '/v1/stream', undefined, device)).status).toBe(401);
  });
});
