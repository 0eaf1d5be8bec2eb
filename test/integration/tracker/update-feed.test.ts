/**
 * The fleet's update feed (issue 15) over real HTTP: the tracker serves a release
 * directory in electron-updater's generic-provider layout to enrolled consoles and HQ
 * only; the installer it serves matches the sha512 its channel file states (what
 * electron-updater checks); a directory that is not a release (a checksum that does not
 * match, a named file missing, no channel file) is refused with the reason and the
 * release already served stays. An enrolled console learns of a newer version
 * (`sync.updateAvailable`, shown on the browser host's Synk page).
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { parseChannelFile } from '../../../src-tracker/updates/releases.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { newerVersion } from '../../../src-shared/sync.ts';
import { syncConsole } from '../sync/sync-lab.ts';
import { testKey } from '../../support/device-keys.ts';
import { credentialHeaders, hqSignIn } from './http-client.ts';

const adminToken = `gla_${randomBytes(32).toString('base64url')}`;
let dir: string;
let releases: string;
let store: TrackerDb;
let app: FastifyInstance;
let base: string;
let deviceToken: string;
/** An HQ admin's session (the admin token only creates that account). */
let hq: Record<string, string>;

function writeRelease(at: string, version: string, installer: Buffer, tamper = false): void {
  mkdirSync(at, { recursive: true });
  const name = `Guardline-Setup-${version}.exe`;
  writeFileSync(join(at, name), installer);
  const sha512 = createHash('sha512')
    .update(tamper ? Buffer.from('something else') : installer)
    .digest('base64');
  // The shape electron-builder writes.
  writeFileSync(
    join(at, 'latest.yml'),
    `version: ${version}\nfiles:\n  - url: ${name}\n    sha512: ${sha512}\n    size: ${installer.length}\npath: ${name}\nsha512: ${sha512}\nreleaseDate: '2026-12-05T04:00:00.000Z'\n`,
  );
}

async function get(path: string, token?: string) {
  const r = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()) };
}

async function reload() {
  const r = await fetch(`${base}/v1/admin/releases/reload`, {
    method: 'POST',
    headers: { ...hq, 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: r.status, body: (await r.json()) as { version?: string; message?: string; field?: string } };
}

const first = randomBytes(200_000);

async function code(): Promise<string> {
  const answer = await fetch(`${base}/v1/admin/enrolment-codes`, {
    method: 'POST',
    headers: { ...hq, 'content-type': 'application/json' },
    body: JSON.stringify({ facility: 'Anstalt A' }),
  }).then((r) => r.json() as Promise<{ code: string }>);
  return answer.code;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-updates-'));
  releases = join(dir, 'releases');
  writeRelease(releases, '0.2.0', first);
  store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
  app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken), releasesDir: releases });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  hq = credentialHeaders(await hqSignIn(base, adminToken));
  const enrolled = await fetch(`${base}/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: await code(), deviceId: 'ws-1', label: 'x', publicKey: testKey('ws-1').publicKey }),
  }).then((r) => r.json() as Promise<{ deviceToken: string }>);
  deviceToken = enrolled.deviceToken;
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('update feed', () => {
  it('serves the channel file and the installer it names, checksum-true, to enrolled consoles only', async () => {
    expect((await get('/updates/latest.yml')).status).toBe(401);
    const channel = await get('/updates/latest.yml', deviceToken);
    expect(channel.status).toBe(200);
    expect(channel.type).toContain('text/yaml');
    const parsed = parseChannelFile(channel.body.toString('utf8'));
    expect(parsed.version).toBe('0.2.0');
    const installer = await get(`/updates/${encodeURIComponent(parsed.path)}`, deviceToken);
    expect(installer.status).toBe(200);
    expect(installer.body.equals(first)).toBe(true);
    expect(createHash('sha512').update(installer.body).digest('base64')).toBe(parsed.sha512);
    expect((await get('/updates/..%2Ftracker.sqlite', deviceToken)).status).toBe(404);
    expect((await get('/updates/nothing.exe', deviceToken)).status).toBe(404);
  });

  it('refuses a directory that is not a release with the reason, and keeps serving the last good one', async () => {
    writeRelease(releases, '0.3.0', randomBytes(1000), true);
    const tampered = await reload();
    expect(tampered.status).toBe(400);
    expect(tampered.body.message).toContain('does not match files.0.sha512 in latest.yml');
    expect(parseChannelFile((await get('/updates/latest.yml', deviceToken)).body.toString()).version).toBe('0.2.0');
    expect((await get('/updates/Guardline-Setup-0.2.0.exe', deviceToken)).body.equals(first)).toBe(true);

    rmSync(join(releases, 'Guardline-Setup-0.3.0.exe'));
    expect((await reload()).body.message).toContain('missing');
    rmSync(releases, { recursive: true });
    mkdirSync(releases);
    writeFileSync(join(releases, 'notes.txt'), 'not a release');
    expect((await reload()).body.message).toContain('no latest*.yml');

    const status = await fetch(`${base}/v1/hq/releases`, { headers: hq }).then(
      (r) => r.json() as Promise<{ current: { version: string }; refused: { reason: string } }>,
    );
    expect(status.current.version).toBe('0.2.0');
    expect(status.refused.reason).toContain('no latest*.yml');
  });

  it('tells an enrolled console a newer version is there, and nothing when it runs the newest', async () => {
    const c = await syncConsole(dir, 'update-check');
    try {
      await c.call('sync.enroll', { trackerUrl: base, code: await code(), adoptFacility: true });
      // The console under test is 0.0.0-test; the tracker serves 0.2.0.
      expect(await c.call('sync.updateAvailable', {})).toEqual({ current: '0.0.0-test', available: '0.2.0' });
    } finally {
      await c.close();
    }
    expect(newerVersion('0.2.0', '0.2.0')).toBe(false);
    expect(newerVersion('0.10.0', '0.9.1')).toBe(true);
    expect(newerVersion('1.0.0', '1.0.0-rc.1')).toBe(false);
  });

  it('takes a whole new release once it verifies', async () => {
    const next = randomBytes(50_000);
    rmSync(releases, { recursive: true });
    writeRelease(releases, '0.3.1', next);
    copyFileSync(join(releases, 'latest.yml'), join(releases, 'latest-linux.yml'));
    expect(await reload()).toMatchObject({ status: 200, body: { version: '0.3.1' } });
    expect(parseChannelFile((await get('/updates/latest-linux.yml', deviceToken)).body.toString()).version).toBe(
      '0.3.1',
    );
    expect((await get('/updates/Guardline-Setup-0.3.1.exe', deviceToken)).body.equals(next)).toBe(true);
    expect((await get('/updates/Guardline-Setup-0.2.0.exe', deviceToken)).status).toBe(404);
  });
});
