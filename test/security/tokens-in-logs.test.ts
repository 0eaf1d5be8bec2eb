/**
 * Secrets stay out of the logs. A real tracker (pino at trace level) and a real browser
 * host run a whole authenticated session: a console is enrolled with a one-time code,
 * signs in, logs and syncs incidents, and both sides see refused tokens and bad input.
 * Afterwards neither process's output holds the admin token, the device token or the
 * enrolment code, and the web host's token appears only in the one URL line it prints
 * for the person starting it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME } from '../../src-main/core/config/config-location.ts';
import type { SyncStatus } from '../../src-shared/sync.ts';
import { startWebHost, type RunningWebHost } from '../e2e/harness.ts';
import { startChildTracker, type ChildTracker } from '../integration/tracker/child-tracker.ts';
import { HQ_SCRIPT_ADMIN, hqSignIn, trackerClient, type HqCredential } from '../integration/tracker/http-client.ts';
import { incidentInput } from '../support/incidents.ts';
import { openApiSocket } from './api-socket.ts';
import { rawGet } from './raw-http.ts';

const FACILITY = 'Loggkontrollen';
const adminToken = `gla_${randomBytes(32).toString('base64url')}`;

let dir: string;
let tracker: ChildTracker | null = null;
let host: RunningWebHost | null = null;
let webToken: string;
let deviceToken: string;
let enrolmentCode: string;
let hq: HqCredential;
let trackerLog: string;
let hostLog: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-secrets-'));
  const dataDir = join(dir, 'console');
  const webRoot = join(dir, 'web');
  mkdirSync(dataDir);
  mkdirSync(webRoot);
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>stand-in</title>');
  // No phone lines: the only events are the session's own.
  writeFileSync(
    join(dataDir, CONFIG_FILE_NAME),
    JSON.stringify({
      facility: { id: 'logg', name: FACILITY },
      units: [{ id: 'u', name: 'Avdelning L' }],
      lines: [],
      // Required: without it the config is invalid, and an invalid config stops the console at start.
      reserveProcedure: 'Radio kanal 3',
    }),
  );

  tracker = await startChildTracker({
    args: ['--data', join(dir, 'tracker.sqlite')],
    env: { GUARDLINE_ADMIN_TOKEN: adminToken, LOG_LEVEL: 'trace' },
  });
  const api = trackerClient(tracker.url);
  // The admin token creates the first HQ admin (its only use); the session does the rest.
  hq = await hqSignIn(tracker.url, adminToken);
  const code = await api.post<{ code: string }>(
    '/v1/admin/enrolment-codes',
    { facility: FACILITY, ttlMinutes: 30 },
    hq,
  );
  expect(code.status).toBe(201);
  enrolmentCode = code.body.code;

  host = await startWebHost({ dataDir, env: { GUARDLINE_WEB_ROOT: webRoot, GUARDLINE_FACILITY: FACILITY } });
  webToken = new URL(host.url).hash.replace(/^#token=/, '');
  const port = Number(new URL(host.url).port);

  // The session, as a person at the console would have it.
  const socket = await openApiSocket(host.url);
  const admin = { staffNumber: 'L001', name: 'Lo Loggsson', pin: '135790' };
  expect((await socket.call('auth.bootstrapAdmin', admin)).ok).toBe(true);
  for (const title of ['Hot mot personal i korridor', 'Intagen skadad vid promenad']) {
    const created = await socket.call('incidents.create', incidentInput({ facility: FACILITY, title }));
    expect(created.ok, JSON.stringify(created)).toBe(true);
  }
  // Logged offline first, so the first 'nothing pending' after enrolment means they reached the tracker.
  const synced = socket.waitForPush(
    'sync.status',
    (s) => (s as SyncStatus).pending === 0 && !!(s as SyncStatus).lastSuccessAt,
  );
  const enrolled = await socket.call('sync.enroll', {
    trackerUrl: tracker.url,
    code: enrolmentCode,
    label: 'Vaktrum',
    adoptFacility: true,
  });
  expect(enrolled.ok, JSON.stringify(enrolled)).toBe(true);
  await synced;
  // Mistakes and refusals, which are what usually gets logged in detail.
  expect((await socket.call('incidents.get', { id: 'not-a-uuid' })).ok).toBe(false);
  expect((await socket.call('auth.signIn', { staffNumber: 'L001', pin: '000000' })).ok).toBe(false);
  expect((await rawGet(port, `/api?token=${webToken}`)).status).toBe(426);
  expect((await rawGet(port, '/', `rebound.example:${port}`)).status).toBe(421);
  socket.close();
  await host.stop();

  // The device token the console was given, from its own store.
  const db = new Database(join(dataDir, 'guardline.sqlite'), { readonly: true });
  deviceToken = (db.prepare("SELECT value FROM meta WHERE key = 'sync.device_token'").get() as { value: string }).value;
  db.close();

  // The tracker side of refusals: wrong tokens, the wrong kind of token, a reused code.
  const pulled = await api.get<{ events: { type: string }[] }>('/v1/events?after=0&limit=1000', deviceToken);
  expect(pulled.body.events.filter((e) => e.type === 'incident.created')).toHaveLength(2);
  expect((await api.get('/v1/hq/incidents', deviceToken)).status).toBe(403);
  expect((await api.get('/v1/hq/incidents', `${adminToken}x`)).status).toBe(401);
  expect((await api.get('/v1/hq/incidents', adminToken)).status).toBe(403);
  expect((await api.get('/v1/hq/incidents', hq)).status).toBe(200);
  expect((await api.post('/v1/events', { events: [] }, `${deviceToken}x`)).status).toBe(401);
  expect((await api.post('/v1/enroll', { code: enrolmentCode, deviceId: 'again', label: 'x' })).status).not.toBe(201);
  tracker.signal('SIGTERM');
  await tracker.exited;
  trackerLog = tracker.output();
  hostLog = host.output();
}, 120_000);

afterAll(async () => {
  await Promise.all([host?.stop(), tracker?.kill()]);
  rmSync(dir, { recursive: true, force: true });
});

const occurrences = (text: string, secret: string) => text.split(secret).length - 1;

describe('secrets in logs', () => {
  it('captured a verbose log of the session on both sides (so the checks below can fail)', () => {
    expect(trackerLog).toMatch(/"url":"\/v1\/events/);
    expect(trackerLog).toMatch(/"url":"\/v1\/hq\/incidents"/);
    expect(trackerLog).toMatch(/"statusCode":401/);
    expect(deviceToken).toMatch(/^gld_/);
    expect(hostLog).toContain('Guardline web host: http://127.0.0.1:');
  });

  it('never writes the admin token to the tracker log or the web host output', () => {
    expect(occurrences(trackerLog, adminToken)).toBe(0);
    expect(occurrences(hostLog, adminToken)).toBe(0);
  });

  it('never writes an HQ password, session or CSRF token to the tracker log', () => {
    expect(trackerLog).toMatch(/"url":"\/v1\/hq\/setup"/);
    expect(trackerLog).toMatch(/"url":"\/v1\/hq\/login"/);
    expect(occurrences(trackerLog, HQ_SCRIPT_ADMIN.password)).toBe(0);
    expect(occurrences(trackerLog, hq.cookie.split('=')[1]!)).toBe(0);
    expect(occurrences(trackerLog, hq.csrf)).toBe(0);
  });

  it('never writes the device token (nor its refused variant) anywhere', () => {
    expect(occurrences(trackerLog, deviceToken)).toBe(0);
    expect(occurrences(hostLog, deviceToken)).toBe(0);
  });

  it('never writes the one-time enrolment code anywhere', () => {
    const bare = enrolmentCode.replace(/-/g, '');
    for (const log of [trackerLog, hostLog]) {
      expect(occurrences(log, enrolmentCode)).toBe(0);
      expect(occurrences(log, bare)).toBe(0);
    }
  });

  it('prints the web host token once, in the URL line for the person starting it, and never again', () => {
    expect(occurrences(hostLog, webToken)).toBe(1);
    expect(hostLog.split('\n').find((line) => line.includes(webToken))).toMatch(
      /^Guardline web host: http:\/\/127\.0\.0\.1:\d+\/#token=/,
    );
    expect(occurrences(trackerLog, webToken)).toBe(0);
  });
});
