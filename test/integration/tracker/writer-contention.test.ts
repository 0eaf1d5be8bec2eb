/**
 * Issue 16r: a push must never fail with an internal error because another connection
 * holds SQLite's one writer. A real tracker over HTTP on a real SQLite file:
 *  - a connection of the tracker's own (as the HQ projector thread opens, sharing the
 *    writer gate) holding a write transaction makes the push wait, not fail;
 *  - a writer outside the tracker (a maintenance shell) holding it past busy_timeout gets
 *    the push a 503 with Retry-After, which a console retries, with nothing stored; the
 *    retry after it lets go is accepted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PushResponse } from '../../../src-shared/sync-wire.ts';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { openSqliteConnection, openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { enrolInStore } from '../../support/tracker-device.ts';
import { injectHqSignIn } from './hq-inject.ts';
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

it('makes a push wait while another of the tracker’s connections holds the writer, then accepts it', async () => {
  const { token } = await enrolInStore(store, FACILITY, 'ws-1', 'test');
  const ws = consoleEvents('ws-1');
  const client = trackerClient(url);
  // The first push also writes the device's last contact; both are covered below.
  const first = ws.incidentCreated(FACILITY);
  expect((await client.post('/v1/events', { events: [first] }, token)).status).toBe(200);
  // HQ reads wait for the projector to fold it: then nothing but the push below wants the writer.
  const hq = await app.inject({ url: '/v1/hq/incidents', headers: await injectHqSignIn(app, adminToken) });
  expect(hq.statusCode).toBe(200);
  expect(store.writerGate!.waiting).toBe(0);

  // A second connection sharing the tracker's writer gate, as the HQ projector thread's does.
  const projectorLike = openSqliteConnection(store.file!, store.writerGate!.buffer);
  let letGo!: () => void;
  const held = new Promise<void>((resolve) => (letGo = resolve));
  let inside!: () => void;
  const holding = new Promise<void>((resolve) => (inside = resolve));
  const transaction = projectorLike.db.transaction().execute(async (trx) => {
    await sql`UPDATE projection_cursors SET projected_seq = projected_seq`.execute(trx);
    inside();
    await held;
  });
  try {
    await holding;
    const event = ws.incidentCreated(FACILITY);
    const push = client.post('/v1/events', { events: [event] }, token);
    // Either the push waits for the writer, or (the bug) it is answered while the writer is held.
    const first = await Promise.race([
      store.writerGate!.someoneWaits().then(() => 'waiting' as const),
      push.then((reply) => `answered ${reply.status}` as const),
    ]);
    expect(first).toBe('waiting');
    letGo();
    await transaction;
    const reply = await push;
    expect(reply.status).toBe(200);
    expect(PushResponse.parse(reply.body).results).toMatchObject([{ id: event.id, status: 'accepted' }]);
    expect(await storedCount()).toBe(2);
  } finally {
    letGo();
    await transaction.catch(() => {});
    await projectorLike.close();
  }
});

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

it('tries a BEGIN that SQLite answers busy again, off the event loop, and accepts the push once the writer is free', async () => {
  // Its own tracker, with a short busy timeout: SQLite gives up on the writer at once.
  let busy!: () => void;
  const sawBusy = new Promise<void>((resolve) => (busy = resolve));
  const quick = await openTrackerDb(
    { kind: 'sqlite', file: join(dir, 'quick.sqlite') },
    { busyTimeoutMs: 20, onBeginBusy: () => busy() },
  );
  const quickApp = await buildTracker({ db: quick, adminTokenHash: hashSecret(adminToken) });
  try {
    await quickApp.listen({ host: '127.0.0.1', port: 0 });
    const client = trackerClient(`http://127.0.0.1:${(quickApp.server.address() as AddressInfo).port}`);
    const { token } = await enrolInStore(quick, FACILITY, 'ws-1', 'test');
    const ws = consoleEvents('ws-1');
    expect((await client.post('/v1/events', { events: [ws.incidentCreated(FACILITY)] }, token)).status).toBe(200);

    const outside = new Database(quick.file!);
    const event = ws.incidentCreated(FACILITY);
    let push;
    try {
      outside.exec('BEGIN IMMEDIATE');
      push = client.post('/v1/events', { events: [event] }, token);
      // The push's BEGIN found the writer taken, or (the bug) the push was answered with the failure.
      const first = await Promise.race([
        sawBusy.then(() => 'retrying' as const),
        push.then((reply) => `answered ${reply.status}` as const),
      ]);
      expect(first).toBe('retrying');
    } finally {
      if (outside.inTransaction) outside.exec('ROLLBACK');
      outside.close();
    }
    const reply = await push;
    expect(reply.status).toBe(200);
    expect(PushResponse.parse(reply.body).results).toMatchObject([{ id: event.id, status: 'accepted' }]);
  } finally {
    await quickApp.close();
    await quick.close();
  }
});
