/**
 * Peers' frames prepared on a worker thread (core/mesh/frame-preparer.ts) are refused
 * exactly as frames parsed and checked on the console's thread: the same hostile frames
 * go, byte for byte, to a console that prepares every frame on its worker and to one that
 * prepares none there, and both answer the same refusal (code and message), store the
 * same events and log the same refusals. Then: a worker killed while it holds frames loses,
 * skips and reorders nothing, and frames stay in arrival order when large ones go to the
 * worker and small ones are parsed inline.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeFrame } from '../../../src-main/core/mesh/frame-codec.ts';
import type { FeedEvent, MeshFrame } from '../../../src-shared/mesh-wire.ts';
import type { MeshPairingCode } from '../../../src-shared/sync.ts';
import type { StoredEvent } from '../../../src-shared/events.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { authorHash, signEnvelope } from '../../../src-common/trust/index.ts';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { meshAttack } from '../../support/mesh-attacker.ts';
import { CURSOR_ONLY_DELAY_MS } from '../../../src-main/core/mesh/peer-session.ts';

interface Target {
  console: TestConsole;
  address: { host: string; port: number };
}
interface Author {
  deviceId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Prepares no frame on its worker. */
let inline: Target;
/** Prepares every frame on its worker (hello and pings included). */
let worker: Target;
/** Large frames on its worker, small ones inline (the default rule, with a lower bar). */
let mixed: Target;
let stolen: Author;
let third: Author;
let stolenEvent: StoredEvent;
let thirdEvent: StoredEvent;

async function meshConsole(name: string, offThreadBytes?: number): Promise<TestConsole> {
  const c = openTestConsole({
    mesh: {
      listen: '127.0.0.1:0',
      name,
      backoffBaseMs: 50,
      backoffCapMs: 500,
      ...(offThreadBytes !== undefined ? { limits: { offThreadBytes } } : {}),
    },
  });
  await c.call('auth.bootstrapAdmin', { staffNumber: `A-${name}`, name: `Admin ${name}`, pin: '1111' });
  c.core.sync.start();
  await c.core.ready;
  await c.core.mesh.listening();
  return c;
}

async function target(c: TestConsole): Promise<Target> {
  const listening = (await c.core.mesh.listening())!;
  return { console: c, address: { host: '127.0.0.1', port: Number(listening.slice(listening.lastIndexOf(':') + 1)) } };
}

async function pair(host: TestConsole, guest: TestConsole): Promise<void> {
  const shown = await host.call<MeshPairingCode>('mesh.pairingCode');
  await guest.call('mesh.pair', { address: shown.address, code: shown.code });
}

const authorOf = (c: TestConsole): Author => ({
  deviceId: c.core.info().deviceId,
  privateKey: c.core.identity.privateKey,
  publicKey: createPublicKey(c.core.identity.privateKey),
});

beforeAll(async () => {
  const consoles = await Promise.all([
    meshConsole('inline', Number.POSITIVE_INFINITY),
    meshConsole('worker', 0),
    meshConsole('mixed', 4096),
  ]);
  const p = await meshConsole('P');
  const q = await meshConsole('Q');
  for (const t of consoles) {
    await pair(t, p);
    await pair(t, q);
  }
  const made = await p.call<{ id: string }>('incidents.create', incidentInput({ title: 'P:s händelse' }));
  stolenEvent = p.core.store.streamEvents(made.id)[0]!;
  const fromQ = await q.call<{ id: string }>('incidents.create', incidentInput({ title: 'Q:s händelse' }));
  thirdEvent = q.core.store.streamEvents(fromQ.id)[0]!;
  stolen = authorOf(p);
  third = authorOf(q);
  await p.close();
  await q.close();
  inline = await target(consoles[0]);
  worker = await target(consoles[1]);
  mixed = await target(consoles[2]);
  // Frames arriving before a worker has loaded are prepared inline: start once both have.
  for (const t of [worker, mixed])
    await vi.waitFor(() => expect(t.console.core.mesh.framePreparer()?.jobs.ready(0)).toBe(true));
});

