/**
 * A console facing a hostile peer on the LAN. The peer holds a key the console trusts
 * (a console paired earlier, whose key file the attacker has), or none at all, and sends
 * hand-made frames over real mutual TLS: forged, tampered, replayed and re-signed events,
 * garbage, oversized frames, a flood. Each is refused with a clear reason and logged;
 * nothing of a refused batch is stored, and the console keeps working. A peer lying that
 * the tracker holds this console's pending events lowers the count shown, never the outbox.
 */
import tls from 'node:tls';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../src-main/core/mesh/certificate.ts';
import { createFrameDecoder, encodeFrame } from '../../../src-main/core/mesh/frame-codec.ts';
import type { MeshFrame } from '../../../src-shared/mesh-wire.ts';
import type { MeshPairingCode } from '../../../src-shared/sync.ts';
import type { StoredEvent } from '../../../src-shared/events.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { authorHash, signEnvelope } from '../../../src-common/trust/index.ts';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { meshAttack, type MeshAttacker } from '../../support/mesh-attacker.ts';

let target: TestConsole;
let address: { host: string; port: number };
/** The paired console whose key the attacker holds. */
let stolen: { deviceId: string; privateKey: KeyObject; publicKey: KeyObject };
/** Another paired console (a third device): its events can be relayed, not forged. */
let third: TestConsole;
let thirdEvent: StoredEvent;
let stolenEvent: StoredEvent;

async function meshConsole(name: string): Promise<TestConsole> {
  const c = openTestConsole({ mesh: { listen: '127.0.0.1:0', name, backoffBaseMs: 50, backoffCapMs: 500 } });
  await c.call('auth.bootstrapAdmin', { staffNumber: `A-${name}`, name: `Admin ${name}`, pin: '1111' });
  c.core.sync.start();
  await c.core.ready;
  await c.core.mesh.listening();
  return c;
}

async function pair(host: TestConsole, guest: TestConsole): Promise<void> {
  const shown = await host.call<MeshPairingCode>('mesh.pairingCode');
  await guest.call('mesh.pair', { address: shown.address, code: shown.code });
}

beforeAll(async () => {
  target = await meshConsole('T');
  const p = await meshConsole('P');
  third = await meshConsole('Q');
  await pair(target, p);
  await pair(target, third);
  const made = await p.call<{ id: string }>('incidents.create', incidentInput({ title: 'P:s händelse' }));
  stolenEvent = p.core.store.streamEvents(made.id)[0]!;
  const fromThird = await third.call<{ id: string }>('incidents.create', incidentInput({ title: 'Q:s händelse' }));
  thirdEvent = third.core.store.streamEvents(fromThird.id)[0]!;
  stolen = {
    deviceId: p.core.info().deviceId,
    privateKey: p.core.identity.privateKey,
    publicKey: createPublicKey(p.core.identity.privateKey),
  };
  await p.close();
  const listening = (await target.core.mesh.listening())!;
  address = { host: '127.0.0.1', port: Number(listening.slice(listening.lastIndexOf(':') + 1)) };
  // Let Q's own session with T settle before the attacks, so T's log holds Q's event already or not at all.
});

afterAll(async () => {
  await third?.close();
  await target?.close();
  cleanupTestConsoles();
});

interface Exchange {
  /** Frames the target sent until it closed the connection. */
  frames: MeshFrame[];
}

/** Connect as `as` (key and claimed id), say hello, send `frames` after the target subscribed. */
async function attack(as: MeshAttacker, payloads: (Buffer | MeshFrame)[], facility = 'Märsta'): Promise<Exchange> {
  return { frames: await meshAttack(address, as, payloads, { facility }) };
}

const refusal = (x: Exchange) =>
  x.frames.find((f) => f.t === 'refuse') as { code: string; message: string } | undefined;
const held = (id: string) => target.core.store.getEvent(id) !== null;
const refusedLog = () =>
  target.core.store.db.prepare('SELECT event_id, code FROM refused_events').all() as {
    event_id: string;
    code: string;
  }[];

