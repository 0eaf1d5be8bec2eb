/**
 * HQ release upload (issue 15) over real HTTP: an HQ admin uploads the `npm run dist`
 * output (channel file + the installers it names, multipart) and consoles are served it;
 * anything that is not a release is refused with the reason naming the file and field,
 * and replaces nothing (the last good release is still served, after a restart too).
 * Viewer accounts, missing CSRF tokens, foreign origins and the admin token are refused
 * like on every HQ mutation; sizes are limited.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { parseChannelFile } from '../../../src-tracker/updates/releases.ts';
import { testKey } from '../../support/device-keys.ts';
import { credentialHeaders, hqSignIn, HQ_SCRIPT_ADMIN, type HqCredential } from './http-client.ts';

const adminToken = `gla_${randomBytes(32).toString('base64url')}`;
const VIEWER = { name: 'Vera Visare', password: 'bara-titta-2026' };
const LIMITS = { maxFiles: 4, maxFileBytes: 400_000, maxTotalBytes: 600_000 };

let dir: string;
let releases: string;
let store: TrackerDb;
let app: FastifyInstance;
let base: string;
let admin: HqCredential;
let viewer: HqCredential;
let deviceToken: string;

interface Upload {
  name: string;
  body: Buffer;
}

/** What `npm run dist` writes: an installer, its blockmap and the channel file naming it. */
function distOutput(version: string, installer: Buffer, tamper: Partial<{ sha512: string; size: number }> = {}) {
  const name = `Guardline-${version}.AppImage`;
  const sha512 = tamper.sha512 ?? createHash('sha512').update(installer).digest('base64');
  const size = tamper.size ?? installer.length;
  const channel =
    `version: ${version}\nfiles:\n  - url: ${name}\n    sha512: ${sha512}\n    size: ${size}\n` +
    `path: ${name}\nsha512: ${sha512}\nreleaseDate: '2026-12-05T06:00:00.000Z'\n`;
  return {
    channel: { name: 'latest-linux.yml', body: Buffer.from(channel) },
    installer: { name, body: installer },
    blockmap: { name: `${name}.blockmap`, body: randomBytes(64) },
  };
}

async function upload(files: Upload[], headers: Record<string, string>) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.body)]), f.name);
  const r = await fetch(`${base}/v1/hq/releases`, { method: 'POST', headers, body: form });
  const text = await r.text();
  return {
    status: r.status,
    body: JSON.parse(text) as { version?: string; code?: string; message?: string; field?: string },
  };
}

const asAdmin = () => credentialHeaders(admin);

async function served(): Promise<string> {
  const r = await fetch(`${base}/updates/latest-linux.yml`, { headers: { authorization: `Bearer ${deviceToken}` } });
  return parseChannelFile(await r.text()).version;
}

async function download(name: string): Promise<{ status: number; body: Buffer }> {
  const r = await fetch(`${base}/updates/${encodeURIComponent(name)}`, {
    headers: { authorization: `Bearer ${deviceToken}` },
  });
  return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
}

