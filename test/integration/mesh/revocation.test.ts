/**
 * Facility-wide peer removal (issue 12): three consoles, each a process of its own with a
 * real mutual-TLS mesh listener on loopback, and a real tracker process. C is enrolled and
 * replicating; the admin on A revokes C. The signed `device.revoked` record reaches B over
 * the mesh, and B drops its session with C and refuses C's later events (the author gate
 * withholds them, logged); the tracker, reached by A's push, revokes C's token as HQ would
 * and refuses C's later events even when another console relays them, while C's events up
 * to the record's cutoff stay valid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentNow } from '../../support/incidents.ts';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import { trackerClient } from '../tracker/http-client.ts';
import { enrolmentCode, FACILITY, hqAdmin, startTracker } from '../sync/sync-lab.ts';
import { startConsoleProcess, type ConsoleProcess } from '../../support/console-process-client.ts';
import { writeMeshConfig } from '../../support/mesh-config.ts';
import type { StoredEvent } from '../../../src-shared/events.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { deviceStreamId } from '../../../src-shared/signed-envelope.ts';
import { TrackerError } from '../../../src-shared/sync-wire.ts';

const ADMIN = { staffNumber: 'A1', name: 'Åsa Admin', pin: '112233' };
const WAIT_MS = 60_000;

let dir: string;
let tracker: ChildTracker;
const consoles: ConsoleProcess[] = [];
let a: ConsoleProcess;
let b: ConsoleProcess;
let c: ConsoleProcess;
let before: Incident;
let after: Incident;

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > WAIT_MS)
      throw new Error(`timed out waiting for ${what}\nA:\n${a.log()}\nB:\n${b.log()}\nC:\n${c.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const connected = async (x: ConsoleProcess) =>
  (await x.status()).mesh.peers.filter((p) => p.state === 'connected').map((p) => p.deviceId);

function incident(on: ConsoleProcess, title: string): Promise<Incident> {
  return on.call<Incident>('incidents.create', incidentNow(title, ADMIN.staffNumber, { facility: FACILITY }));
}

const envelope = ({ seq: _s, prevHash: _p, hash: _h, syncedAt: _y, serverSeq: _v, ...e }: StoredEvent) => e;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-revocation-'));
  tracker = await startTracker(join(dir, 'tracker.sqlite'));
  const start = (name: string) => {
    const configFile = join(dir, `${name}.config.json`);
    writeMeshConfig(configFile, { peers: [] }, FACILITY);
    return startConsoleProcess((cmd, args) => spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] }), {
      dataFile: join(dir, `${name}.sqlite`),
      configFile,
      listen: '127.0.0.1:0',
      name: name.toUpperCase(),
      unit: 'Avdelning B',
      facility: FACILITY,
    });
  };
  [a, b, c] = await Promise.all([start('a'), start('b'), start('c')]);
  consoles.push(a, b, c);
  const peers = consoles.map((x) => x.mesh);
  for (const name of ['a', 'b', 'c']) writeMeshConfig(join(dir, `${name}.config.json`), { peers }, FACILITY);

  await a.call('auth.bootstrapAdmin', ADMIN);
  for (const x of consoles) {
    await x.call('sync.enroll', {
      trackerUrl: tracker.url,
      code: await enrolmentCode(tracker.url),
      label: x === a ? 'A' : x === b ? 'B' : 'C',
      adoptFacility: true,
    });
  }
  for (const x of consoles) await eventually('a full mesh', async () => (await connected(x)).length === 2);
  // The admin reaches C's roster through the tracker; C writes as that admin.
  await eventually('the admin can sign in on C', async () =>
    c.call('auth.signIn', { staffNumber: ADMIN.staffNumber, pin: ADMIN.pin }).then(
      () => true,
      () => false,
    ),
  );
  before = await incident(c, 'Före återkallelsen');
  await b.call('test.waitForStream', { streamId: before.id });
  await a.call('test.waitForStream', { streamId: before.id });
}, 180_000);

afterAll(async () => {
  await Promise.all(consoles.map((x) => x.stop()));
  await tracker?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('revoking a console for the whole facility', () => {
  it('A revokes C: the signed record reaches B, which drops its session with C', async () => {
    expect(await connected(b)).toContain(c.deviceId);
    // Admin only (A's admin is signed in since bootstrap); C's own copy is numbered up to its
    // last event A holds: the cutoff.
    const cHead = Math.max(
      ...(await a.call<StoredEvent[]>('test.stream', { streamId: before.id }))
        .filter((e) => e.deviceId === c.deviceId)
        .map((e) => e.deviceSeq ?? 0),
    );
    await a.call('mesh.revokeDevice', { deviceId: c.deviceId, reason: 'Stulen dator' });
    const record = await b.call<StoredEvent>('test.waitForStream', {
      streamId: deviceStreamId(c.deviceId),
      type: 'device.revoked',
    });
    expect(record.deviceId).toBe(a.deviceId);
    expect(record.sig).toBeTruthy();
    const payload = record.payload as { deviceId: string; throughSeq: number; revokedBy: string };
    expect(payload).toMatchObject({ deviceId: c.deviceId, revokedBy: a.deviceId });
    expect(payload.throughSeq).toBeGreaterThanOrEqual(cHead);

    await eventually('B and A without C', async () => {
      const [atA, atB] = await Promise.all([connected(a), connected(b)]);
      return !atA.includes(c.deviceId) && !atB.includes(c.deviceId) && atA.includes(b.deviceId);
    });
    expect(b.log()).toContain(`mesh: ${c.deviceId} was revoked for the facility`);
    // A revoked console is not trusted again when it dials.
    await eventually('B refuses C at the handshake', async () =>
      /refused \S+: unknown_device: device \S+ presents a key this facility does not know/.test(b.log()),
    );
    expect(await connected(b)).not.toContain(c.deviceId);

    // A second revocation of the same console is refused with a reason; nobody but an admin revokes.
    await expect(a.call('mesh.revokeDevice', { deviceId: c.deviceId })).rejects.toThrow(/already revoked/);
  });

  it("B refuses C's events written after the revocation, and keeps those before it", async () => {
    after = await incident(c, 'Efter återkallelsen');
    const [created] = await c.call<StoredEvent[]>('test.stream', { streamId: after.id });
    const screened = await b.call<{ accepted: number; refused: number; withheld: number }>('test.screen', {
      events: [envelope(created!)],
      source: `peer:${a.deviceId}`,
    });
    expect(screened).toEqual({ accepted: 0, refused: 0, withheld: 1 });
    const refused = await b.call<{ eventId: string; reason: string }[]>('test.refused');
    expect(refused.find((r) => r.eventId === created!.id)?.reason).toMatch(/was revoked after its event #\d+/);
    expect(await b.call('test.hasEvent', { eventId: created!.id })).toBe(false);
    // C's earlier incident stays everywhere.
    expect((await b.call<StoredEvent[]>('test.stream', { streamId: before.id })).length).toBeGreaterThan(0);
  });

  it("the tracker refuses C's token and C's later events even when relayed; earlier ones stay valid", async () => {
    const http = trackerClient(tracker.url);
    const cToken = (await c.call<string>('test.meta', { key: 'sync.device_token' }))!;
    const aToken = (await a.call<string>('test.meta', { key: 'sync.device_token' }))!;
    await eventually(
      'the tracker revoked C',
      async () => (await http.get('/v1/events?after=0', cToken)).status === 401,
    );
    expect((await http.get('/v1/events?after=0', aToken)).status).toBe(200);

    const [created] = await c.call<StoredEvent[]>('test.stream', { streamId: after.id });
    const relayed = await http.post('/v1/events', { events: [envelope(created!)] }, aToken);
    expect(relayed.status).toBe(403);
    const error = TrackerError.parse(relayed.body);
    expect(error).toMatchObject({ code: 'forbidden', field: 'events.0.deviceId' });
    expect(error.message).toMatch(/was revoked after its event #\d+/);

    const [earlier] = (await a.call<StoredEvent[]>('test.stream', { streamId: before.id })).filter(
      (e) => e.deviceId === c.deviceId,
    );
    const again = await http.post<{ results: { status: string }[] }>(
      '/v1/events',
      { events: [envelope(earlier!)] },
      aToken,
    );
    expect(again.status).toBe(200);
    expect(again.body.results[0]!.status).toBe('duplicate');
  });

  it('a pairing code does not bring a revoked console back', async () => {
    const records = async () =>
      (await a.call<StoredEvent[]>('test.stream', { streamId: deviceStreamId(c.deviceId) })).length;
    const held = await records();
    const { code } = await a.call<{ code: string }>('mesh.pairingCode');
    await expect(c.call('mesh.pair', { address: a.mesh, code })).rejects.toThrow(/refused the pairing code/);
    expect(a.log()).toMatch(/is revoked for this facility/);
    expect(await records()).toBe(held);
    expect(await connected(a)).not.toContain(c.deviceId);
  });

  it("HQ's revocation reaches the consoles too: a tracker-signed record, and A drops B", async () => {
    expect(await connected(a)).toContain(b.deviceId);
    const http = trackerClient(tracker.url);
    const hq = await hqAdmin(tracker.url);
    const listed = await http.get<{ devices: { id: string; deviceId: string }[] }>(
      `/v1/hq/devices?facility=${encodeURIComponent(FACILITY)}`,
      hq,
    );
    const row = listed.body.devices.find((d) => d.deviceId === b.deviceId)!;
    expect((await http.post(`/v1/admin/devices/${row.id}/revoke`, {}, hq)).status).toBe(204);
    const record = await a.call<StoredEvent>('test.waitForStream', {
      streamId: deviceStreamId(b.deviceId),
      type: 'device.revoked',
    });
    expect(record.deviceId).toBe('tracker');
    expect(record.payload).toMatchObject({ deviceId: b.deviceId, revokedBy: 'tracker', reason: 'HQ' });
    await eventually('A without B', async () => !(await connected(a)).includes(b.deviceId));
    // Revoking again writes no second record.
    expect((await http.post(`/v1/admin/devices/${row.id}/revoke`, {}, hq)).status).toBe(204);
    const all = await http.get<{ events: { type: string; streamId: string }[] }>(
      '/v1/events?after=0',
      (await a.call<string>('test.meta', { key: 'sync.device_token' }))!,
    );
    const records = all.body.events.filter(
      (e) => e.type === 'device.revoked' && e.streamId === deviceStreamId(b.deviceId),
    );
    expect(records).toHaveLength(1);
  });
});