afterAll(async () => {
  for (const t of [inline, worker, mixed]) await t?.console.close();
  cleanupTestConsoles();
});

/** `meshAttack` against one of this file's targets. */
function attack(
  to: Target,
  as: Author,
  payloads: (Buffer | MeshFrame)[],
  options: Parameters<typeof meshAttack>[3] = {},
): Promise<MeshFrame[]> {
  return meshAttack(to.address, as, payloads, options);
}

function feed(e: StoredEvent, patch: Partial<StoredEvent> = {}): FeedEvent {
  const { prevHash: _p, hash: _h, syncedAt: _s, ...envelope } = { ...e, ...patch };
  return { ...envelope, seq: e.seq, serverSeq: null } as FeedEvent;
}

let serial = 0x5000;
const nextId = (kind = '8000') => `01a24000-0000-7000-${kind}-${(serial++).toString(16).padStart(12, '0')}`;

/** A linked run of `count` events by `as`, modelled on `base`, far past the author's real feed. */
function run(as: Author, base: StoredEvent, count: number): FeedEvent[] {
  const firstSeq = 100_000 + serial;
  let prev: string | undefined;
  return Array.from({ length: count }, (_, i) => {
    const e = feed(base, { id: nextId(), streamId: nextId('9000'), deviceId: as.deviceId, deviceSeq: firstSeq + i });
    delete e.prev;
    if (prev !== undefined) e.prev = prev;
    e.sig = signEnvelope(e, as.privateKey);
    prev = authorHash(e)!;
    return e;
  });
}

interface Outcome {
  refusal: { code: string; message: string } | null;
  held: string[];
  refused: { event_id: string; code: string; field: string | null; reason: string }[];
}

async function outcome(t: Target, frames: MeshFrame[], ids: readonly string[]): Promise<Outcome> {
  const refuse = frames.find((f) => f.t === 'refuse');
  const db = t.console.core.store.db;
  const list = JSON.stringify(ids);
  return {
    refusal: refuse ? { code: refuse.code, message: refuse.message } : null,
    held: ids.filter((id) => t.console.core.store.getEvent(id) !== null),
    refused: db
      .prepare(
        'SELECT event_id, code, field, reason FROM refused_events WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY id',
      )
      .all(list) as Outcome['refused'],
  };
}

/** Sends the same bytes to the inline and the worker console; both must end alike. */
async function same(
  payloads: (Buffer | MeshFrame)[],
  ids: readonly string[],
  options: { as?: Author; facility?: string } = {},
): Promise<Outcome> {
  const before = worker.console.core.mesh.framePreparer()!.counts.offThread;
  const results: Outcome[] = [];
  for (const t of [inline, worker]) {
    const frames = await attack(
      t,
      options.as ?? stolen,
      payloads,
      options.facility ? { facility: options.facility } : {},
    );
    results.push(await outcome(t, frames, ids));
  }
  expect(worker.console.core.mesh.framePreparer()!.counts.offThread).toBeGreaterThan(before);
  expect(results[1]).toEqual(results[0]);
  return results[0]!;
}