function feed(e: StoredEvent, patch: Partial<StoredEvent> = {}) {
  const { prevHash: _p, hash: _h, syncedAt: _s, ...envelope } = { ...e, ...patch };
  return { ...envelope, seq: e.seq, serverSeq: null };
}

describe('a hostile peer', () => {
  it('refuses a device whose key the facility does not know', async () => {
    const stranger = generateKeyPairSync('ed25519');
    const x = await attack({ deviceId: 'stranger', ...stranger }, []);
    expect(refusal(x)?.code).toBe('unknown_device');
  });

  it('refuses a trusted key claiming another facility', async () => {
    const x = await attack(stolen, [], 'Kumla');
    expect(refusal(x)?.code).toBe('other_facility');
  });

  it('refuses a known key claiming to be another device', async () => {
    const x = await attack({ ...stolen, deviceId: third.core.info().deviceId }, []);
    expect(refusal(x)?.code).toBe('unknown_device');
  });

  it('refuses a tampered payload, logs it, and stores the good event of its batch', async () => {
    // A well-signed event the target has never seen (the attacker holds P's key)…
    const good = feed(stolenEvent, {
      id: '01a24000-0000-7000-8000-000000000010',
      streamId: '01a24000-0000-7000-8000-000000000011',
    });
    good.sig = signEnvelope(good, stolen.privateKey);
    // …and a copy with the payload changed after signing.
    const tampered = feed(stolenEvent, {
      id: '01a24000-0000-7000-8000-000000000001',
      payload: { ...(stolenEvent.payload as object), title: 'Ändrad i efterhand' },
    });
    const x = await attack(stolen, [{ t: 'events', events: [good, tampered], last: 2 }]);
    expect(refusal(x)?.code).toBe('bad_signature');
    expect(held(tampered.id)).toBe(false);
    expect(held(good.id)).toBe(true); // exactly the bad event is refused, nothing else lost
    expect(refusedLog().some((r) => r.event_id === tampered.id && r.code === 'bad_signature')).toBe(true);
  });

  it('refuses an event re-signed by the relaying device as if another device authored it', async () => {
    const resigned = feed(thirdEvent, { id: '01a24000-0000-7000-8000-000000000002' });
    resigned.sig = signEnvelope(resigned, stolen.privateKey);
    const x = await attack(stolen, [{ t: 'events', events: [resigned], last: 1 }]);
    expect(refusal(x)?.code).toBe('bad_signature');
    expect(held(resigned.id)).toBe(false);
  });

  it('refuses a replayed id with different content', async () => {
    const original = feed(stolenEvent);
    const first = await attack(stolen, [{ t: 'events', events: [original], last: 1 }]);
    expect(refusal(first)).toBeUndefined();
    expect(held(original.id)).toBe(true);
    const replay = feed(stolenEvent, { payload: { ...(stolenEvent.payload as object), title: 'Omspelad' } });
    replay.sig = signEnvelope(replay, stolen.privateKey);
    const x = await attack(stolen, [{ t: 'events', events: [replay], last: 2 }]);
    expect(refusal(x)?.code).toBe('bad_event');
    expect((target.core.store.getEvent(original.id)!.payload as { title: string }).title).toBe('P:s händelse');
  });

  it('refuses a relayed event of a third device whose signature is bad', async () => {
    const forged = feed(thirdEvent, {
      id: '01a24000-0000-7000-8000-000000000003',
      payload: { ...(thirdEvent.payload as object), title: 'Förfalskad' },
    });
    const x = await attack(stolen, [{ t: 'events', events: [forged], last: 1 }]);
    expect(refusal(x)?.code).toBe('bad_signature');
    expect(held(forged.id)).toBe(false);
  });

  it('refuses garbage, an oversized frame and a flood, and keeps working', async () => {
    const garbage = Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from('nope!')]);
    expect(refusal(await attack(stolen, [garbage]))?.code).toBe('bad_frame');
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(64 * 1024 * 1024);
    expect(refusal(await attack(stolen, [huge]))?.code).toBe('frame_too_large');
    const pings = Array.from({ length: 5000 }, () => ({ t: 'ping' }) as MeshFrame);
    expect(refusal(await attack(stolen, [Buffer.concat(pings.map((p) => encodeFrame(p)))]))?.code).toBe('flooding');
    const after = await target.call<{ id: string }>('incidents.create', incidentInput({ title: 'Fortfarande igång' }));
    expect(target.core.store.streamEvents(after.id).map((e) => e.type)).toContain('incident.created');
  });

  it("takes a peer's word that the tracker holds its pending events only as a vouch: the count drops, the outbox keeps them", async () => {
    const outbox = target.core.store.outboxCount();
    expect(target.core.sync.status().pending).toBe(outbox);
    const unknown = '01a24000-0000-7000-8000-0000000000ff';
    const credentials = selfSignedCertificate(stolen, 'attacker');
    const asked = await new Promise<string[]>((resolve, reject) => {
      const decoder = createFrameDecoder();
      const socket = tls.connect({
        ...address,
        ...credentials,
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        minVersion: 'TLSv1.3',
      });
      const timer = setTimeout(() => reject(new Error('the target never asked')), 15_000);
      socket.on('secureConnect', () =>
        socket.write(
          encodeFrame({
            t: 'hello',
            v: 1,
            deviceId: stolen.deviceId,
            facility: 'Märsta',
            name: 'X',
            unit: 'X',
            head: 0,
            tracker: 'live',
          }),
        ),
      );
      socket.on('data', (chunk: Buffer) => {
        for (const f of decoder.push(chunk)) {
          if (f.t !== 'tracker_ask') continue;
          // The lie: every asked id "held by the tracker", plus one this console never had.
          const acks = [...f.ids, unknown].map((id, i) => ({ id, serverSeq: 1000 + i }));
          socket.write(encodeFrame({ t: 'tracker_held', acks }));
          clearTimeout(timer);
          setTimeout(() => socket.end(), 200);
          resolve(f.ids);
        }
      });
      socket.on('error', () => undefined);
    });
    expect(asked.length).toBe(outbox);
    await expect.poll(() => target.core.sync.status().pending, { timeout: 10_000 }).toBe(0);
    // Nothing left the outbox (the console still pushes all of it to the tracker itself), and the
    // id it never held was not taken.
    expect(target.core.store.outboxCount()).toBe(outbox);
    const vouched = target.core.store.db.prepare('SELECT id FROM temp.mesh_vouched').all() as { id: string }[];
    expect(vouched.map((v) => v.id)).not.toContain(unknown);
    expect(vouched.length).toBe(outbox);
  });

  it('refuses an event far ahead of its clock (clock skew) with a clear reason', async () => {
    const future = feed(stolenEvent, {
      id: '01a24000-0000-7000-8000-000000000004',
      hlc: encodeHlc({ wallMs: Date.now() + 3 * 24 * 3600_000, counter: 0, node: stolen.deviceId }),
    });
    future.sig = signEnvelope(future, stolen.privateKey);
    const x = await attack(stolen, [{ t: 'events', events: [future], last: 1 }]);
    expect(refusal(x)?.code).toBe('clock_skew');
    expect(refusal(x)?.message).toMatch(/h ahead/);
    expect(held(future.id)).toBe(false);
  });

  describe('author runs (one signature per linked run, exactly the bad events refused)', () => {
    let serial = 0x100;
    /** A linked run of `count` events authored by `as` (whose key the test holds), modelled on `base`. */
    function run(as: { deviceId: string; privateKey: KeyObject }, base: StoredEvent, count: number) {
      const firstSeq = 10_000 + serial; // far past the author's real feed: an unanchored run
      let prev: string | undefined;
      return Array.from({ length: count }, (_, i) => {
        serial += 1;
        const hex = serial.toString(16).padStart(12, '0');
        const e = feed(base, {
          id: `01a24000-0000-7000-8000-${hex}`,
          streamId: `01a24000-0000-7000-9000-${hex}`,
          deviceId: as.deviceId,
          deviceSeq: firstSeq + i,
        });
        delete e.prev;
        if (prev !== undefined) e.prev = prev;
        e.sig = signEnvelope(e, as.privateKey);
        prev = authorHash(e)!;
        return e;
      });
    }
    const refusedIds = () => new Set(refusedLog().map((r) => r.event_id));
    const qKey = () => ({ deviceId: third.core.info().deviceId, privateKey: third.core.identity.privateKey });

    it('stores every event of a reordered run: order on the wire does not matter', async () => {
      const events = run(stolen, stolenEvent, 12).reverse();
      const x = await attack(stolen, [{ t: 'events', events, last: 1 }]);
      expect(refusal(x)).toBeUndefined();
      expect(events.every((e) => held(e.id))).toBe(true);
    });

    it('refuses exactly a tampered middle event of a run', async () => {
      const events = run(stolen, stolenEvent, 12);
      events[5]!.payload = { ...(events[5]!.payload as object), title: 'Ändrad mitt i serien' };
      const x = await attack(stolen, [{ t: 'events', events, last: 2 }]);
      expect(refusal(x)?.code).toBe('bad_signature');
      expect(events.filter((e) => !held(e.id)).map((e) => e.id)).toEqual([events[5]!.id]);
      expect(refusedIds().has(events[5]!.id)).toBe(true);
    });

    it('refuses exactly an event whose prev was forged', async () => {
      const events = run(stolen, stolenEvent, 12);
      events[7]!.prev = authorHash(thirdEvent)!;
      const x = await attack(stolen, [{ t: 'events', events, last: 3 }]);
      expect(refusal(x)?.code).toBe('bad_signature');
      expect(events.filter((e) => !held(e.id)).map((e) => e.id)).toEqual([events[7]!.id]);
      expect(refusedIds().has(events[7]!.id)).toBe(true);
    });

    it('refuses exactly a run head signed by another device, and stores the run before it', async () => {
      const events = run(stolen, stolenEvent, 12);
      const head = events.at(-1)!;
      head.sig = signEnvelope(head, qKey().privateKey);
      const x = await attack(stolen, [{ t: 'events', events, last: 4 }]);
      expect(refusal(x)?.code).toBe('bad_signature');
      expect(events.filter((e) => !held(e.id)).map((e) => e.id)).toEqual([head.id]);
      expect(refusedLog().find((r) => r.event_id === head.id)?.code).toBe('bad_signature');
    });

    it('refuses a run whose first link contradicts the feed the console holds, as a fork', async () => {
      const before = run(stolen, stolenEvent, 3);
      expect(refusal(await attack(stolen, [{ t: 'events', events: before, last: 6 }]))).toBeUndefined();
      expect(before.every((e) => held(e.id))).toBe(true);
      // The author's key signs a continuation that does not follow what the console holds
      // (as a data directory restored from an old backup would): its prev names event 1, not 3.
      const [fork] = run(stolen, stolenEvent, 1);
      delete fork!.prev;
      fork!.deviceSeq = before[2]!.deviceSeq! + 1;
      fork!.prev = authorHash(before[0]!)!;
      fork!.sig = signEnvelope(fork!, stolen.privateKey);
      const x = await attack(stolen, [{ t: 'events', events: [fork!], last: 7 }]);
      expect(refusal(x)?.code).toBe('bad_signature');
      expect(held(fork!.id)).toBe(false);
      expect(refusedLog().find((r) => r.event_id === fork!.id)?.code).toBe('fork');
    });

    it('refuses exactly the bad event of a relayed run of a third device', async () => {
      const events = run(qKey(), thirdEvent, 12);
      events[3]!.payload = { ...(events[3]!.payload as object), title: 'Förfalskad i reläet' };
      const x = await attack(stolen, [{ t: 'events', events, last: 5 }]);
      expect(refusal(x)?.code).toBe('bad_signature');
      expect(events.filter((e) => !held(e.id)).map((e) => e.id)).toEqual([events[3]!.id]);
      expect(refusedIds().has(events[3]!.id)).toBe(true);
    });
  });
});
