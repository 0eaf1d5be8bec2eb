/**
 * The console's half of signed events, with real consoles and a real tracker process:
 * a console pushes every event it holds that the tracker lacks, whoever authored it
 * (store-and-forward: a peer's events reach HQ through it), and a console verifies
 * what it pulls — an event altered at the tracker is refused, logged, never stored.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceToken, enrol, enrolmentCode, live, trackerEvents, waitForSync } from '../sync/sync-lab.ts';
import { syncLab } from '../sync/sync-lab-scope.ts';
import { incidentInput } from '../../support/incidents.ts';

const lab = syncLab('guardline-console-trust-', { closeAfter: 'each' });

describe('console trust', () => {
  it('carries a peer’s events to the tracker, which keeps each exactly once under its author', async () => {
    const tracker = await lab.startTracker();
    const a = await lab.syncConsole('a');
    const b = await lab.syncConsole('b');
    await enrol(a, tracker.url, await enrolmentCode(tracker.url));
    await enrol(b, tracker.url, await enrolmentCode(tracker.url));
    await waitForSync(b, live, 'B in step', 20_000);
    // A learns B's key from the device record in the facility's log.
    await waitForSync(
      a,
      (s) => live(s) && a.core.trust.keyring.entries(b.core.identity.deviceId).length > 0,
      'A to know B',
    );

    // B's WAN goes: it keeps logging.
    await b.core.sync.stop();
    await b.signIn('A-b', '1111');
    const created = await b.call<{ id: string }>('incidents.create', incidentInput({ title: 'Hot i korridor C' }));
    const fromB = b.events().filter((e) => e.syncedAt === null);
    expect(fromB.length).toBeGreaterThan(0);

    // The LAN carries them to A (issue 12b's replication does this over TLS; here, its effect).
    const { accepted, refused } = a.core.trust.screen(fromB, `peer:${b.core.identity.deviceId}`);
    expect(refused).toBe(0);
    a.core.store.append(accepted, { received: true });
    a.core.dispatch('sync.retryNow', {}, { origin: 'test' });
    await waitForSync(a, live, 'A to forward B’s events', 20_000);

    const held = await trackerEvents(tracker.url, deviceToken(a));
    for (const e of fromB) {
      const copies = held.filter((h) => h.id === e.id);
      expect(copies).toHaveLength(1);
      expect(copies[0]).toMatchObject({ deviceId: b.core.identity.deviceId, deviceSeq: e.deviceSeq, sig: e.sig });
    }
    expect(held.some((h) => h.streamId === created.id)).toBe(true);

    // B's WAN returns: its own push finds them there already; nothing is stored twice.
    b.core.sync.start();
    await waitForSync(b, live, 'B to catch up', 20_000);
    const after = await trackerEvents(tracker.url, deviceToken(b));
    expect(after.filter((h) => fromB.some((e) => e.id === h.id))).toHaveLength(fromB.length);
    expect(new Set(after.map((e) => e.id)).size).toBe(after.length);
  });

  it('refuses and logs a pulled event whose content was altered at the tracker, and stores nothing of it', async () => {
    const trackerFile = join(lab.dir, 'tracker.sqlite');
    const tracker = await lab.startTracker();
    const a = await lab.syncConsole('a');
    const b = await lab.syncConsole('b', { sync: { start: false } });
    await enrol(a, tracker.url, await enrolmentCode(tracker.url));
    await a.signIn('A-a', '1111');
    const created = await a.call<{ id: string }>('incidents.create', incidentInput({ title: 'Brand i tvättstugan' }));
    await waitForSync(a, live, 'A to push');
    const original = a.events('incident.created').find((e) => e.streamId === created.id)!;

    // Someone with write access to the tracker's database edits the stored fact.
    const raw = new Database(trackerFile);
    raw
      .prepare('UPDATE events SET payload = ? WHERE id = ?')
      .run(JSON.stringify({ ...(original.payload as object), title: 'Inget hände' }), original.id);
    // …and passes another one off as pre-signature by stripping its signature.
    const stripped = a
      .events()
      .find((e) => e.id !== original.id && e.sig !== undefined && e.type !== 'device.enrolled')!;
    raw.prepare('UPDATE events SET sig = NULL, device_seq = NULL WHERE id = ?').run(stripped.id);
    raw.close();

    await enrol(b, tracker.url, await enrolmentCode(tracker.url));
    await waitForSync(b, (s) => live(s) && s.lastPulledSeq > 0, 'B to pull the facility');
    expect(b.core.store.getEvent(original.id)).toBeNull();
    expect(b.core.store.getEvent(stripped.id)).toBeNull();
    expect(b.core.trust.refused()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventId: original.id, source: 'tracker', code: 'bad_signature', field: 'sig' }),
        expect.objectContaining({ eventId: stripped.id, source: 'tracker', code: 'unsigned', field: 'sig' }),
      ]),
    );
    expect(b.core.trust.refused()).toHaveLength(2);
    // The rest of A's events (signed, intact) arrived.
    expect(b.events().filter((e) => e.deviceId === a.core.identity.deviceId).length).toBeGreaterThan(0);
  });

  it('refuses what a peer offers unless its author signed it: forged, unsigned, unknown, or rebinding a key', async () => {
    const tracker = await lab.startTracker();
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => lab.syncConsole(n)));
    for (const x of [a!, b!, c!]) await enrol(x, tracker.url, await enrolmentCode(tracker.url));
    const cId = c!.core.identity.deviceId;
    await waitForSync(
      a!,
      (s) =>
        live(s) &&
        a!.core.trust.keyring.entries(cId).length > 0 &&
        a!.core.trust.keyring.entries(b!.core.identity.deviceId).length > 0,
      'A to know B and C',
      20_000,
    );
    await c!.signIn('A-c', '1111');
    await c!.call('incidents.create', incidentInput({ title: 'Larm från C' }));
    const fromC = c!.events('incident.created').at(-1)!;
    const peer = `peer:${b!.core.identity.deviceId}` as const;
    const before = a!.events().length;

    // B relays C's event with a changed title: C never signed that.
    const forged = { ...fromC, payload: { ...(fromC.payload as object), title: 'Inget larm' } };
    // B offers C's event stripped of its signature, as a pre-signature event.
    const { sig: _sig, deviceSeq: _seq, ...stripped } = fromC;
    // B invents a device.
    const invented = { ...fromC, id: '019a0000-0000-7000-8000-0000000000aa', deviceId: 'ws-invented' };
    const { accepted, refused } = a!.core.trust.screen([forged, stripped, invented, fromC], peer);
    expect(refused).toBe(3);
    expect(accepted.map((e) => e.id)).toEqual([fromC.id]);
    expect(a!.core.trust.refused().map((r) => [r.code, r.field])).toEqual([
      ['unknown_device', 'deviceId'],
      ['unsigned', 'sig'],
      ['bad_signature', 'sig'],
    ]);
    expect(a!.events().length).toBe(before);

    // A console may record a device, but never bind a new key to one that has a key.
    const rebind = {
      id: '019a0000-0000-7000-8000-0000000000bb',
      streamId: `device:${cId}`,
      type: 'device.enrolled' as const,
      payload: {
        deviceId: cId,
        publicKey: b!.core.identity.publicKey,
        facility: 'Märsta',
        label: 'kapad',
        enrolledBy: b!.core.identity.deviceId,
      },
      actor: 'A-b',
      deviceId: b!.core.identity.deviceId,
      deviceTime: Date.now(),
      hlc: fromC.hlc.replace(/-[^-]+$/, `-${b!.core.identity.deviceId}`),
      deviceSeq: 10_000,
    };
    const signedRebind = { ...rebind, sig: b!.core.identity.signEvent(rebind) };
    expect(a!.core.trust.verify(signedRebind, peer)).toMatchObject({
      ok: false,
      code: 'key_mismatch',
      field: 'payload.publicKey',
    });
  });
});