describe('frames prepared on the worker are refused exactly like frames checked inline', () => {
  it('a device whose key the facility does not know, and a trusted key claiming another facility', async () => {
    const stranger = generateKeyPairSync('ed25519');
    const unknown = await same([], [], { as: { deviceId: 'stranger', ...stranger } });
    expect(unknown.refusal?.code).toBe('unknown_device');
    const elsewhere = await same([], [], { facility: 'Kumla' });
    expect(elsewhere.refusal?.code).toBe('other_facility');
  });

  it('a tampered payload beside a good event: the good one stored, the tampered one refused and logged', async () => {
    const good = feed(stolenEvent, { id: nextId(), streamId: nextId('9000') });
    good.sig = signEnvelope(good, stolen.privateKey);
    const tampered = feed(stolenEvent, {
      id: nextId(),
      payload: { ...(stolenEvent.payload as object), title: 'Ändrad i efterhand' },
    });
    const r = await same([{ t: 'events', events: [good, tampered], last: 2 }], [good.id, tampered.id]);
    expect(r.refusal?.code).toBe('bad_signature');
    expect(r.held).toEqual([good.id]);
    expect(r.refused.map((x) => [x.event_id, x.code])).toEqual([[tampered.id, 'bad_signature']]);
  });

  it('an event re-signed by the relay, and a relayed third device’s event with a bad signature', async () => {
    const resigned = feed(thirdEvent, { id: nextId() });
    resigned.sig = signEnvelope(resigned, stolen.privateKey);
    expect((await same([{ t: 'events', events: [resigned], last: 1 }], [resigned.id])).refusal?.code).toBe(
      'bad_signature',
    );
    const forged = feed(thirdEvent, { id: nextId(), payload: { ...(thirdEvent.payload as object), title: 'Falsk' } });
    const r = await same([{ t: 'events', events: [forged], last: 1 }], [forged.id]);
    expect(r.refusal?.code).toBe('bad_signature');
    expect(r.held).toEqual([]);
  });

  it('a replayed id with different content', async () => {
    const original = feed(stolenEvent, { id: nextId(), streamId: nextId('9000') });
    original.sig = signEnvelope(original, stolen.privateKey);
    expect((await same([{ t: 'events', events: [original], last: 1 }], [original.id])).refusal).toBeNull();
    const replay = { ...original, payload: { ...(original.payload as object), title: 'Omspelad' } };
    replay.sig = signEnvelope(replay, stolen.privateKey);
    const r = await same([{ t: 'events', events: [replay], last: 2 }], [replay.id]);
    expect(r.refusal).toEqual({ code: 'bad_event', message: `event ${replay.id} differs from the copy held here` });
  });

  it('payloads the worker validated fold as a parse gives them: members off the schema stay out, in any key order', async () => {
    const base = stolenEvent.payload as Record<string, unknown>;
    const exact = run(stolen, stolenEvent, 1)[0]!;
    // zod drops `status` and `secret` (not in incident.created's schema): the worker's parse is
    // not the payload itself, so the console's thread parses it again before the fold.
    const extra = run(stolen, { ...stolenEvent, payload: { ...base, status: 'closed', secret: 'x' } }, 1)[0]!;
    const reversed = run(
      stolen,
      { ...stolenEvent, payload: Object.fromEntries(Object.entries(base).reverse()) },
      1,
    )[0]!;
    const events = [exact, extra, reversed];
    const r = await same(
      [{ t: 'events', events, last: 1 }],
      events.map((e) => e.id),
    );
    expect(r.refusal).toBeNull();
    expect(r.held).toHaveLength(3);
    for (const e of events) {
      type Got = { incident: Record<string, unknown> };
      const got = await Promise.all(
        [inline, worker].map((t) => t.console.call<Got>('incidents.get', { id: e.streamId })),
      );
      // Each console's own escalation runner then escalates it (its own event, its own HLC).
      const { updatedHlc: _a, ...inlineIncident } = got[0]!.incident;
      const { updatedHlc: _b, ...workerIncident } = got[1]!.incident;
      expect(workerIncident).toEqual(inlineIncident);
      expect(got[1]!.incident.status).not.toBe('closed');
      expect(got[1]!.incident).not.toHaveProperty('secret');
      expect(got[1]!.incident.title).toBe(base.title);
    }
  });

  it('a bad payload, named by its field, and an event far ahead of the clock', async () => {
    const bad = feed(stolenEvent, { id: nextId(), payload: { ...(stolenEvent.payload as object), title: 42 } });
    bad.sig = signEnvelope(bad, stolen.privateKey);
    const r = await same([{ t: 'events', events: [bad], last: 1 }], [bad.id]);
    expect(r.refusal?.code).toBe('bad_event');
    expect(r.refusal?.message).toContain(`event ${bad.id} payload.title:`);
    const future = feed(stolenEvent, {
      id: nextId(),
      hlc: encodeHlc({ wallMs: Date.now() + 3 * 24 * 3600_000, counter: 0, node: stolen.deviceId }),
    });
    future.sig = signEnvelope(future, stolen.privateKey);
    const skew = await same([{ t: 'events', events: [future], last: 1 }], [future.id]);
    expect(skew.refusal?.code).toBe('clock_skew');
    expect(skew.held).toEqual([]);
  });

  it('garbage, a frame off the schema, an oversized length, a flood, and a bad frame before an oversized one', async () => {
    const raw = (text: string) => {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(Buffer.byteLength(text));
      return Buffer.concat([head, Buffer.from(text)]);
    };
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(64 * 1024 * 1024);
    const cases: [Buffer[], string][] = [
      [[raw('nope!')], 'bad_frame'],
      [[raw('{"t":"events","events":"x","last":1}')], 'bad_frame'],
      [[huge], 'frame_too_large'],
      [Array.from({ length: 5000 }, () => encodeFrame({ t: 'ping' })), 'flooding'],
      [[raw('{"t":"ping","extra":1}'), huge], 'bad_frame'],
      [[encodeFrame({ t: 'ping' }), huge], 'frame_too_large'],
    ];
    for (const [payloads, code] of cases) {
      const r = await same(payloads, []);
      expect(r.refusal?.code).toBe(code);
    }
  });

  it('runs: a tampered middle event, a forged prev, a head signed by another device, a fork', async () => {
    const tampered = run(stolen, stolenEvent, 12);
    tampered[5]!.payload = { ...(tampered[5]!.payload as object), title: 'Ändrad mitt i serien' };
    const a = await same(
      [{ t: 'events', events: tampered, last: 2 }],
      tampered.map((e) => e.id),
    );
    expect(a.refused.map((x) => x.event_id)).toEqual([tampered[5]!.id]);

    const forgedPrev = run(stolen, stolenEvent, 12);
    forgedPrev[7]!.prev = authorHash(thirdEvent)!;
    const b = await same(
      [{ t: 'events', events: forgedPrev, last: 3 }],
      forgedPrev.map((e) => e.id),
    );
    expect(b.refused.map((x) => x.event_id)).toEqual([forgedPrev[7]!.id]);

    const otherHead = run(stolen, stolenEvent, 12);
    otherHead.at(-1)!.sig = signEnvelope(otherHead.at(-1)!, third.privateKey);
    const c = await same(
      [{ t: 'events', events: otherHead, last: 4 }],
      otherHead.map((e) => e.id),
    );
    expect(c.held).toEqual(otherHead.slice(0, -1).map((e) => e.id));

    const before = run(stolen, stolenEvent, 3);
    expect((await same([{ t: 'events', events: before, last: 6 }], [])).refusal).toBeNull();
    const [fork] = run(stolen, stolenEvent, 1);
    delete fork!.prev;
    fork!.deviceSeq = before[2]!.deviceSeq! + 1;
    fork!.prev = authorHash(before[0]!)!;
    fork!.sig = signEnvelope(fork!, stolen.privateKey);
    const d = await same([{ t: 'events', events: [fork!], last: 7 }], [fork!.id]);
    expect(d.refused.map((x) => x.code)).toEqual(['fork']);
  });

  it('a record rebinding a keyed device, signed by a console', async () => {
    const rebind = feed(stolenEvent, {
      id: nextId(),
      streamId: `device:${third.deviceId}`,
      type: 'device.enrolled',
      payload: {
        deviceId: third.deviceId,
        publicKey: createPublicKey(generateKeyPairSync('ed25519').privateKey).export({ format: 'jwk' }).x as string,
        facility: 'Märsta',
        label: 'Q igen',
        enrolledBy: stolen.deviceId,
      },
    });
    delete rebind.deviceSeq;
    delete rebind.prev;
    rebind.sig = signEnvelope(rebind, stolen.privateKey);
    const r = await same([{ t: 'events', events: [rebind], last: 1 }], [rebind.id]);
    expect(r.refused.map((x) => x.code)).toEqual(['key_mismatch']);
  });
});

