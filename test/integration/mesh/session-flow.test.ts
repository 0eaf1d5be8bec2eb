/**
 * A peer session's flow (issue 12m), over real mutual TLS against a hand-driven peer, with the
 * console's side (store, feed) stubbed so each test controls it:
 * - taking in a peer's frames while it stores earlier ones: the peer writes many `events`
 *   frames at once, ignoring the window, and the store is slow. The session holds at most its
 *   queue's worth of frames (plus those one TLS record completes) — a flooding peer is held
 *   back by TCP, not by this console's memory — and reads the next frames as soon as one
 *   frame's room is free, so the store never waits for bytes already at its socket;
 * - reading our log for the peer: rows that held nothing to send it are read once, not again
 *   on every wake-up until the next batch goes out;
 * - acknowledging a batch only once it is on disk: the store commits a received batch without
 *   waiting for its fsync (issue 12o), and a peer told "stored" never sends it again.
 */
import tls from 'node:tls';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../src-main/core/mesh/certificate.ts';
import { encodeFrame } from '../../../src-main/core/mesh/frame-codec.ts';
import { openPeerSession, type PeerSession } from '../../../src-main/core/mesh/peer-session.ts';
import type { FeedEvent, MeshFrame } from '../../../src-shared/mesh-wire.ts';
import { meshAttack } from '../../support/mesh-attacker.ts';

const FACILITY = 'Märsta';
const QUEUED_FRAMES = 8;
const FRAMES = 32;
/** At least 100: the session times only transactions that large for its merge budget. */
const EVENTS_PER_FRAME = 100;

const servers: tls.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** This thread busy for `ms` of its CPU time: a store's work, which the session times in thread CPU. */
function busy(ms: number): void {
  const cpu = () => {
    const used = process.threadCpuUsage();
    return (used.user + used.system) / 1000;
  };
  const until = cpu() + ms;
  while (cpu() < until);
}

type Deps = Parameters<typeof openPeerSession>[0];

