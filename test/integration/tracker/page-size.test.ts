/**
 * A tracker file made by this code has 16 KiB pages (fewer page splits and WAL frames per
 * push, round 16t); a file made earlier, with SQLite's 4 KiB pages, keeps them (a page size
 * only changes by VACUUM, which the tracker never runs on its own) and still takes pushes
 * and serves what it held. A real tracker over HTTP on real SQLite files.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PushResponse } from '../../../src-shared/sync-wire.ts';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { openTrackerDb } from '../../../src-tracker/db/database.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { enrolInStore } from '../../support/tracker-device.ts';
import { consoleEvents, trackerClient } from './http-client.ts';

const FACILITY = 'Hall';
const adminToken = `gla_test_${randomBytes(16).toString('hex')}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-page-size-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function pageSizeOf(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Opens a tracker on `file`, pushes `count` events of a new console, and answers how many HQ-visible events it holds. */
async function pushTo(file: string, label: string, count: number): Promise<number> {
  const store = await openTrackerDb({ kind: 'sqlite', file });
  const app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken) });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { token } = await enrolInStore(store, FACILITY, label, 'test');
    const ws = consoleEvents(label);
    const answer = await trackerClient(url).post(
      '/v1/events',
      { events: Array.from({ length: count }, () => ws.incidentCreated(FACILITY)) },
      token,
    );
    expect(answer.status).toBe(200);
    const results = PushResponse.parse(answer.body).results;
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(count);
    const row = await store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'incident.created')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await app.close();
    await store.close();
  }
}

it('makes a new tracker file with 16 KiB pages, and keeps them across restarts', async () => {
  const file = join(dir, 'tracker.sqlite');
  expect(await pushTo(file, 'ws-1', 300)).toBe(300);
  expect(pageSizeOf(file)).toBe(16_384);
  expect(await pushTo(file, 'ws-2', 200)).toBe(500);
  expect(pageSizeOf(file)).toBe(16_384);
});

it('keeps the 4 KiB pages of a file made before, which still takes pushes and holds its events', async () => {
  const file = join(dir, 'tracker.sqlite');
  // A file as earlier trackers made it: SQLite's default page size, in WAL mode.
  const before = new Database(file);
  before.pragma('page_size = 4096');
  before.pragma('journal_mode = WAL');
  before.close();
  expect(await pushTo(file, 'ws-1', 300)).toBe(300);
  expect(pageSizeOf(file)).toBe(4_096);
  expect(await pushTo(file, 'ws-2', 200)).toBe(500);
  expect(pageSizeOf(file)).toBe(4_096);
});