describe('the frame preparer’s worker', () => {
  /** Frames of `runs` (large, to the worker) and single events between them (small, inline). */
  function stream(runs: number, size: number): { frames: MeshFrame[]; ids: string[] } {
    const frames: MeshFrame[] = [];
    const ids: string[] = [];
    for (let i = 0; i < runs; i += 1) {
      const big = run(stolen, stolenEvent, size);
      const small = run(stolen, stolenEvent, 1);
      frames.push({ t: 'events', events: big, last: frames.length + 1 });
      frames.push({ t: 'events', events: small, last: frames.length + 1 });
      ids.push(...big.map((e) => e.id), ...small.map((e) => e.id));
    }
    return { frames, ids };
  }
  const ackedAll = (frames: MeshFrame[]) => (f: MeshFrame[]) =>
    f.some((x) => x.t === 'ack' && x.last === frames.length) || f.some((x) => x.t === 'refuse');
  const logOrder = (ids: readonly string[]) =>
    ids
      .map((id) => ({ id, seq: mixed.console.core.store.getEvent(id)?.seq ?? -1 }))
      .sort((x, y) => x.seq - y.seq)
      .map((x) => x.id);

  it('keeps arrival order when large frames go to the worker and small ones are parsed inline', async () => {
    const preparer = mixed.console.core.mesh.framePreparer()!;
    const before = { ...preparer.counts };
    const { frames, ids } = stream(4, 60);
    const answer = await attack(mixed, stolen, frames, { done: ackedAll(frames), apart: true });
    expect(answer.find((f) => f.t === 'refuse')).toBeUndefined();
    expect(ids.every((id) => mixed.console.core.store.getEvent(id) !== null)).toBe(true);
    expect(logOrder(ids)).toEqual(ids);
    expect(preparer.counts.offThread - before.offThread).toBeGreaterThanOrEqual(4);
  });

  it('killed while it holds frames: they are prepared inline, nothing lost, skipped or reordered, and a new worker takes over', async () => {
    const preparer = mixed.console.core.mesh.framePreparer()!;
    const before = { ...preparer.counts, started: preparer.jobs.started };
    // End the worker the moment it is handed its first frame of this stream.
    const doomed = preparer.jobs.worker(0);
    const post = doomed.postMessage.bind(doomed);
    doomed.postMessage = (message: unknown) => {
      post(message);
      doomed.postMessage = post;
      void doomed.terminate();
    };
    const { frames, ids } = stream(5, 80);
    const answer = await attack(mixed, stolen, frames, { done: ackedAll(frames), apart: true });
    expect(answer.find((f) => f.t === 'refuse')).toBeUndefined();
    expect(ids.filter((id) => mixed.console.core.store.getEvent(id) === null)).toEqual([]);
    expect(logOrder(ids)).toEqual(ids);
    expect(preparer.counts.fellBack).toBeGreaterThan(before.fellBack);
    await vi.waitFor(() => expect(preparer.jobs.started).toBe(before.started + 1));
    // Until the new worker has loaded, frames are prepared inline; then it takes them again.
    await vi.waitFor(() => expect(preparer.jobs.ready(0)).toBe(true));

    const next = stream(1, 80);
    await attack(mixed, stolen, next.frames, { done: ackedAll(next.frames) });
    expect(next.ids.every((id) => mixed.console.core.store.getEvent(id) !== null)).toBe(true);
    expect(preparer.counts.offThread).toBeGreaterThan(before.offThread);
  });
});

