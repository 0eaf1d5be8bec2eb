/**
 * Black-box tests of the tracker over real HTTP on 127.0.0.1, run once per database
 * (`sqlite.test.ts`, `postgres.test.ts`). Each test uses its own facility names, so
 * tests share one tracker without seeing each other's events.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import {
  EnrollResponse,
  HealthResponse,
  HqFacility,
  HqIncident,
  HqOutage,
  PullResponse,
  PushResponse,
  TrackerError,
} from '../../../src-shared/sync-wire.ts';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { openTrackerDb, type DbKind, type DbLocation, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { requirePostgres, startPostgres } from '../../lab/postgres.ts';
import { startChildTracker } from './child-tracker.ts';
import { consoleEvents, hqSignIn, trackerClient, type HqCredential, type TrackerClient } from './http-client.ts';
import { openSse } from './sse-client.ts';
import { signAsAuthor, testKey } from '../../support/device-keys.ts';

interface Lab {
  location(name: string): Promise<DbLocation>;
  stop(): Promise<void>;
}

async function openLab(kind: DbKind): Promise<Lab> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'guardline-tracker-'));
    return {
      location: async (name) => ({ kind: 'sqlite', file: join(dir, `${name}.sqlite`) }),
      stop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = await startPostgres();
  return {
    location: async (name) => ({ kind: 'postgres', url: await server.createDatabase(name) }),
    stop: () => server.stop(),
  };
}

const uniqueFacility = (name: string) => `${name} ${randomUUID().slice(0, 8)}`;
const HOUR_MS = 3_600_000;

export function describeTrackerSuite(kind: DbKind): void {
  const runnable = kind === 'sqlite' || requirePostgres(`tracker suite (${kind})`);

  describe.skipIf(!runnable)(`tracker over HTTP (${kind})`, () => {
    const adminToken = `gla_test_${randomBytes(16).toString('hex')}`;
    const clock = { offsetMs: 0 };
    let lab: Lab;
    let store: TrackerDb;
    let app: FastifyInstance;
    let baseUrl: string;
    let api: TrackerClient;
    /** An HQ admin's session: the admin token only creates that account (issue 15). */
    let hq: HqCredential;

    beforeAll(async () => {
      lab = await openLab(kind);
      store = await openTrackerDb(await lab.location('tracker_main'));
      app = await buildTracker({
        db: store,
        adminTokenHash: hashSecret(adminToken),
        clock: () => Date.now() + clock.offsetMs,
      });
      baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
      api = trackerClient(baseUrl);
      hq = await hqSignIn(baseUrl, adminToken);
    });

    afterAll(async () => {
      await app?.close();
      await store?.close();
      await lab?.stop();
    });

    afterEach(() => {
      clock.offsetMs = 0;
    });

    async function createCode(facility: string, ttlMinutes = 60): Promise<string> {
      const r = await api.post('/v1/admin/enrolment-codes', { facility, ttlMinutes }, hq);
      expect(r.status).toBe(201);
      return r.body.code as string;
    }

    /** Enrols `deviceId` with its test key (support/device-keys.ts); events it pushes are signed with that key. */
    async function enrol(facility: string, deviceId = 'ws-1'): Promise<string> {
      const r = await api.post('/v1/enroll', {
        code: await createCode(facility),
        deviceId,
        label: 'Vaktrum',
        publicKey: testKey(deviceId).publicKey,
      });
      expect(r.status).toBe(201);
      return EnrollResponse.parse(r.body).deviceToken;
    }

    async function push(token: string, events: unknown[]) {
      return api.post('/v1/events', { events }, token);
    }

    /**
     * The facility's events as pushed by consoles: without the `device.enrolled` records
     * the tracker writes itself at each enrolment (checked in the identity tests).
     */
    async function pullAll(token: string): Promise<PullResponse['events']> {
      const r = await api.get('/v1/events?after=0&limit=1000', token);
      expect(r.status).toBe(200);
      return PullResponse.parse(r.body).events.filter((e) => e.type !== 'device.enrolled');
    }

    function expectError(r: { status: number; body: unknown }, status: number, code: string, field?: string) {
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      const error = TrackerError.parse(r.body);
      expect(error.code).toBe(code);
      if (field !== undefined) expect(error.field).toBe(field);
      return error;
    }

    describe('health', () => {
      it('reports ok, the database kind and the tracker clock', async () => {
        const r = await api.get('/v1/health');
        expect(r.status).toBe(200);
        const health = HealthResponse.parse(r.body);
        expect(health).toMatchObject({ ok: true, db: kind });
        expect(Math.abs(health.time - Date.now())).toBeLessThan(HOUR_MS);
      });
    });

    describe('enrolment', () => {
      it('enrols a console with a one-time code and refuses the same code a second time', async () => {
        const facility = uniqueFacility('Kumla');
        const code = await createCode(facility);
        const first = await api.post('/v1/enroll', {
          code: code.toLowerCase(),
          deviceId: 'ws-1',
          label: 'Vaktrum B',
          publicKey: testKey('ws-1').publicKey,
        });
        expect(first.status).toBe(201);
        const enrolled = EnrollResponse.parse(first.body);
        expect(enrolled.facility).toBe(facility);
        expect((await api.get('/v1/events', enrolled.deviceToken)).status).toBe(200);

        const again = await api.post('/v1/enroll', {
          code,
          deviceId: 'ws-2',
          label: '',
          publicKey: testKey('ws-2').publicKey,
        });
        expect(expectError(again, 401, 'unauthenticated', 'code').message).toMatch(/already used/);
      });

      it('refuses an expired enrolment code', async () => {
        const code = await createCode(uniqueFacility('Hall'), 1);
        clock.offsetMs = 2 * 60_000;
        const r = await api.post('/v1/enroll', {
          code,
          deviceId: 'ws-1',
          label: '',
          publicKey: testKey('ws-1').publicKey,
        });
        expect(expectError(r, 401, 'unauthenticated', 'code').message).toMatch(/expired/);
      });

      it('refuses an unknown enrolment code', async () => {
        const r = await api.post('/v1/enroll', {
          code: 'ZZZZ-ZZZZ-ZZZZ',
          deviceId: 'ws-1',
          label: '',
          publicKey: testKey('ws-1').publicKey,
        });
        expect(expectError(r, 401, 'unauthenticated', 'code').message).toMatch(/unknown/);
      });
    });

    describe('authentication', () => {
      it('refuses push, pull and stream without a token or with an unknown token (401)', async () => {
        for (const token of [undefined, `gld_${randomBytes(32).toString('base64url')}`]) {
          expectError(await push(token as string, []), 401, 'unauthenticated');
          expectError(await api.get('/v1/events', token), 401, 'unauthenticated');
          expectError(await api.get('/v1/stream', token), 401, 'unauthenticated');
          expectError(await api.get('/v1/hq/incidents', token), 401, 'unauthenticated');
        }
      });

      it('refuses a device token on admin and HQ endpoints (403)', async () => {
        const token = await enrol(uniqueFacility('Tidaholm'));
        expectError(
          await api.post('/v1/admin/enrolment-codes', { facility: 'X', ttlMinutes: 5 }, token),
          403,
          'forbidden',
        );
        expectError(await api.get('/v1/hq/facilities', token), 403, 'forbidden');
        expectError(await api.get('/v1/hq/incidents', token), 403, 'forbidden');
        expectError(await api.get('/v1/hq/outages', token), 403, 'forbidden');
      });

      it('refuses the admin token as a console (403)', async () => {
        expectError(await push(adminToken, []), 403, 'forbidden');
        expectError(await api.get('/v1/events', adminToken), 403, 'forbidden');
      });

      it('takes the admin token for nothing but the first HQ admin (403 on every HQ route)', async () => {
        expectError(await api.get('/v1/hq/facilities', adminToken), 403, 'forbidden');
        expectError(await api.get('/v1/hq/incidents', adminToken), 403, 'forbidden');
        expectError(
          await api.post('/v1/admin/enrolment-codes', { facility: 'X', ttlMinutes: 5 }, adminToken),
          403,
          'forbidden',
        );
        const refused = await api.post(
          '/v1/hq/accounts',
          { name: 'smyg', password: 'a'.repeat(16), role: 'admin' },
          adminToken,
        );
        expectError(refused, 403, 'forbidden');
        expect(JSON.stringify(refused.body)).toContain('only creates the first HQ admin');
        // Accounts exist, so it cannot create another admin either.
        expect((await api.post('/v1/hq/setup', { name: 'smyg', password: 'a'.repeat(16) }, adminToken)).status).toBe(
          409,
        );
      });

      it('refuses a device token once HQ has revoked it (401)', async () => {
        const facility = uniqueFacility('Saltvik');
        const token = await enrol(facility, 'ws-revoked');
        const events = consoleEvents('ws-revoked');
        expect((await push(token, [events.incidentCreated(facility)])).status).toBe(200);
        const devices = await api.get(`/v1/hq/devices?facility=${encodeURIComponent(facility)}`, hq);
        const id = devices.body.devices[0].id as string;
        expect((await api.post(`/v1/admin/devices/${id}/revoke`, {}, hq)).status).toBe(204);
        expectError(await push(token, [events.incidentCreated(facility)]), 401, 'unauthenticated');
        expectError(await api.get('/v1/events', token), 401, 'unauthenticated');
      });
    });

    describe('facility scope', () => {
      it("never shows one facility's events to another facility's token", async () => {
        const a = uniqueFacility('Anstalt A');
        const b = uniqueFacility('Anstalt B');
        const tokenA = await enrol(a, 'ws-a');
        const tokenB = await enrol(b, 'ws-b');
        const fromA = [1, 2, 3].map(() => consoleEvents('ws-a').incidentCreated(a));
        const fromB = [1, 2].map(() => consoleEvents('ws-b').incidentCreated(b));
        expect((await push(tokenA, fromA)).status).toBe(200);
        expect((await push(tokenB, fromB)).status).toBe(200);
        expect((await pullAll(tokenA)).map((e) => e.id)).toEqual(fromA.map((e) => e.id));
        expect((await pullAll(tokenB)).map((e) => e.id)).toEqual(fromB.map((e) => e.id));
      });

      it('refuses an event claiming another facility with 403 naming the field, storing nothing', async () => {
        const a = uniqueFacility('Anstalt A');
        const b = uniqueFacility('Anstalt B');
        const tokenA = await enrol(a, 'ws-a');
        const tokenB = await enrol(b, 'ws-b');
        const events = consoleEvents('ws-a');
        const r = await push(tokenA, [events.incidentCreated(a), events.incidentCreated(b)]);
        expectError(r, 403, 'forbidden', 'events.1.payload.facility');
        expect(await pullAll(tokenA)).toEqual([]);
        expect(await pullAll(tokenB)).toEqual([]);
        const listed = await api.get(`/v1/hq/incidents?facility=${encodeURIComponent(b)}`, hq);
        expect(listed.body.incidents).toEqual([]);
      });
    });

    describe('idempotent push', () => {
      it('returns the same serverSeqs for a repeated batch and stores nothing new', async () => {
        const facility = uniqueFacility('Norrtälje');
        const token = await enrol(facility, 'ws-1');
        const events = consoleEvents('ws-1');
        const batch = [1, 2, 3, 4, 5].map(() => events.incidentCreated(facility));

        const first = PushResponse.parse((await push(token, batch)).body);
        expect(first.results.map((r) => r.status)).toEqual(Array(5).fill('accepted'));
        expect(first.results.map((r) => r.id)).toEqual(batch.map((e) => e.id));

        const repeat = await push(token, batch);
        expect(repeat.status).toBe(200);
        const second = PushResponse.parse(repeat.body);
        expect(second.results.map((r) => r.status)).toEqual(Array(5).fill('duplicate'));
        expect(second.results.map((r) => r.serverSeq)).toEqual(first.results.map((r) => r.serverSeq));

        const fresh = events.incidentCreated(facility);
        const mixed = PushResponse.parse((await push(token, [batch[0], fresh, batch[4], fresh])).body);
        expect(mixed.results.map((r) => r.status)).toEqual(['duplicate', 'accepted', 'duplicate', 'duplicate']);
        expect(mixed.results[3]!.serverSeq).toBe(mixed.results[1]!.serverSeq);

        const stored = await pullAll(token);
        expect(stored.map((e) => e.id)).toEqual([...batch.map((e) => e.id), fresh.id]);
      });

      it('refuses a replayed id with different content as a 409 naming the id, storing nothing of the batch', async () => {
        const facility = uniqueFacility('Skogome');
        const token = await enrol(facility, 'ws-1');
        const events = consoleEvents('ws-1');
        const original = events.incidentCreated(facility);
        expect((await push(token, [original])).status).toBe(200);

        const tampered = { ...original, payload: { ...(original.payload as object), title: 'Ändrad rubrik' } };
        const fresh = events.incidentCreated(facility);
        // Changed by someone without the key: the signature no longer matches.
        expectError(await push(token, [fresh, tampered]), 403, 'forbidden', 'events.1.sig');
        // Changed and re-signed by its own author: a second version of one fact.
        const r = await push(token, [fresh, signAsAuthor(tampered)]);
        const error = expectError(r, 409, 'conflict', 'events.1.id');
        expect(error.message).toContain(original.id);
        expect((await pullAll(token)).map((e) => e.id)).toEqual([original.id]);
      });
    });

    describe('concurrent pushes', () => {
      it('stores each event once when one batch is pushed five times at once, and every answer agrees', async () => {
        const facility = uniqueFacility('Kumla');
        const token = await enrol(facility);
        const c = consoleEvents('ws-1');
        const batch = Array.from({ length: 200 }, () => c.incidentCreated(facility));
        const replies = await Promise.all([1, 2, 3, 4, 5].map(() => push(token, batch)));
        expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
        const answers = replies.map((r) => PushResponse.parse(r.body).results);
        const accepted = answers.flat().filter((r) => r.status === 'accepted');
        expect(accepted).toHaveLength(200);
        for (const answer of answers) {
          expect(answer.map((r) => r.serverSeq)).toEqual(answers[0]!.map((r) => r.serverSeq));
        }
        expect((await pullAll(token)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });

      it('lets one facility win an id pushed by two facilities at once; the other gets 409', async () => {
        const a = uniqueFacility('Anstalt A');
        const b = uniqueFacility('Anstalt B');
        const [tokenA, tokenB] = await Promise.all([enrol(a, 'ws-a'), enrol(b, 'ws-b')]);
        const fromA = consoleEvents('ws-a').incidentCreated(a);
        const fromB = signAsAuthor({ ...consoleEvents('ws-b').incidentCreated(b), id: fromA.id });
        const replies = await Promise.all([push(tokenA, [fromA]), push(tokenB, [fromB])]);
        expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
        const loser = replies.find((r) => r.status === 409)!;
        expectError(loser, 409, 'conflict', 'events.0.id');
        const stored = [...(await pullAll(tokenA)), ...(await pullAll(tokenB))];
        expect(stored.map((e) => e.id)).toEqual([fromA.id]);
      });
    });

    describe('validation', () => {
      const cases: { name: string; field: string; events: (facility: string) => unknown[] }[] = [
        {
          name: 'an empty incident title',
          field: 'events.1.payload.title',
          events: (f) => {
            const c = consoleEvents('ws-1');
            return [c.incidentCreated(f), c.incidentCreated(f, { title: '  ' })];
          },
        },
        {
          name: 'an unknown event type',
          field: 'events.0.type',
          events: (f) => [{ ...consoleEvents('ws-1').incidentCreated(f), type: 'incident.deleted' }],
        },
        {
          name: 'an event id that is not a UUID',
          field: 'events.0.id',
          events: (f) => [{ ...consoleEvents('ws-1').incidentCreated(f), id: 'not-a-uuid' }],
        },
        {
          name: 'a malformed HLC',
          field: 'events.0.hlc',
          events: (f) => [{ ...consoleEvents('ws-1').incidentCreated(f), hlc: 'yesterday' }],
        },
        {
          name: 'a status change to an unknown status',
          field: 'events.0.payload.to',
          events: () => [consoleEvents('ws-1').statusChanged(randomUUID(), 'open', 'vanished')],
        },
        {
          // Checked on the verification workers while the push's rows go in, then rolled back.
          name: 'the first of two bad payloads deep in a 300-event push',
          field: 'events.160.payload.title',
          events: (f) => {
            const c = consoleEvents('ws-1');
            return Array.from({ length: 300 }, (_, i) =>
              i === 160 || i === 290 ? c.incidentCreated(f, { title: '  ' }) : c.incidentCreated(f),
            );
          },
        },
        {
          name: 'more than 1000 events in one push',
          field: 'events',
          events: (f) => {
            const c = consoleEvents('ws-1');
            const one = c.incidentCreated(f);
            return Array.from({ length: 1001 }, () => one);
          },
        },
      ];

      for (const c of cases) {
        it(`refuses ${c.name} with 400 naming ${c.field}, storing nothing`, async () => {
          const facility = uniqueFacility('Kristianstad');
          const token = await enrol(facility);
          expectError(await push(token, c.events(facility)), 400, 'invalid_input', c.field);
          expect(await pullAll(token)).toEqual([]);
        });
      }

      it('refuses malformed JSON and a body without events with 400', async () => {
        const token = await enrol(uniqueFacility('Mariefred'));
        expectError(await api.post('/v1/events', '{"events": [', token), 400, 'invalid_input');
        expectError(await api.post('/v1/events', { incidents: [] }, token), 400, 'invalid_input', 'events');
      });

      it('refuses a body over the size limit with 413 payload_too_large, storing nothing', async () => {
        const facility = uniqueFacility('Storboda');
        const token = await enrol(facility);
        const event = consoleEvents('ws-1').incidentCreated(facility, { description: 'x'.repeat(4000) });
        const body = JSON.stringify({ events: Array.from({ length: 800 }, () => event) });
        expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
        expectError(await api.post('/v1/events', body, token), 413, 'payload_too_large');
        expect(await pullAll(token)).toEqual([]);
      });

      it('refuses an HLC more than 24 h ahead of the tracker clock, and takes one just inside', async () => {
        const facility = uniqueFacility('Haparanda');
        const token = await enrol(facility);
        const c = consoleEvents('ws-1');
        const far = c.envelope('incident.created', randomUUID(), c.incidentCreated(facility).payload, 25 * HOUR_MS);
        expectError(await push(token, [far]), 400, 'invalid_input', 'events.0.hlc');
        expect(await pullAll(token)).toEqual([]);

        const near = c.envelope('incident.created', randomUUID(), c.incidentCreated(facility).payload, 23 * HOUR_MS);
        expect((await push(token, [near])).status).toBe(200);
      });
    });

    describe('pull', () => {
      it('pages through a facility in server order with nextAfter and hasMore', async () => {
        const facility = uniqueFacility('Tillberga');
        const token = await enrol(facility);
        const c = consoleEvents('ws-1');
        const batch = Array.from({ length: 25 }, () => c.incidentCreated(facility));
        const pushed = PushResponse.parse((await push(token, batch)).body);

        const pages: PullResponse[] = [];
        let after = 0;
        for (let i = 0; i < 5; i++) {
          const r = await api.get(`/v1/events?after=${after}&limit=10`, token);
          expect(r.status).toBe(200);
          const page = PullResponse.parse(r.body);
          pages.push(page);
          after = page.nextAfter;
          if (!page.hasMore) break;
        }
        // The device record the tracker wrote at enrolment comes first, then the 25 pushed.
        expect(pages.map((p) => p.events.length)).toEqual([10, 10, 6]);
        expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
        expect(pages[0]!.events[0]!.type).toBe('device.enrolled');
        const pulled = pages.flatMap((p) => p.events).slice(1);
        expect(pulled.map((e) => e.id)).toEqual(batch.map((e) => e.id));
        expect(pulled.map((e) => e.serverSeq)).toEqual(pushed.results.map((r) => r.serverSeq));
        expect(pulled[0]).toMatchObject({ ...batch[0], receivedAt: expect.any(Number) });

        const empty = PullResponse.parse((await api.get(`/v1/events?after=${after}`, token)).body);
        expect(empty).toEqual({ events: [], nextAfter: after, hasMore: false });
      });

      it('refuses a bad limit or cursor with 400 naming the parameter', async () => {
        const token = await enrol(uniqueFacility('Ystad'));
        expectError(await api.get('/v1/events?limit=0', token), 400, 'invalid_input', 'limit');
        expectError(await api.get('/v1/events?limit=5000', token), 400, 'invalid_input', 'limit');
        expectError(await api.get('/v1/events?after=-1', token), 400, 'invalid_input', 'after');
      });
    });

    describe('live stream', () => {
      it("sends the facility's head on connect and the new seq after a push, and nothing of other facilities", async () => {
        const a = uniqueFacility('Anstalt A');
        const b = uniqueFacility('Anstalt B');
        const tokenA = await enrol(a, 'a');
        const tokenB = await enrol(b, 'b');
        const sse = await openSse(new URL('/v1/stream', baseUrl).href, tokenA);
        try {
          expect(sse.status).toBe(200);
          expect(sse.contentType).toMatch(/^text\/event-stream/);
          // The head on connect: the device record the tracker wrote when A enrolled.
          const head = Math.max(
            ...PullResponse.parse((await api.get('/v1/events', tokenA)).body).events.map((e) => e.serverSeq),
          );
          await sse.waitFor((m) => m.seq === head);

          const other = PushResponse.parse((await push(tokenB, [consoleEvents('b').incidentCreated(b)])).body);
          const own = PushResponse.parse((await push(tokenA, [consoleEvents('a').incidentCreated(a)])).body);
          const seq = own.results[0]!.serverSeq;
          await sse.waitFor((m) => m.seq === seq);
          // B's commit was published before A's; had it leaked, it would have arrived first.
          expect(sse.messages().map((m) => m.seq)).not.toContain(other.results[0]!.serverSeq);
        } finally {
          sse.close();
        }
      });
    });

    describe('HQ', () => {
      it('lists the folded incident with filters, and its facility with counts', async () => {
        const facility = uniqueFacility('Östragård');
        const token = await enrol(facility);
        const c = consoleEvents('ws-1');
        const created = c.incidentCreated(facility, { title: 'Dörrlarm på ÖSTRA gången' });
        const ack = c.statusChanged(created.streamId, 'open', 'acknowledged');
        const note = c.noteAdded(created.streamId, 'Larmtekniker tillkallad');
        expect((await push(token, [created])).status).toBe(200);
        expect((await push(token, [ack, note])).status).toBe(200);

        const list = async (query: string) => {
          const r = await api.get(`/v1/hq/incidents?facility=${encodeURIComponent(facility)}${query}`, hq);
          expect(r.status).toBe(200);
          return (r.body.incidents as unknown[]).map((i) => HqIncident.parse(i));
        };
        const [incident, ...rest] = await list('');
        expect(rest).toEqual([]);
        expect(incident).toMatchObject({
          id: created.streamId,
          facility,
          status: 'acknowledged',
          title: 'Dörrlarm på ÖSTRA gången',
          noteCount: 1,
          conflictCount: 0,
        });
        expect(await list('&status=acknowledged')).toHaveLength(1);
        expect(await list('&status=open')).toHaveLength(0);
        expect(await list(`&q=${encodeURIComponent('östra')}`)).toHaveLength(1);
        expect(await list(`&q=${encodeURIComponent('TEKNIKER')}`)).toHaveLength(1);
        expect(await list('&q=brand')).toHaveLength(0);
        expect(await list(`&q=${encodeURIComponent('100%')}`)).toHaveLength(0);

        const facilities = await api.get('/v1/hq/facilities', hq);
        const entry = (facilities.body.facilities as unknown[])
          .map((f) => HqFacility.parse(f))
          .find((f) => f.id === facility);
        expect(entry).toMatchObject({ devices: 1, incidents: 1, openIncidents: 1 });
        expect(entry?.lastEventAt).toEqual(expect.any(Number));
      });

      it('lists outages folded with the shared reducer, filtered by facility and status', async () => {
        const facility = uniqueFacility('Kumla');
        const token = await enrol(facility);
        const c = consoleEvents('ws-1');
        const outageId = randomUUID();
        const openedAt = Date.now() - 60_000;
        const opened = c.envelope('outage.opened', outageId, {
          facilityId: 'kumla',
          outageId,
          kind: 'automatic',
          cause: 'trunk_down',
          lineIds: ['trunk-1', 'avd-b'],
          trunk: 'trunk-1',
          openedAt,
          evidence: [],
          report: null,
        });
        expect((await push(token, [opened])).status).toBe(200);
        const list = async (query: string) => {
          const r = await api.get(`/v1/hq/outages?facility=${encodeURIComponent(facility)}${query}`, hq);
          expect(r.status).toBe(200);
          return (r.body.outages as unknown[]).map((o) => HqOutage.parse(o));
        };
        expect(await list('&status=open')).toMatchObject([
          { id: outageId, facility, status: 'open', cause: 'trunk_down', lineIds: ['trunk-1', 'avd-b'] },
        ]);

        const resolved = c.envelope('outage.resolved', outageId, {
          outageId,
          resolvedAt: openedAt + 30_000,
          durationMs: 30_000,
          reason: 'recovered',
        });
        expect((await push(token, [resolved])).status).toBe(200);
        expect(await list('&status=open')).toEqual([]);
        expect(await list('&status=resolved')).toMatchObject([{ id: outageId, durationMs: 30_000 }]);
        expectError(await api.get('/v1/hq/outages?status=gone', hq), 400, 'invalid_input', 'status');
      });

      it('serves the HQ page from files under a strict CSP without inline script', async () => {
        const page = await fetch(new URL('/hq', baseUrl));
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
        const csp = page.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("default-src 'none'");
        expect(csp).not.toContain('unsafe-inline');
        const html = await page.text();
        expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
        expect(html).not.toMatch(/\son[a-z]+=/);
        expect(html).not.toMatch(/<style/);

        // The React HQ app's hashed files (npm run build:hq), each under the same policy.
        const script = await fetch(new URL(/src="(\/hq\/assets\/[^"]+\.js)"/.exec(html)![1]!, baseUrl));
        expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
        expect(script.headers.get('content-security-policy')).toBe(csp);
        const style = await fetch(new URL(/href="(\/hq\/assets\/[^"]+\.css)"/.exec(html)![1]!, baseUrl));
        expect(style.headers.get('content-type')).toMatch(/^text\/css/);
        expect((await fetch(new URL('/hq/assets/nothing.js', baseUrl))).status).toBe(404);
      });
    });

    describe('shutdown', () => {
      it('finishes an in-flight batch on SIGTERM: the push gets 200, every event is stored, the connection is released', async () => {
        const location = await lab.location('tracker_shutdown');
        const childToken = `gla_child_${randomBytes(16).toString('hex')}`;
        const tracker = await startChildTracker({
          args: location.kind === 'sqlite' ? ['--data', location.file] : [],
          env: {
            GUARDLINE_ADMIN_TOKEN: childToken,
            ...(location.kind === 'postgres' ? { DATABASE_URL: location.url } : {}),
          },
        });
        try {
          const child = trackerClient(tracker.url);
          const facility = uniqueFacility('Kumla');
          const childHq = await hqSignIn(tracker.url, childToken);
          const code = (await child.post('/v1/admin/enrolment-codes', { facility, ttlMinutes: 5 }, childHq)).body.code;
          const { deviceToken } = EnrollResponse.parse(
            (await child.post('/v1/enroll', { code, deviceId: 'ws-1', publicKey: testKey('ws-1').publicKey })).body,
          );
          const c = consoleEvents('ws-1');
          const batch: EventEnvelope[] = Array.from({ length: 1000 }, () => c.incidentCreated(facility));
          const body = Buffer.from(JSON.stringify({ events: batch }));

          // Send the headers and half the body, so the request is provably in flight when SIGTERM lands.
          const { port } = new URL(tracker.url);
          const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
          const response = new Promise<string>((resolve, reject) => {
            let raw = '';
            socket.on('data', (chunk) => (raw += chunk.toString('utf8')));
            socket.on('end', () => resolve(raw));
            socket.on('error', reject);
          });
          await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
          socket.write(
            `POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${deviceToken}\r\n` +
              `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`,
          );
          const half = Math.floor(body.length / 2);
          socket.write(body.subarray(0, half));
          await tracker.waitForLine(/(?=.*"msg":"incoming request")(?=.*"url":"\/v1\/events")/);

          tracker.signal('SIGTERM');
          await tracker.waitForLine(/shutting down/);
          // write, not end: a half-closed client socket makes Node's HTTP server drop the request.
          socket.write(body.subarray(half));

          const raw = await response;
          socket.destroy();
          const [head = '', json = ''] = raw.split('\r\n\r\n');
          expect(head.split('\r\n')[0], tracker.output()).toBe('HTTP/1.1 200 OK');
          // Asked for keep-alive, but a closing tracker releases the connection so it can exit now.
          expect(head.toLowerCase()).toContain('connection: close');
          const pushed = PushResponse.parse(JSON.parse(json));
          expect(pushed.results.filter((r) => r.status === 'accepted')).toHaveLength(1000);
          expect(await tracker.exited).toBe(0);
        } finally {
          await tracker.kill();
        }

        const reopened = await openTrackerDb(location);
        try {
          const stored = await reopened.db
            .selectFrom('events')
            .select('id')
            .where('type', '!=', 'device.enrolled')
            .execute();
          expect(stored).toHaveLength(1000);
        } finally {
          await reopened.close();
        }
      });
    });
  });
}
