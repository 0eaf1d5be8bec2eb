import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { EVENT_TYPES, parseEventPayload, type EventType } from '../../../src-shared/events.ts';
import { PulledEvent } from '../../../src-shared/sync-wire.ts';
import { credentialHeaders, hqSignIn, trackerClient } from '../tracker/http-client.ts';
import { tempDir } from '../../support/temp.ts';
import { signAsAuthor, testKey } from '../../support/device-keys.ts';

const ADMIN = 'fuzz-admin-token-0123456789abcdef0123456789abcdef';
const dir = tempDir('guardline-tracker-fuzz-');
let db: TrackerDb;
let app: FastifyInstance;
let base: string;
let device: string;
/** HQ routes are fuzzed with an HQ admin's session (the admin token only creates that account). */
let hq: Record<string, string>;

beforeAll(async () => {
  db = await openTrackerDb({ kind: 'sqlite', file: join(dir.path, 'tracker.sqlite') });
  app = await buildTracker({
    db,
    adminTokenHash: hashSecret(ADMIN),
    logger: false,
    limits: { rateLimit: { max: 100_000, timeWindowMs: 60_000 } },
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  const api = trackerClient(base);
  const session = await hqSignIn(base, ADMIN);
  hq = credentialHeaders(session);
  const code = (await api.post('/v1/admin/enrolment-codes', { facility: 'Märsta', ttlMinutes: 60 }, session)).body.code;
  device = (
    await api.post('/v1/enroll', {
      code,
      deviceId: 'fuzz-device',
      label: 'fuzz',
      publicKey: testKey('fuzz-device').publicKey,
    })
  ).body.deviceToken;
});
afterAll(async () => {
  await app?.close();
  await db?.close();
  dir.cleanup();
});

/** Signed by the enrolled device's key (a mutation later breaks the signature: a clear 403). */
const validEnvelope = () =>
  signAsAuthor({
    id: uuidv7(),
    streamId: uuidv7(),
    type: 'incident.created',
    payload: {
      facility: 'Märsta',
      unit: 'B',
      category: 'technical',
      severity: 'low',
      title: 'fuzz',
      occurredAt: '2026-11-25T21:14:00+01:00',
      reportedBy: 'fuzz',
    },
    actor: 'fuzz',
    deviceId: 'fuzz-device',
    deviceTime: Date.now(),
    hlc: encodeHlc({ wallMs: Date.now(), counter: 0, node: 'fuzz-device' }),
  });

/** A valid event with one field replaced by arbitrary JSON (or deleted). */
const mutatedEnvelope = fc
  .tuple(
    fc.constantFrom(
      'id',
      'streamId',
      'type',
      'payload',
      'actor',
      'deviceId',
      'deviceTime',
      'hlc',
      'payload.title',
      'payload.facility',
      'payload.occurredAt',
    ),
    fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  )
  .map(([field, value]) => {
    const e = validEnvelope() as Record<string, unknown>;
    const [top, sub] = field.split('.');
    const target = sub ? (e[top!] as Record<string, unknown>) : e;
    const key = sub ?? top!;
    if (value === undefined) delete target[key];
    else target[key] = value;
    return e;
  });

const request = fc.oneof(
  fc.record({
    method: fc.constant('POST'),
    path: fc.constant('/v1/events'),
    body: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.array(mutatedEnvelope, { maxLength: 5 }).map((events) => ({ events })),
    ),
  }),
  fc.record({
    method: fc.constant('GET'),
    path: fc
      .tuple(fc.string(), fc.string())
      .map(([a, l]) => `/v1/events?after=${encodeURIComponent(a)}&limit=${encodeURIComponent(l)}`),
    body: fc.constant(undefined),
  }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/v1/enroll'), body: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({
    method: fc.constant('POST'),
    path: fc.constant('/v1/admin/enrolment-codes'),
    body: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({
    method: fc.constant('GET'),
    path: fc
      .tuple(fc.constantFrom('incidents', 'outages', 'facilities', 'devices'), fc.string())
      .map(
        ([r, q]) =>
          `/v1/hq/${r}?facility=${encodeURIComponent(q)}&status=${encodeURIComponent(q)}&q=${encodeURIComponent(q)}&limit=${encodeURIComponent(q)}`,
      ),
    body: fc.constant(undefined),
  }),
);

describe('tracker HTTP fuzzing', () => {
  it(
    'answers arbitrary requests with 2xx or a clear 4xx, and stores only valid events',
    { timeout: 240_000 },
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(request, async ({ method, path, body }) => {
          const hqRoute = path.includes('/admin/') || path.includes('/hq/');
          const response = await fetch(new URL(path, base), {
            method,
            headers: {
              ...(hqRoute ? hq : { authorization: `Bearer ${device}` }),
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: body === undefined ? null : JSON.stringify(body),
          });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.status, `${method} ${path} → ${text.slice(0, 200)}`).toBeLessThan(500);
          if (response.status >= 400)
            expect(JSON.parse(text)).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        }),
        { numRuns: Number(process.env.GUARDLINE_FUZZ_RUNS ?? 600), seed: 20261125 },
      );
      console.log('tracker fuzz statuses', Object.fromEntries(statuses));
      expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
      expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);

      // Nothing stored that does not parse against the catalogue.
      const all = await trackerClient(base).get<{ events: unknown[] }>('/v1/events?after=0&limit=1000', device);
      const garbage = all.body.events
        .map((e) => PulledEvent.parse(e))
        .filter(
          (e) =>
            !EVENT_TYPES.includes(e.type as EventType) || !parseEventPayload(e.type as EventType, e.payload).success,
        );
      expect(garbage).toEqual([]);
    },
  );
});