describe('queued frames stored together', () => {
  it('batches queued behind a peer’s acks, pings, status and tracker asks are stored in one transaction, in order, and each of those frames is still answered', async () => {
    const store = inline.console.core.store;
    const first = run(stolen, stolenEvent, 4);
    const second = run(stolen, stolenEvent, 4);
    const third = run(stolen, stolenEvent, 4);
    const ids = [...first, ...second, ...third].map((e) => e.id);
    const commits: string[][] = [];
    const stop = store.onCommitted((result) => {
      const mine = result.stored.filter((e) => ids.includes(e.id)).map((e) => e.id);
      if (mine.length > 0) commits.push(mine);
    });
    try {
      // One write, small enough for one TLS record: the console has every frame queued at once.
      const answer = await attack(
        inline,
        stolen,
        [
          { t: 'events', events: first, last: 1 },
          { t: 'ack', last: 0 },
          { t: 'ping' },
          { t: 'events', events: second, last: 2 },
          { t: 'tracker_ask', ids: [first[0]!.id] },
          { t: 'status', head: 3, tracker: 'offline' },
          { t: 'events', events: third, last: 3 },
        ],
        { done: (f) => f.some((x) => x.t === 'ack' && x.last === 3) && f.some((x) => x.t === 'tracker_held') },
      );
      expect(answer.find((f) => f.t === 'refuse')).toBeUndefined();
      expect(commits).toEqual([ids]);
      const seqs = ids.map((id) => store.getEvent(id)!.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      // One acknowledgement covering all three batches, and the tracker ask answered (nothing held there).
      expect(answer.filter((f) => f.t === 'ack')).toEqual([{ t: 'ack', last: 3 }]);
      expect(answer.find((f) => f.t === 'tracker_held')).toEqual({ t: 'tracker_held', acks: [] });
    } finally {
      stop();
    }
  });

  it('stops merging at a frame that is not passed over: a second hello ends the session after the batches before it', async () => {
    const store = inline.console.core.store;
    const before = run(stolen, stolenEvent, 3);
    const after = run(stolen, stolenEvent, 3);
    const hello: MeshFrame = {
      t: 'hello',
      v: 1,
      deviceId: stolen.deviceId,
      facility: 'Märsta',
      name: 'X',
      unit: 'X',
      head: 0,
      tracker: 'offline',
    };
    const answer = await attack(inline, stolen, [
      { t: 'events', events: before, last: 1 },
      hello,
      { t: 'events', events: after, last: 2 },
    ]);
    expect(answer.find((f) => f.t === 'refuse')).toMatchObject({ code: 'bad_frame', message: 'a second hello' });
    expect(before.every((e) => store.getEvent(e.id) !== null)).toBe(true);
    expect(after.filter((e) => store.getEvent(e.id) !== null)).toEqual([]);
  });
});

describe('cursor-only batches', () => {
  const store = () => inline.console.core.store;
  const head = () => (store().db.prepare('SELECT max(seq) AS seq FROM events').get() as { seq: number }).seq;

  /** The ids of the peer's events the last `catchUp` sent. */
  let sentIds: string[] = [];
  const ids = () => sentIds;
  const cursorOnly = (f: MeshFrame) => f.t === 'events' && f.events.length === 0;

  /**
   * Our log at rest: the earlier tests' received batches flushed and announced, and so the
   * escalations our runner starts for their incidents committed (it starts them as they are
   * announced). Left to land during a test, they went to its peer as a batch of ours reaching
   * past the peer's events, which moved its cursor: no cursor-only batch followed, rightly.
   */
  async function atRest(): Promise<void> {
    do await store().flushed();
    while (store().shareableThrough() !== Number.MAX_SAFE_INTEGER);
  }

  /**
   * Four batches of the peer's notes (on streams this console does not hold: nothing of ours
   * follows from them), one commit each. The session's timers run on fake time from the
   * connection on: once the fourth batch is acknowledged (so stored, announced, and every
   * commit has woken the session), `acked` runs, and `wait()` in it ends the cursor-only
   * batch's wait. Resolves with the frames we sent once `until` holds for them.
   */
  async function catchUp(acked: (cursor: { wait: () => void }) => void, until: (f: MeshFrame[]) => boolean) {
    await atRest();
    const from = head();
    const note = {
      ...stolenEvent,
      type: 'incident.note_added' as const,
      payload: { noteId: nextId(), text: 'Anteckning' },
    };
    const batches = [1, 2, 3, 4].map(() => run(stolen, note, 2));
    sentIds = batches.flat().map((e) => e.id);
    let seen = false;
    const answering = attack(
      inline,
      stolen,
      [
        { t: 'subscribe', after: from, marks: {} },
        ...batches.map((events, i): MeshFrame => ({ t: 'events', events, last: i + 1 })),
      ],
      {
        apart: true, // one commit per batch
        done: (f) => {
          if (!seen && f.some((x) => x.t === 'ack' && x.last === batches.length)) {
            seen = true;
            acked({ wait: () => vi.advanceTimersByTime(CURSOR_ONLY_DELAY_MS) });
          }
          const over = seen && until(f);
          // Real timers again before the attacker's socket closes (it clears its own timer).
          if (over) vi.useRealTimers();
          return over;
        },
      },
    );
    // After the attacker armed its own (real) timer, before the session arms any.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const answer = await answering;
      expect(ids().every((id) => store().getEvent(id) !== null)).toBe(true);
      return { answer, sent: answer.filter((f): f is Extract<MeshFrame, { t: 'events' }> => f.t === 'events') };
    } finally {
      vi.useRealTimers();
    }
  }

  it('a peer catching up from us is sent one batch moving its cursor past its own events, not one per commit of ours', async () => {
    let peersLast = Infinity;
    const { answer, sent } = await catchUp(
      (cursor) => {
        peersLast = Math.max(...ids().map((id) => store().getEvent(id)!.seq));
        cursor.wait();
      },
      (f) => f.some((x) => x.t === 'events' && x.last >= peersLast),
    );
    // Before, each of the four commits sent one as it came; now none went before the wait ended
    // (the frames before the last ack were written before it, on the same stream).
    const lastAck = answer.findIndex((f) => f.t === 'ack' && f.last === 4);
    expect(answer.slice(0, lastAck).filter(cursorOnly)).toEqual([]);
    // One then, reaching past the peer's events. (Only a batch of ours that reached past them
    // first, e.g. events a third console sent us meanwhile, leaves none due: the next test.)
    expect(sent.filter(cursorOnly).length).toBeLessThanOrEqual(1);
    expect(sent.at(-1)!.last).toBeGreaterThanOrEqual(peersLast);
  });

  it('a batch of ours after the peer’s events moves its cursor past them: no cursor-only batch is due', async () => {
    // One of our commits lands after the peer's batches and before the cursor-only batch's
    // wait ends (in the suite under load: an earlier test's escalations, started late).
    let ours = 0;
    const { sent } = await catchUp(
      (cursor) => {
        void inline.console
          .call<{ id: string }>('incidents.create', incidentInput({ title: 'Vår händelse' }))
          .then(() => {
            ours = head();
            cursor.wait();
          });
      },
      (f) => ours > 0 && f.some((x) => x.t === 'events' && x.last >= ours),
    );
    const peersLast = Math.max(...ids().map((id) => store().getEvent(id)!.seq));
    expect(ours).toBeGreaterThan(peersLast);
    expect(sent.find((f) => f.last >= ours)?.events.length).toBeGreaterThan(0);
    expect(sent.filter(cursorOnly)).toEqual([]);
  });
});

describe('the log chain after every frame above', () => {
  // The worker guesses each event's chain hash from the head it expects (refused, held, small
  // inline and merged frames in between make it guess wrong); the append takes a guess only
  // where the row before holds the hash it was chained from.
  it('holds on every console, whether it prepared frames on its worker or inline', () => {
    for (const t of [inline, worker, mixed]) {
      const report = t.console.core.store.verifyChain();
      expect(report.firstBroken).toBe(null);
      expect(report.ok).toBe(true);
    }
  });
});
