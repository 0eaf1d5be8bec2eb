/**
 * A console's drain keeps two pushes in flight (round 16x), each on its own connection, so the
 * tracker may read the second before the first. A push names the push it follows
 * (src-tracker/events/push-order.ts); the tracker stores it only after that one committed and
 * refuses it (503, nothing stored) when that one was not stored.
 *
 * A real tracker over HTTP on 127.0.0.1 (SQLite file), a real device's signed, chained events.
 * The second push is sent first; the tracker reports when it holds it (its `onHold` hook), and
 * only then does the first go, so the wrong order is certain, not left to the sockets.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { EnrollResponse, PullResponse, PushResponse, TrackerError } from '../../../src-shared/sync-wire.ts';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import type { PushOrderOptions } from '../../../src-tracker/events/push-order.ts';
import { consoleEvents, hqSignIn, trackerClient, type HqCredential } from './http-client.ts';
import { testKey } from '../../support/device-keys.ts';

const adminToken = `gla_test_${randomBytes(16).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'guardline-push-order-'));
const running: { app: FastifyInstance; store: TrackerDb }[] = [];
/** Resolvers waiting for the tracker to hold a push for the one it follows, by that one's name. */
const holds = new Map<string, () => void>();
let baseUrl: string;
let hq: HqCredential;

async function startTracker(name: string, pushOrder: PushOrderOptions) {
  const store = await openTrackerDb({ kind: 'sqlite', file: join(dir, `${name}.sqlite`) });
  const app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken), pushOrder });
  running.push({ app, store });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, hq: await hqSignIn(url, adminToken) };
}

beforeAll(async () => {
  ({ url: baseUrl, hq } = await startTracker('tracker', {
    holdMs: 30_000,
    onHold: (after) => holds.get(after)?.(),
  }));
});

afterAll(async () => {
  for (const { app, store } of running) {
    await app.close();
    await store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

async function enrol(facility: string, deviceId: string, at = { url: baseUrl, hq }): Promise<string> {
  const api = trackerClient(at.url);
  const code = await api.post('/v1/admin/enrolment-codes', { facility, ttlMinutes: 60 }, at.hq);
  expect(code.status).toBe(201);
  const r = await api.post('/v1/enroll', {
    code: code.body.code as string,
    deviceId,
    label: 'Vaktrum',
    publicKey: testKey(deviceId).publicKey,
  });
  expect(r.status).toBe(201);
  return EnrollResponse.parse(r.body).deviceToken;
}

/** One push over its own connection (as undici sends a second POST), named and naming the one it follows. */
async function push(token: string, body: string, id: string, after: string | null) {
  const response = await fetch(`${baseUrl}/v1/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      connection: 'close',
      'x-guardline-push-id': id,
      ...(after !== null ? { 'x-guardline-push-after': after } : {}),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

/** Resolves when the tracker holds a push for `after`, or with 'answered' when `answer` settles first. */
function heldOrAnswered(after: string, answer: Promise<unknown>): Promise<'held' | 'answered'> {
  return Promise.race([
    new Promise<'held'>((resolve) => holds.set(after, () => resolve('held'))),
    answer.then(() => 'answered' as const),
  ]);
}

async function stored(token: string, url = baseUrl): Promise<PullResponse['events']> {
  const r = await fetch(`${url}/v1/events?after=0&limit=1000`, { headers: { authorization: `Bearer ${token}` } });
  return PullResponse.parse(await r.json()).events.filter((e) => e.type !== 'device.enrolled');
}

function chain(deviceId: string, facility: string, n: number): EventEnvelope[] {
  const events = consoleEvents(deviceId);
  return Array.from({ length: n }, (_, i) => events.incidentCreated(facility, { title: `Händelse ${i}` }));
}

const bodyOf = (events: EventEnvelope[]) => JSON.stringify({ events });

it('stores a push read before the push it follows only after that one, in order', { timeout: 60_000 }, async () => {
  const facility = `Kumla ${randomUUID().slice(0, 8)}`;
  const token = await enrol(facility, 'ws-order');
  const events = chain('ws-order', facility, 300);
  const [first, second] = [events.slice(0, 150), events.slice(150)];

  const secondAnswer = push(token, bodyOf(second), 'drain.2', 'drain.1');
  const secondWaited = await heldOrAnswered('drain.1', secondAnswer);
  const firstAnswer = await push(token, bodyOf(first), 'drain.1', null);
  const secondDone = await secondAnswer;
  expect(firstAnswer.status).toBe(200);
  expect(secondDone.status).toBe(200);
  expect(PushResponse.parse(secondDone.body).results.every((r) => r.status === 'accepted')).toBe(true);

  // Every event once, stored in the order the console wrote them (server seqs follow the device's).
  const atTracker = await stored(token);
  expect(atTracker.map((e) => e.deviceSeq)).toEqual(events.map((e) => e.deviceSeq));
  expect(atTracker.map((e) => e.id)).toEqual(events.map((e) => e.id));
  // The second was held for the first, not answered before it was sent.
  expect(secondWaited).toBe('held');
});

it('refuses a push whose predecessor was refused, and stores nothing of it', { timeout: 60_000 }, async () => {
  const facility = `Hall ${randomUUID().slice(0, 8)}`;
  const token = await enrol(facility, 'ws-refused');
  const events = chain('ws-refused', facility, 300);
  const [first, second] = [events.slice(0, 150), events.slice(150)];
  // The first push carries a tampered event: its signature fails, the push is refused whole.
  const tampered = first.map((e, i) =>
    i === 70 ? { ...e, payload: { ...(e.payload as object), title: 'Ändrad i efterhand' } } : e,
  );

  const secondAnswer = push(token, bodyOf(second), 'refused.2', 'refused.1');
  const secondWaited = await heldOrAnswered('refused.1', secondAnswer);
  const firstAnswer = await push(token, bodyOf(tampered), 'refused.1', null);
  expect(firstAnswer.status).toBe(403);
  const secondDone = await secondAnswer;
  expect(secondDone.status).toBe(503);
  expect(TrackerError.parse(secondDone.body)).toMatchObject({
    code: 'unavailable',
    field: 'headers.x-guardline-push-after',
  });
  expect(await stored(token)).toEqual([]);
  expect(secondWaited).toBe('held');

  // The console then pushes again from the first batch (the tampered event left out, as its
  // quarantine would): the rest is stored once, in order.
  const kept = events.filter((_, i) => i !== 70);
  expect((await push(token, bodyOf(kept.slice(0, 149)), 'again.1', null)).status).toBe(200);
  expect((await push(token, bodyOf(kept.slice(149)), 'again.2', 'again.1')).status).toBe(200);
  expect((await stored(token)).map((e) => e.id)).toEqual(kept.map((e) => e.id));
});

it(
  'refuses a push whose predecessor this tracker never saw, once it gave up waiting',
  { timeout: 60_000 },
  async () => {
    const quick = await startTracker('quick', { holdMs: 50 });
    {
      const facility = `Tidaholm ${randomUUID().slice(0, 8)}`;
      const token = await enrol(facility, 'ws-unknown', quick);
      const events = chain('ws-unknown', facility, 20);
      const r = await fetch(`${quick.url}/v1/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'x-guardline-push-id': 'lost.2',
          'x-guardline-push-after': 'lost.1',
        },
        body: bodyOf(events.slice(10)),
      });
      expect(r.status).toBe(503);
      expect(TrackerError.parse(await r.json()).field).toBe('headers.x-guardline-push-after');
      expect(await stored(token, quick.url)).toEqual([]);
    }
  },
);
