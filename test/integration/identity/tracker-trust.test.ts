/**
 * "Relayed by anyone, authored by no one else" at a real tracker over HTTP, on SQLite and
 * PostgreSQL: a console may push events other devices of its facility authored
 * (store-and-forward), but every event must carry its author's valid signature. Each
 * refusal names the field, is logged, and stores nothing of the batch.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, verifyAuthoredEvent } from '../../../src-common/trust/index.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { DeviceEnrolledPayload } from '../../../src-shared/signed-envelope.ts';
import {
  DeviceKeyResponse,
  EnrollResponse,
  PullResponse,
  PushResponse,
  TrackerError,
} from '../../../src-shared/sync-wire.ts';
import { hashSecret, newDeviceToken } from '../../../src-tracker/auth/tokens.ts';
import { openTrackerDb, type DbKind, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { requirePostgres, startPostgres, type RunningPostgres } from '../../lab/postgres.ts';
import { signAsAuthor, testKey, unsigned } from '../../support/device-keys.ts';
import {
  consoleEvents,
  hqSignIn,
  trackerClient,
  type HqCredential,
  type TrackerClient,
} from '../tracker/http-client.ts';

const HOUR_MS = 3_600_000;

for (const kind of ['sqlite', 'postgres'] as DbKind[]) {
  const runnable = kind === 'sqlite' || requirePostgres(`tracker trust (${kind})`);

  describe.skipIf(!runnable)(`tracker trust over HTTP (${kind})`, () => {
    const adminToken = `gla_test_${randomBytes(16).toString('hex')}`;
    const logs: { msg: string; field?: string; author?: string; pusher?: string }[] = [];
    let dir: string;
    let postgres: RunningPostgres | null = null;
    let store: TrackerDb;
    let app: FastifyInstance;
    let api: TrackerClient;
    let hq: HqCredential;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'guardline-trust-'));
      if (kind === 'postgres') postgres = await startPostgres();
      store = await openTrackerDb(
        kind === 'sqlite'
          ? { kind, file: join(dir, 'tracker.sqlite') }
          : { kind, url: await postgres!.createDatabase('trust') },
      );
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line));
          done();
        },
      });
      app = await buildTracker({
        db: store,
        adminTokenHash: hashSecret(adminToken),
        logger: pino({ level: 'info' }, sink),
      });
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      api = trackerClient(base);
      hq = await hqSignIn(base, adminToken);
    });

    afterAll(async () => {
      await app?.close();
      await store?.close();
      await postgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const uniqueFacility = (name: string) => `${name} ${randomUUID().slice(0, 8)}`;
    const uniqueDevice = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

    async function enrol(facility: string, deviceId: string): Promise<EnrollResponse> {
      const code = await api.post('/v1/admin/enrolment-codes', { facility }, hq);
      const r = await api.post('/v1/enroll', {
        code: code.body.code,
        deviceId,
        label: 'Vaktrum',
        publicKey: testKey(deviceId).publicKey,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return EnrollResponse.parse(r.body);
    }

    async function pulled(token: string): Promise<PullResponse['events']> {
      const r = await api.get('/v1/events?after=0&limit=1000', token);
      expect(r.status).toBe(200);
      return PullResponse.parse(r.body).events.filter((e) => e.type !== 'device.enrolled');
    }

    /** Pushes, expects a 403 on `field`, a log line naming it, and nothing of the batch stored. */
    async function expectRefused(token: string, events: EventEnvelope[], field: string, reason: RegExp) {
      const before = (await pulled(token)).length;
      const r = await api.post('/v1/events', { events }, token);
      expect(r.status, JSON.stringify(r.body)).toBe(403);
      const error = TrackerError.parse(r.body);
      expect(error).toMatchObject({ code: 'forbidden', field });
      expect(error.message).toMatch(reason);
      expect(logs.some((l) => l.msg === 'push refused: event not authored as claimed' && l.field === field)).toBe(true);
      expect(await pulled(token)).toHaveLength(before);
    }

    it('enrolment binds the key and writes a device record signed by the tracker’s key', async () => {
      const facility = uniqueFacility('Kumla');
      const a = uniqueDevice('ws-a');
      const enrolled = await enrol(facility, a);
      const all = PullResponse.parse((await api.get('/v1/events', enrolled.deviceToken)).body).events;
      const record = all.find((e) => e.type === 'device.enrolled')!;
      expect(DeviceEnrolledPayload.parse(record.payload)).toMatchObject({
        deviceId: a,
        publicKey: testKey(a).publicKey,
        facility,
        enrolledBy: 'tracker',
      });
      const trackerKeyring = createKeyring([{ deviceId: 'tracker', publicKey: enrolled.trackerKey, facility: null }]);
      expect(verifyAuthoredEvent(record, trackerKeyring, { facility })).toEqual({ ok: true, preSignature: false });
    });

    it('stores an event relayed by another device of the facility once, with its author and signature intact', async () => {
      const facility = uniqueFacility('Hall');
      const a = uniqueDevice('ws-a');
      const b = uniqueDevice('ws-b');
      const { deviceToken: tokenA } = await enrol(facility, a);
      const { deviceToken: tokenB } = await enrol(facility, b);
      const fromB = consoleEvents(b).incidentCreated(facility);
      const relayed = PushResponse.parse((await api.post('/v1/events', { events: [fromB] }, tokenA)).body);
      expect(relayed.results[0]!.status).toBe('accepted');
      const own = PushResponse.parse((await api.post('/v1/events', { events: [fromB] }, tokenB)).body);
      expect(own.results[0]).toEqual({ ...relayed.results[0], status: 'duplicate' });
      const stored = (await pulled(tokenB)).filter((e) => e.id === fromB.id);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ deviceId: b, deviceSeq: fromB.deviceSeq, sig: fromB.sig });
    });

    it('refuses a token pushing events authored as another device without that device’s signature', async () => {
      const facility = uniqueFacility('Tidaholm');
      const a = uniqueDevice('ws-a');
      const b = uniqueDevice('ws-b');
      const { deviceToken: tokenA } = await enrol(facility, a);
      await enrol(facility, b);
      const asB = consoleEvents(a).incidentCreated(facility);
      // A signs with its own key but claims B wrote it.
      const forged = signAsAuthor({ ...asB, deviceId: b, deviceSeq: 1 }, a);
      const honest = consoleEvents(a).incidentCreated(facility);
      await expectRefused(tokenA, [honest, forged], 'events.1.sig', /not .*'s over this content/);
      // Unsigned, as every token could do before signing existed.
      await expectRefused(tokenA, [unsigned({ ...asB, deviceId: b })], 'events.0.sig', /carries no signature/);
    });

    it('verifies chained pushes by author runs and names exactly the bad event of a run', async () => {
      const facility = uniqueFacility('Hällby');
      const a = uniqueDevice('ws-a');
      const b = uniqueDevice('ws-b');
      const c = uniqueDevice('ws-c');
      const { deviceToken: tokenA } = await enrol(facility, a);
      await enrol(facility, b);
      await enrol(facility, c);
      const runOf = (author: string, n: number) => {
        const events = consoleEvents(author);
        return Array.from({ length: n }, () => events.incidentCreated(facility));
      };
      const accepted = async (events: EventEnvelope[]) => {
        const r = await api.post('/v1/events', { events }, tokenA);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return PushResponse.parse(r.body).results.filter((x) => x.status === 'accepted').length;
      };
      const retitled = (e: EventEnvelope) => ({ ...e, payload: { ...(e.payload as object), title: 'Ändrad' } });

      // A reordered run is still one run (order on the wire does not matter).
      const reordered = runOf(a, 120);
      expect(reordered.every((e, i) => i === 0 || e.prev !== undefined)).toBe(true);
      expect(await accepted([...reordered].reverse())).toBe(120);

      // A tampered middle event: named, and the rest of the run goes through without it.
      const tampered = runOf(a, 120);
      tampered[60] = retitled(tampered[60]!);
      await expectRefused(tokenA, tampered, 'events.60.sig', /not .*'s over this content/);
      expect(await accepted(tampered.filter((_, i) => i !== 60))).toBe(119);

      // A forged link: the event's signature no longer covers it.
      const forgedPrev = runOf(a, 120);
      forgedPrev[90] = { ...forgedPrev[90]!, prev: forgedPrev[10]!.prev! };
      await expectRefused(tokenA, forgedPrev, 'events.90.sig', /not .*'s over this content/);
      expect(await accepted(forgedPrev.filter((_, i) => i !== 90))).toBe(119);

      // The run's head signed by another device: the head is refused, the run before it is not lost.
      const otherHead = runOf(a, 120);
      otherHead[119] = signAsAuthor(otherHead[119]!, b);
      await expectRefused(tokenA, otherHead, 'events.119.sig', /not .*'s over this content/);
      expect(await accepted(otherHead.slice(0, 119))).toBe(119);

      // A relays a run of a third device with one bad event in it.
      const relayed = runOf(c, 120);
      relayed[33] = retitled(relayed[33]!);
      await expectRefused(tokenA, relayed, 'events.33.sig', /not .*'s over this content/);
      expect(await accepted(relayed.filter((_, i) => i !== 33))).toBe(119);

      // A fork: a run whose first link contradicts the feed the tracker holds for A.
      const held = (await pulled(tokenA)).filter((e) => e.deviceId === a);
      const head = held.reduce((m, e) => (e.deviceSeq! > m.deviceSeq! ? e : m));
      const [fork] = runOf(b, 1);
      const elsewhere = held.find((e) => e.prev !== undefined && e.deviceSeq !== head.deviceSeq)!.prev!;
      const forked = signAsAuthor({ ...fork!, deviceId: a, deviceSeq: head.deviceSeq! + 1, prev: elsewhere }, a);
      await expectRefused(tokenA, [forked], 'events.0.prev', /does not match .* held here/);
      expect(logs.some((l) => l.field === 'events.0.prev')).toBe(true);
    });

    it('checks every event of a large push (on the verification workers) and names the forged one', async () => {
      const facility = uniqueFacility('Österåker');
      const a = uniqueDevice('ws-a');
      const b = uniqueDevice('ws-b');
      const { deviceToken: tokenA } = await enrol(facility, a);
      await enrol(facility, b);
      const fromA = consoleEvents(a);
      const batch = Array.from({ length: 400 }, () => fromA.incidentCreated(facility));
      batch[333] = signAsAuthor({ ...consoleEvents(b).incidentCreated(facility), deviceSeq: 1 }, a);
      await expectRefused(tokenA, batch, 'events.333.sig', /not .*'s over this content/);
      batch.splice(333, 1);
      const ok = PushResponse.parse((await api.post('/v1/events', { events: batch }, tokenA)).body);
      expect(ok.results.filter((r) => r.status === 'accepted')).toHaveLength(399);
    });

    it('refuses events of an unknown key and of a device enrolled in another facility', async () => {
      const facility = uniqueFacility('Skänninge');
      const other = uniqueFacility('Saltvik');
      const a = uniqueDevice('ws-a');
      const stranger = uniqueDevice('ws-x');
      const elsewhere = uniqueDevice('ws-g');
      const { deviceToken: tokenA } = await enrol(facility, a);
      await enrol(other, elsewhere);
      await expectRefused(
        tokenA,
        [consoleEvents(stranger).incidentCreated(facility)],
        'events.0.deviceId',
        /not enrolled \(no key known\)/,
      );
      await expectRefused(
        tokenA,
        [consoleEvents(elsewhere).incidentCreated(facility)],
        'events.0.deviceId',
        /is not enrolled in/,
      );
    });

    it('refuses a tampered payload, a renumbered feed and a replay re-signed as another device', async () => {
      const facility = uniqueFacility('Norrtälje');
      const a = uniqueDevice('ws-a');
      const b = uniqueDevice('ws-b');
      const { deviceToken: tokenA } = await enrol(facility, a);
      const { deviceToken: tokenB } = await enrol(facility, b);
      const original = consoleEvents(b).incidentCreated(facility);
      expect((await api.post('/v1/events', { events: [original] }, tokenB)).status).toBe(200);

      const tampered = { ...original, payload: { ...(original.payload as object), severity: 'low' } };
      await expectRefused(tokenA, [tampered], 'events.0.sig', /tampered/);
      await expectRefused(tokenA, [{ ...original, deviceSeq: 99 }], 'events.0.sig', /tampered/);
      // A replays B's stored event claiming to be its author and signs it with its own key.
      await expectRefused(tokenA, [signAsAuthor({ ...original, deviceId: a }, b)], 'events.0.sig', /tampered/);
      // Re-signed properly by A as A's own: a second fact under a stored id is a conflict.
      const resigned = await api.post('/v1/events', { events: [signAsAuthor({ ...original, deviceId: a })] }, tokenA);
      expect(resigned.status).toBe(409);
      // The honest replay of the stored event stays a harmless duplicate.
      const replay = PushResponse.parse((await api.post('/v1/events', { events: [original] }, tokenA)).body);
      expect(replay.results[0]!.status).toBe('duplicate');
      expect((await pulled(tokenB)).map((e) => e.id)).toEqual([original.id]);
    });

    it('admits pre-signature events only from their own author, and only from before its key was bound', async () => {
      const facility = uniqueFacility('Kalmar');
      const peer = uniqueDevice('ws-p');
      const { deviceToken: peerToken } = await enrol(facility, peer);
      // A console enrolled before signing existed: a device row with no key (as migration 0004 leaves it).
      const legacy = uniqueDevice('ws-legacy');
      const legacyToken = newDeviceToken();
      await store.db
        .insertInto('devices')
        .values({
          id: randomUUID(),
          device_id: legacy,
          facility,
          label: 'gammal',
          token_hash: hashSecret(legacyToken),
          created_at: Date.now(),
          revoked_at: null,
          public_key: null,
          key_bound_at: null,
        })
        .execute();
      const old = consoleEvents(legacy);
      const backlog = unsigned({
        ...old.incidentCreated(facility),
        hlc: encodeHlc({ wallMs: Date.now() - 2 * HOUR_MS, counter: 0, node: legacy }),
      });
      expect(
        (await api.post('/v1/events', { events: [unsigned(old.incidentCreated(facility))] }, legacyToken)).status,
      ).toBe(200);
      // Nobody else may relay its unsigned events.
      await expectRefused(peerToken, [backlog], 'events.0.sig', /carries no signature/);

      const bound = await api.post('/v1/device-key', { publicKey: testKey(legacy).publicKey }, legacyToken);
      expect(bound.status).toBe(200);
      expect(DeviceKeyResponse.parse(bound.body).boundAt).toBeGreaterThan(0);
      // Its backlog from before the binding still goes through; anything newer must be signed.
      expect((await api.post('/v1/events', { events: [backlog] }, legacyToken)).status).toBe(200);
      await expectRefused(legacyToken, [unsigned(old.incidentCreated(facility))], 'events.0.sig', /no signature/);
      expect((await api.post('/v1/events', { events: [old.incidentCreated(facility)] }, legacyToken)).status).toBe(200);
      // The same key again is a no-op; another key is refused.
      expect((await api.post('/v1/device-key', { publicKey: testKey(legacy).publicKey }, legacyToken)).status).toBe(
        200,
      );
      const other = await api.post('/v1/device-key', { publicKey: testKey(uniqueDevice('x')).publicKey }, legacyToken);
      expect(other.status).toBe(409);
    });

    it('refuses to enrol a device as the tracker’s own author id', async () => {
      const code = await api.post('/v1/admin/enrolment-codes', { facility: uniqueFacility('Ystad') }, hq);
      const r = await api.post('/v1/enroll', {
        code: code.body.code,
        deviceId: 'tracker',
        label: '',
        publicKey: testKey('tracker').publicKey,
      });
      expect(r.status).toBe(400);
      expect(TrackerError.parse(r.body).field).toBe('deviceId');
    });
  });
}