async function start(): Promise<void> {
  app = await buildTracker({
    db: store,
    adminTokenHash: hashSecret(adminToken),
    releasesDir: releases,
    limits: { releaseUpload: LIMITS },
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
}

const first = distOutput('0.4.0', randomBytes(100_000));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-release-upload-'));
  releases = join(dir, 'releases');
  mkdirSync(releases);
  store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
  await start();
  admin = await hqSignIn(base, adminToken, HQ_SCRIPT_ADMIN);
  const made = await fetch(`${base}/v1/hq/accounts`, {
    method: 'POST',
    headers: { ...asAdmin(), 'content-type': 'application/json' },
    body: JSON.stringify({ ...VIEWER, role: 'viewer' }),
  });
  expect(made.status).toBe(201);
  viewer = await hqSignIn(base, adminToken, VIEWER);
  const code = (await (
    await fetch(`${base}/v1/admin/enrolment-codes`, {
      method: 'POST',
      headers: { ...asAdmin(), 'content-type': 'application/json' },
      body: JSON.stringify({ facility: 'Anstalt A' }),
    })
  ).json()) as { code: string };
  const enrolled = (await (
    await fetch(`${base}/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code.code, deviceId: 'ws-1', label: 'x', publicKey: testKey('ws-1').publicKey }),
    })
  ).json()) as { deviceToken: string };
  deviceToken = enrolled.deviceToken;
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const leftovers = () =>
  existsSync(join(releases, 'uploads'))
    ? readdirSync(join(releases, 'uploads')).filter((n) => n.startsWith('.staging-'))
    : [];

describe('HQ release upload', () => {
  it('serves an uploaded dist output to consoles, checksum-true, with its blockmap', async () => {
    const answer = await upload([first.channel, first.installer, first.blockmap], asAdmin());
    expect(answer).toMatchObject({ status: 201, body: { version: '0.4.0' } });
    expect(await served()).toBe('0.4.0');
    const installer = await download(first.installer.name);
    expect(installer.body.equals(first.installer.body)).toBe(true);
    expect((await download(first.blockmap.name)).body.equals(first.blockmap.body)).toBe(true);
    const status = (await (await fetch(`${base}/v1/hq/releases`, { headers: credentialHeaders(viewer) })).json()) as {
      current: { version: string; files: string[] };
    };
    expect(status.current).toMatchObject({ version: '0.4.0', files: [first.installer.name, first.blockmap.name] });
  });

  it('refuses what is not a release, naming the file and field, and replaces nothing', async () => {
    const next = distOutput('0.5.0', randomBytes(50_000));
    const wrongSum = distOutput('0.5.0', next.installer.body, { sha512: first.channel.body.toString('base64') });
    const cases: [string, Upload[], string][] = [
      [
        'wrong checksum',
        [wrongSum.channel, wrongSum.installer],
        `${next.installer.name} does not match files.0.sha512 in latest-linux.yml`,
      ],
      [
        'wrong size',
        [distOutput('0.5.0', next.installer.body, { size: 12 }).channel, next.installer],
        'files.0.size says 12',
      ],
      ['missing installer', [next.channel], `latest-linux.yml names ${next.installer.name}, which is missing`],
      [
        'not YAML',
        [{ name: 'latest-linux.yml', body: Buffer.from('<html>oops</html>\n') }, next.installer],
        'latest-linux.yml: line 1',
      ],
      ['no channel file', [next.installer], 'no latest*.yml'],
      [
        'a file no channel file names',
        [next.channel, next.installer, { name: 'notes.txt', body: Buffer.from('x') }],
        'notes.txt is not named by any latest*.yml',
      ],
      // (Directory parts of a name are dropped by the multipart parser before any check.)
      ['a hidden file', [next.channel, { name: '.env', body: Buffer.from('x') }], '".env" is not a plain file name'],
      ['the same file twice', [next.channel, next.installer, next.installer], 'uploaded twice'],
    ];
    for (const [what, files, reason] of cases) {
      const answer = await upload(files, asAdmin());
      expect(answer.status, what).toBe(400);
      expect(answer.body.field, what).toBe('files');
      expect(answer.body.message, what).toContain(reason);
      expect(await served(), what).toBe('0.4.0');
    }
    expect((await download(first.installer.name)).body.equals(first.installer.body)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('refuses uploads over the size and count limits, replacing nothing', async () => {
    const big = distOutput('0.6.0', randomBytes(LIMITS.maxFileBytes + 1));
    expect(await upload([big.channel, big.installer], asAdmin())).toMatchObject({
      status: 413,
      body: { code: 'payload_too_large', field: 'files' },
    });
    const many = Array.from({ length: LIMITS.maxFiles + 1 }, (_, i) => ({ name: `f${i}.bin`, body: Buffer.from('x') }));
    expect((await upload(many, asAdmin())).status).toBe(413);
    const total = distOutput('0.6.0', randomBytes(350_000));
    const second = { name: 'Guardline-0.6.0.deb', body: randomBytes(350_000) };
    expect((await upload([total.channel, total.installer, second], asAdmin())).status).toBe(413);
    expect(await served()).toBe('0.4.0');
    expect(leftovers()).toEqual([]);
  });

  it('takes uploads from HQ admins only, with the CSRF token, from the tracker’s own origin', async () => {
    const next = distOutput('0.7.0', randomBytes(1000));
    const files = [next.channel, next.installer];
    expect(await upload(files, credentialHeaders(viewer))).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await upload(files, { cookie: admin.cookie })).toMatchObject({
      status: 403,
      body: { field: 'x-guardline-csrf' },
    });
    expect(await upload(files, { ...asAdmin(), origin: 'http://evil.example' })).toMatchObject({
      status: 403,
      body: { field: 'origin' },
    });
    expect((await upload(files, { authorization: `Bearer ${adminToken}` })).status).toBe(403);
    expect((await upload(files, { authorization: `Bearer ${deviceToken}` })).status).toBe(403);
    expect((await upload(files, {})).status).toBe(401);
    expect(await served()).toBe('0.4.0');
  });

  it('replaces the served release with the next good upload, and still serves it after a restart', async () => {
    const next = distOutput('0.8.0', randomBytes(80_000));
    expect((await upload([next.channel, next.installer], asAdmin())).status).toBe(201);
    expect(await served()).toBe('0.8.0');
    expect((await download(first.installer.name)).status).toBe(404);
    await app.close();
    await start();
    expect(await served()).toBe('0.8.0');
    expect((await download(next.installer.name)).body.equals(next.installer.body)).toBe(true);
  });
});
