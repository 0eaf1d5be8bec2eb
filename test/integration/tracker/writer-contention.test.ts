/**
 * Issue 16r: a push must never fail with an internal error because another connection
 * holds SQLite's one writer. A real tracker over HTTP on a real SQLite file: a writer
 * outside the tracker (a maintenance shell) holding it past busy_timeout gets the push a
 * 503 with Retry-After, which a console retries, with nothing stored; the retry after it
 * lets go is accepted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PushResponse } from '../../../src-shared/sync-wire.ts';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { enrolInStore } from '../../support/tracker-device.ts';
import { consoleEvents, trackerClient } from './http-client.ts';

const FACILITY = 'Hall';
const adminToken = `gla_test_${randomBytes(16).toString('hex')}`;

let dir: string;
let store: TrackerDb;
let app: FastifyInstance;
let url: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-writer-'));
  store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
  app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function storedCount(): Promise<number> {
  const row = await store.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '!=', 'device.enrolled')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

it('answers 503 with Retry-After, storing nothing, when a writer outside the tracker holds the file past busy_timeout', async () => {
  const { token } = await enrolInStore(store, FACILITY, 'ws-1', 'test');
  const ws = consoleEvents('ws-1');
  const client = trackerClient(url);
  expect((await client.post('/v1/events', { events: [ws.incidentCreated(FACILITY)] }, token)).status).toBe(200);

  // A maintenance shell: its own connection, outside the tracker's gate, holding the writer.
  const outside = new Database(store.file!);
  const event = ws.incidentCreated(FACILITY);
  try {
    outside.exec('BEGIN IMMEDIATE');
    const busy = await client.post('/v1/events', { events: [event] }, token);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.body).toMatchObject({ code: 'store_unavailable' });
  } finally {
    if (outside.inTransaction) outside.exec('ROLLBACK');
    outside.close();
  }
  expect(await storedCount()).toBe(1);

  const retried = await client.post('/v1/events', { events: [event] }, token);
  expect(retried.status).toBe(200);
  expect(PushResponse.parse(retried.body).results).toMatchObject([{ id: event.id, status: 'accepted' }]);
  expect(await storedCount()).toBe(2);
}, 30_000);