/** A TLS server whose connections are peer sessions of a console with `overrides` for its store and feed. */
async function sessionServer(
  peerId: string,
  overrides: Partial<Deps>,
  opened: (session: PeerSession) => void,
): Promise<number> {
  const receiverKeys = generateKeyPairSync('ed25519');
  const server = tls.createServer(
    {
      ...selfSignedCertificate(receiverKeys, 'receiver'),
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
    },
    (socket) =>
      opened(
        openPeerSession({
          socket,
          role: 'acceptor',
          ownFingerprint: 'receiver',
          self: () => ({
            deviceId: 'receiver-device',
            facility: FACILITY,
            name: 'R',
            unit: 'R',
            head: 0,
            tracker: 'offline',
            acked: 0,
          }),
          trust: (_key, claimed) =>
            claimed === peerId ? { deviceId: peerId, facility: FACILITY, name: 'P', unit: 'P' } : null,
          feedAfter: (seq) => ({ events: [], last: seq }),
          cursor: () => 0,
          marks: () => ({}),
          accept: () => null,
          trackerHeld: () => [],
          pendingAfter: () => [],
          wantsTrackerAcks: () => false,
          trackerAcks: () => undefined,
          onReady: () => undefined,
          onChange: () => undefined,
          onClosed: () => undefined,
          log: () => undefined,
          ...overrides,
        }),
      ),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function feedEvent(deviceId: string, seq: number): FeedEvent {
  return {
    id: randomUUID(),
    streamId: 'incident-1',
    type: 'incident.note_added',
    payload: { noteId: randomUUID(), text: `anteckning ${seq}` },
    actor: 'T1',
    deviceId,
    deviceTime: seq,
    hlc: `0000000000000${seq}`,
    seq,
    serverSeq: null,
  };
}

describe("a peer session's flow", () => {
  it('holds a bounded number of frames, reads on as room frees, and stores every frame once in order', async () => {
    const peerKeys = generateKeyPairSync('ed25519');
    const peerId = 'peer-device';
    /** At each store: how many frames the session held behind it (queued or being prepared), and what it stored. */
    const stores: { backlog: number; seqs: number[] }[] = [];
    let session: PeerSession | null = null;
    const port = await sessionServer(
      peerId,
      {
        accept(_peer, events) {
          stores.push({ backlog: session!.backlog, seqs: events.map((e) => e.seq) });
          // A slow store: 0.5 ms of CPU per event, so the session's 40 ms budget takes one frame at a time.
          busy(events.length * 0.5);
          return null;
        },
        limits: { queuedFrames: QUEUED_FRAMES, framesPerSecond: 10_000, frameBurst: 10_000 },
      },
      (opened) => (session = opened),
    );

    const frames: MeshFrame[] = Array.from({ length: FRAMES }, (_, f) => ({
      t: 'events',
      events: Array.from({ length: EVENTS_PER_FRAME }, (_, i) => feedEvent(peerId, f * EVENTS_PER_FRAME + i + 1)),
      last: (f + 1) * EVENTS_PER_FRAME,
    }));
    const total = FRAMES * EVENTS_PER_FRAME;
    const answered = await meshAttack({ host: '127.0.0.1', port }, { deviceId: peerId, ...peerKeys }, frames, {
      done: (got) => got.some((f) => f.t === 'ack' && f.last === total),
    });

    // Every event stored once, in the peer's order, and acknowledged.
    expect(stores.flatMap((s) => s.seqs)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(answered.some((f) => f.t === 'ack' && f.last === total)).toBe(true);
    // Bounded: never more than the queue's frames, plus what one 16 KiB TLS record can complete.
    const frameBytes = encodeFrame(frames[0]!).length;
    expect(Math.max(...stores.map((s) => s.backlog))).toBeLessThanOrEqual(
      QUEUED_FRAMES + Math.ceil(16384 / frameBytes),
    );
    expect(Math.max(...stores.map((s) => s.backlog))).toBeGreaterThanOrEqual(QUEUED_FRAMES - 1); // the peer did flood
    // Read ahead: after the first (which takes what has come in), until the peer's last frames,
    // every store had frames waiting behind it (a session that read on only once its queue was
    // empty stored every eighth frame with none behind it).
    const beforeTheEnd = stores.slice(1).filter((s) => s.seqs.at(-1)! <= total - QUEUED_FRAMES * EVENTS_PER_FRAME);
    expect(beforeTheEnd.length).toBeGreaterThan(FRAMES / 4);
    expect(beforeTheEnd.filter((s) => s.backlog === 0).map((s) => s.seqs.at(-1))).toEqual([]);
  });

  it("reads our log's rows that hold nothing for the peer once, and moves its cursor past them", async () => {
    const peerKeys = generateKeyPairSync('ed25519');
    const peerId = 'peer-device';
    /** Our log's head: every row up to it is the peer's own event (nothing to send it back). */
    let head = 0;
    const reads: number[] = [];
    let session: PeerSession | null = null;
    let firstRead: () => void = () => undefined;
    const subscribed = new Promise<void>((resolve) => (firstRead = resolve));
    const port = await sessionServer(
      peerId,
      {
        feedAfter(seq) {
          reads.push(seq);
          firstRead();
          return { events: [], last: Math.max(seq, head) };
        },
      },
      (opened) => (session = opened),
    );
    const subscribe: MeshFrame = { t: 'subscribe', after: 0, marks: {} };
    const answered = meshAttack({ host: '127.0.0.1', port }, { deviceId: peerId, ...peerKeys }, [subscribe], {
      done: (got) => got.some((f) => f.t === 'events' && f.last === 300),
    });
    await subscribed;
    // Three commits of ours, each only the peer's own events (as while we catch up from it).
    for (const to of [100, 200, 300]) {
      head = to;
      session!.wake();
    }
    const frames = await answered;
    // Each wake-up read on from where the last read ended, not from the last batch sent (0).
    expect(reads.slice(0, 4)).toEqual([0, 0, 100, 200]);
    // And the peer's cursor still moved past them all: one batch, no events, last 300.
    const batches = frames.filter((f) => f.t === 'events');
    expect(batches).toEqual([{ t: 'events', events: [], last: 300 }]);
  });

  it('acknowledges a stored batch only once the store says it is on disk, after what it sent meanwhile', async () => {
    const peerKeys = generateKeyPairSync('ed25519');
    const peerId = 'peer-device';
    /** In order: what the store did and what the peer received. */
    const seen: string[] = [];
    let session: PeerSession | null = null;
    let ours = false;
    let onDisk: () => void = () => undefined;
    const disk = new Promise<void>((resolve) => (onDisk = resolve));
    const port = await sessionServer(
      peerId,
      {
        accept(_peer, _events, last) {
          seen.push(`stored ${last}`);
          // One of our own commits right after, whose feed reaches the peer on a later turn.
          if (last === 100)
            setImmediate(() => {
              ours = true;
              session!.wake();
            });
          return null;
        },
        onDisk: () => disk,
        feedAfter: (seq) =>
          ours && seq < 1
            ? {
                events: [
                  { deviceId: 'receiver-device', signed: true, json: JSON.stringify(feedEvent('receiver-device', 1)) },
                ],
                last: 1,
              }
            : { events: [], last: seq },
      },
      (opened) => (session = opened),
    );
    const batch = (from: number): MeshFrame => ({
      t: 'events',
      events: Array.from({ length: 100 }, (_, i) => feedEvent(peerId, from + i)),
      last: from + 99,
    });
    const subscribe: MeshFrame = { t: 'subscribe', after: 0, marks: {} };
    const frames = await meshAttack(
      { host: '127.0.0.1', port },
      { deviceId: peerId, ...peerKeys },
      [subscribe, batch(1)],
      {
        done(got) {
          const last = got.at(-1);
          if (last?.t === 'events') {
            seen.push('our feed');
            // The flush is done only after our later feed went out.
            seen.push('on disk');
            onDisk();
          }
          if (last?.t === 'ack') seen.push(`ack ${last.last}`);
          return got.some((f) => f.t === 'ack');
        },
      },
    );
    expect(frames.filter((f) => f.t === 'ack')).toEqual([{ t: 'ack', last: 100 }]);
    // Before: the ack left with the commit, ahead of our feed and of the flush.
    expect(seen).toEqual(['stored 100', 'our feed', 'on disk', 'ack 100']);
  });

  it('fills a transaction to its limit with the front of the next queued frame, and stores the rest next', async () => {
    // Round 12u: whole frames only left up to half of a transaction's budget unused (500-event
    // frames under a limit of ~900 events: one frame a transaction). Four 300-event frames queued
    // behind the first transaction's limit of 1,000 (MESH_MERGE_FIRST): 1,000 events in it (three
    // frames and the front of the fourth), then the fourth's other 200.
    const peerKeys = generateKeyPairSync('ed25519');
    const peerId = 'peer-device';
    const stored: { seqs: number[]; last: number }[] = [];
    let session: PeerSession | null = null;
    let asked = 0;
    const port = await sessionServer(
      peerId,
      {
        accept(_peer, events, last) {
          stored.push({ seqs: events.map((e) => e.seq), last });
          return null;
        },
        // The first transaction waits until the peer's four frames are all queued behind it.
        roomInWal() {
          if (asked++ > 0) return null;
          return new Promise<void>((resolve) => {
            const queued = () => (session!.backlog >= 4 ? resolve() : setImmediate(queued));
            queued();
          });
        },
        limits: { queuedFrames: QUEUED_FRAMES, framesPerSecond: 10_000, frameBurst: 10_000 },
      },
      (opened) => (session = opened),
    );
    const frame = (f: number): MeshFrame => ({
      t: 'events',
      events: Array.from({ length: 300 }, (_, i) => feedEvent(peerId, f * 300 + i + 1)),
      last: (f + 1) * 300,
    });
    const answered = await meshAttack(
      { host: '127.0.0.1', port },
      { deviceId: peerId, ...peerKeys },
      [0, 1, 2, 3].map(frame),
      { done: (got) => got.some((f) => f.t === 'ack' && f.last === 1200) },
    );
    expect(stored.map((s) => [s.seqs.length, s.seqs[0], s.seqs.at(-1), s.last])).toEqual([
      [1000, 1, 1000, 1000],
      [200, 1001, 1200, 1200],
    ]);
    // The first ack says no more than what was stored: the peer's cursor stops inside its frame.
    expect(answered.filter((f) => f.t === 'ack')).toEqual([
      { t: 'ack', last: 1000 },
      { t: 'ack', last: 1200 },
    ]);
  });

  it('holds the next batch while the store asks for room in its WAL, serving the peer meanwhile, then stores it', async () => {
    // Issue 12r: past the WAL's high-water mark the store's roomInWal returns a wait (the
    // checkpoint worker copying the log); the session awaits it off the thread before its next
    // transaction, instead of committing into a WAL SQLite would checkpoint on this thread.
    const peerKeys = generateKeyPairSync('ed25519');
    const peerId = 'peer-device';
    const seen: string[] = [];
    let give: () => void = () => undefined;
    const room = new Promise<void>((resolve) => (give = resolve));
    let asked = 0;
    let acked = false;
    let handled = 0;
    // Room is given once the wait began and the peer has the first batch's ack: proof the
    // session went on serving while its next transaction waited.
    const maybeGive = () => {
      if (asked < 2 || !acked || seen.includes('room')) return;
      seen.push('room');
      give();
    };
    const port = await sessionServer(
      peerId,
      {
        accept(_peer, _events, last) {
          seen.push(`stored ${last}`);
          return null;
        },
        roomInWal() {
          asked += 1;
          if (asked !== 2) return null;
          seen.push('waiting for room');
          setImmediate(maybeGive);
          return room;
        },
        // One frame at a time, so the second batch is a transaction of its own.
        limits: { queuedFrames: QUEUED_FRAMES, framesPerSecond: 10_000, frameBurst: 10_000 },
      },
      () => undefined,
    );
    // Two frames that cannot share one transaction: each fills the 1,000 events the session
    // merges at first (with 600 each, the front of the second joins the first since round 12u).
    const batch = (from: number): MeshFrame => ({
      t: 'events',
      events: Array.from({ length: 1000 }, (_, i) => feedEvent(peerId, from + i)),
      last: from + 999,
    });
    const subscribe: MeshFrame = { t: 'subscribe', after: 0, marks: {} };
    const frames = await meshAttack(
      { host: '127.0.0.1', port },
      { deviceId: peerId, ...peerKeys },
      [subscribe, batch(1), { t: 'ping' }, batch(1001)],
      {
        done(got) {
          for (const f of got.slice(handled)) if (f.t === 'ack') seen.push(`ack ${f.last}`);
          handled = got.length;
          acked = got.some((f) => f.t === 'ack' && f.last === 1000);
          maybeGive();
          return got.some((f) => f.t === 'ack' && f.last === 2000);
        },
      },
    );
    expect(frames.filter((f) => f.t === 'ack')).toEqual([
      { t: 'ack', last: 1000 },
      { t: 'ack', last: 2000 },
    ]);
    // The second batch was stored only after the room was given, not dropped or reordered.
    expect(seen.filter((s) => s !== 'ack 1000')).toEqual([
      'stored 1000',
      'waiting for room',
      'room',
      'stored 2000',
      'ack 2000',
    ]);
    expect(seen.indexOf('ack 1000')).toBeLessThan(seen.indexOf('room'));
  });
});
