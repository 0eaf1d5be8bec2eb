/**
 * One mutual-TLS connection to another console of the facility.
 *
 * Both sides say hello; each checks the other's certificate key against the facility's
 * trusted devices (pinned keys, no CA) and the claimed device and facility against that
 * record, and refuses anything else. Then each subscribes to the other's log after its
 * stored cursor and receives every later event in log order — catch-up first, then live
 * as commits happen — acknowledging each stored batch once it is on disk. Frames are
 * handled one per tick and the socket is paused while they queue, so a fast or hostile
 * peer is held back by TCP instead of by this console's memory.
 */
import type { TLSSocket } from 'node:tls';
import type { KeyObject } from 'node:crypto';
import type { EventEnvelope, StoredEvent } from '../../../src-shared/events.ts';
import {
  MESH_ASK_IDS,
  MESH_BATCH_EVENTS,
  MESH_PROTOCOL_VERSION,
  MESH_WINDOW,
  type FeedEvent,
  type HelloFrame,
  type MeshFrame,
  type MeshRefusal,
  type MeshTrackerState,
} from '../../../src-shared/mesh-wire.ts';
import { applyRechain, type ReceivedPrep, type RechainedFrame } from '../sync/received-prep.ts';
import { createFrameDecoder, encodeEventsFrame, encodeFrame } from './frame-codec.ts';
import { prepareFrame, type PreparedFrame } from './frame-prep.ts';
import { PREPARE_OFF_THREAD_BYTES, type FramePreparer } from './frame-preparer.ts';
import { keyFingerprint } from './certificate.ts';
import { pairingProof, proofMatches } from './pairing.ts';
import { openSessionTimeline } from './session-timeline.ts';

/** An event of our log on its way to a peer: what the sender's filters read, and its feed JSON. */
export interface OutgoingEvent {
  deviceId: string;
  deviceSeq?: number;
  signed: boolean;
  /** The event as a FeedEvent's JSON text (`toFeed`), ready to be spliced into a frame. */
  json: string;
}

export interface TrustedDevice {
  deviceId: string;
  /** Null when the record does not say (a pinned key from the config). */
  facility: string | null;
  name: string | null;
  unit: string | null;
}

export interface MeshRefusalError {
  code: MeshRefusal;
  message: string;
}

export interface SessionSelf {
  deviceId: string;
  facility: string;
  name: string;
  unit: string;
  head: number;
  tracker: MeshTrackerState;
  /** Bumped whenever our store learns of events the tracker holds. */
  acked: number;
}

export interface TrackerAck {
  id: string;
  serverSeq: number;
}

export interface SessionDeps {
  socket: TLSSocket;
  role: 'dialer' | 'acceptor';
  self(): SessionSelf;
  /** The device `claimedDeviceId` if `peerKey` is its key in this facility, else null. */
  trust(peerKey: KeyObject, claimedDeviceId: string): TrustedDevice | null;
  /**
   * Our log after `seq` as `peerDeviceId` is sent it, oldest first: at most `limit` signed
   * events it did not author, and the log seq the batch reaches (`last`, past the skipped ones).
   */
  feedAfter(seq: number, limit: number, peerDeviceId: string): { events: OutgoingEvent[]; last: number };
  /** How far we hold the peer's log. */
  cursor(peerDeviceId: string): number;
  /** Our per-device high-water marks (every event of the author up to the mark is held). */
  marks(): Record<string, number>;
  /** Events never sent: a revoked device's after its cutoff (held from before we knew). */
  withhold?(event: Pick<EventEnvelope, 'deviceId' | 'deviceSeq'>): boolean;
  /**
   * Validate and store a batch from the peer, moving its cursor to `last` in the same
   * transaction. `ahead[i]`, when there, is what the frame preparer computed for `events[i]`.
   */
  accept(
    peer: TrustedDevice,
    events: FeedEvent[],
    last: number,
    ahead?: readonly (ReceivedPrep | undefined)[],
  ): MeshRefusalError | null;
  /**
   * Settles once everything `accept` stored so far is on disk (`store.flushed()`): a batch is
   * acknowledged only then. Absent: acknowledged as soon as `accept` returns.
   */
  onDisk?(): Promise<void>;
  /**
   * Before storing the next `events` frame: null to go on, or a promise to await first with
   * the frame left queued (`store.roomInWal()`: the WAL is past its high-water mark and the
   * checkpoint worker copies it, so the next transaction restarts the log instead of
   * running SQLite's backstop checkpoint inside it on this thread). The event loop stays free
   * meanwhile; frames go on arriving and being prepared up to the queue's bound.
   */
  roomInWal?(): Promise<void> | null;
  /** Parses and prepares large frames off this thread (frame-preparer.ts); absent: all inline. */
  preparer?: FramePreparer | null;
  /**
   * The tracker's acknowledgements over the mesh: which of `ids` we know the tracker holds
   * (asked by a peer), our pending events after log seq `after` that no peer vouched for
   * yet (to ask a peer), whether we want to ask at all, and what a peer answered.
   */
  trackerHeld(ids: readonly string[]): TrackerAck[];
  pendingAfter(after: number, limit: number): { id: string; seq: number }[];
  wantsTrackerAcks(): boolean;
  trackerAcks(peer: TrustedDevice, acks: readonly TrackerAck[]): void;
  onReady(session: PeerSession): void;
  onChange(session: PeerSession): void;
  onClosed(session: PeerSession, refusal: MeshRefusalError | null): void;
  log(message: string): void;
  limits?: Partial<SessionLimits>;
  /** This console's key fingerprint (pairing proofs bind both). */
  ownFingerprint: string;
  /** Dialer only: pair with the acceptor by a one-time code (already stretched). */
  pairWith?: { key: Buffer; record(hello: HelloFrame, fingerprint: string): void } | undefined;
  /** Acceptor only: the code an admin showed here, if any. */
  desk?: {
    answer(dialerProof: string, dialerFp: string, ownFp: string): string | null;
    /** Null when the device may not pair (revoked for the facility). */
    record(hello: HelloFrame, fingerprint: string): TrustedDevice | null;
  };
}

export interface SessionLimits {
  handshakeTimeoutMs: number;
  idleTimeoutMs: number;
  pingEveryMs: number;
  /** Token bucket on incoming frames: a peer above this rate is refused as flooding. */
  framesPerSecond: number;
  frameBurst: number;
  /** Frames queued for handling before the socket is paused. */
  queuedFrames: number;
  /** Frames of at least this many bytes go to the frame preparer's worker, smaller ones are parsed inline. */
  offThreadBytes: number;
}

/**
 * A batch that would carry no event, only move the peer's cursor in our log to our head, waits
 * this long for company. While we catch up from a peer, each of our commits moved our head past
 * events the peer authored: each made such a batch, and the peer stored the cursor and
 * acknowledged it, a commit and two frames per commit of ours (npm run bench mesh, issue 12i).
 * The cursor only tells the peer where to start after a reconnect and how far behind it shows us.
 * A batch of ours that goes meanwhile moves the cursor as well: no cursor-only batch is then due.
 * (Exported for the test that ends this wait on fake time.)
 */
export const CURSOR_ONLY_DELAY_MS = 250;

/** Least time between two `tracker_ask` frames of one session (at most 20 a second). */
const ASK_GAP_MS = 50;

/**
 * Batches already queued are stored in one transaction (one disk flush and one incident
 * write per stream, not one per batch): at most this many events, and no more than fit in
 * MESH_MERGE_BUDGET_MS at the rate this session's recent transactions ran.
 */
const MESH_MERGE_EVENTS = 2000;
/**
 * What one merged transaction may hold the console's thread, its listeners included (the
 * escalation runner's first slice, the feed's wake-up): under issue 16's 50 ms, with room for
 * the commit's flush (a wait, not CPU). Measured as this thread's CPU time (mergeLimit), so a
 * slower machine merges less, while time the machine gives other programs does not count.
 */
const MESH_MERGE_BUDGET_MS = 40;
/** Events merged before this session has timed a transaction of its own (the old fixed limit). */
const MESH_MERGE_FIRST = 1000;
/**
 * A merge that has room left for at least this many events takes them from the front of the
 * next queued frame, which stays queued with the rest. Whole frames only, a 500-event frame
 * that did not fit whole left up to half of the budget unused: in a catch-up about half the
 * transactions held one frame (npm run bench mesh with GUARDLINE_MESH_TIMELINE, round 12u),
 * and a transaction of 500 events costs more per event than one of 1,000 (each touched
 * incident's row is rewritten once per transaction: npm run bench receive).
 */
const MESH_SPLIT_LEAST = 100;
/**
 * Frames a merge passes over to reach the `events` frames queued behind them: nothing in
 * storing events depends on them, and they are handled right after, in their order. A
 * catch-up's frames arrive interleaved with the peer's acks (of our cursor-only batches, one
 * per commit of ours) and tracker asks; stopping at those, the receiver stored most of a
 * 20,000-event catch-up one 500-event frame per commit (npm run bench mesh, issue 12i).
 */
const PASSED_OVER: ReadonlySet<MeshFrame['t']> = new Set(['ack', 'status', 'ping', 'tracker_ask', 'tracker_held']);

/**
 * A frame ready for handling, with what the preparer computed for an `events` frame's events.
 * `taken`: how many events from the front of the frame the worker prepared were stored already
 * by a merge that had room for part of it (MESH_SPLIT_LEAST); `frame` and `ahead` then hold the
 * rest, and new chain guesses for the frame (`job`) apply from that offset.
 */
interface QueuedFrame {
  frame: MeshFrame;
  ahead: ReceivedPrep[] | null;
  job?: number | undefined;
  taken?: number;
}

/**
 * This thread's CPU time (ms), or the wall clock where the runtime cannot tell. CPU time is what
 * a transaction's work costs: on a machine busy with other programs the wall clock also counts
 * the time the core was theirs, which merging less would not give back (on the shared 2-core
 * bench machine the wall-clock estimate kept every catch-up transaction at one frame).
 */
const threadMs: () => number =
  typeof process.threadCpuUsage === 'function'
    ? () => {
        const used = process.threadCpuUsage();
        return (used.user + used.system) / 1000;
      }
    : () => performance.now();

const DEFAULT_LIMITS: SessionLimits = {
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  pingEveryMs: 10_000,
  framesPerSecond: 400,
  frameBurst: 800,
  queuedFrames: 8,
  offThreadBytes: PREPARE_OFF_THREAD_BYTES,
};

export interface PeerSession {
  readonly role: 'dialer' | 'acceptor';
  readonly openedAt: number;
  /** Set once the peer's hello was checked. */
  peer: TrustedDevice | null;
  hello: HelloFrame | null;
  /** The peer's newest log seq, from hello and status frames. */
  peerHead: number;
  peerTracker: MeshTrackerState;
  /** How far the peer has stored our log. */
  peerAcked: number;
  /** Our log has new events: send them if the window allows. */
  wake(): void;
  sendStatus(): void;
  close(refusal?: MeshRefusalError): void;
  readonly closed: boolean;
  readonly remoteAddress: string;
  /** Frames received and not yet handled: queued, or being prepared off this thread (bounded by `queuedFrames`). */
  readonly backlog: number;
}

export function toFeed(e: StoredEvent): FeedEvent {
  // Everything of the envelope travels (signature fields included), none of our bookkeeping,
  // members in FeedEvent's own order: the receiver's wire-schema parse then gives back what
  // JSON.parse gave, and its frame worker need not post the objects back (frame-prep.ts).
  const {
    prevHash: _p,
    hash: _h,
    syncedAt: _s,
    seq,
    id,
    streamId,
    type,
    payload,
    actor,
    deviceId,
    deviceTime,
    hlc,
    deviceSeq,
    sig,
    prev,
    serverSeq,
    ...rest
  } = e;
  const feed: Record<string, unknown> = { id, streamId, type, payload, actor, deviceId, deviceTime, hlc };
  if (deviceSeq !== undefined) feed.deviceSeq = deviceSeq;
  if (sig !== undefined) feed.sig = sig;
  if (prev !== undefined) feed.prev = prev;
  feed.seq = seq;
  feed.serverSeq = serverSeq;
  return Object.assign(feed, rest) as FeedEvent;
}

export function openPeerSession(deps: SessionDeps): PeerSession {
  const { socket } = deps;
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const decoder = createFrameDecoder();
  /** Bench instrumentation (GUARDLINE_MESH_TIMELINE), null otherwise. */
  const timeline = openSessionTimeline(deps.role);
  let ownDevice = '';
  /** Frames ready for handling, with what the preparer computed for an `events` frame's events. */
  const queue: QueuedFrame[] = [];
  /** Frames of arrived chunks still being prepared off this thread; chunks are admitted in arrival order. */
  let preparing = 0;
  let arriving: Promise<void> = Promise.resolve();
  let handling = false;
  let closed = false;
  /** A length over the limit came in: nothing more is read, the session ends once the frames before it are handled. */
  let refusing = false;
  let subscribedAfter: number | null = null;
  let peerMarks: Record<string, number> = {};
  let sentUpTo = 0;
  /**
   * Our log up to here (past `sentUpTo`) held nothing to send the peer: only its own events,
   * unsigned or withheld ones. Its cursor moves past them with the next batch (a cursor-only
   * one waits CURSOR_ONLY_DELAY_MS), and until then each wake-up reads on from here instead of
   * from `sentUpTo` again: while we caught up from a peer, every commit of ours re-read all of
   * that peer's events since the last batch (`feedAfter` 2.5 % of the receiver's thread, 12m).
   */
  let scannedUpTo = 0;
  /** A cursor-only batch is waiting for CURSOR_ONLY_DELAY_MS (pump sends it when this fires). */
  let cursorTimer: NodeJS.Timeout | null = null;
  let cursorDue = false;
  /** `last` of each batch sent and not yet acknowledged (an ack covers every batch up to its `last`). */
  let inflight: number[] = [];
  /** Asking the peer which pending events the tracker holds: page by page through our pending ones. */
  let asking: { after: number; full: boolean } | null = null;
  let askAgain = false;
  let askedAt = -Infinity;
  /** A `tracker_ask` is out and its answer not yet in. */
  let awaiting = false;
  let askTimer: NodeJS.Timeout | null = null;
  let peerAckedEpoch: number | null = null;
  let tokens = limits.frameBurst;
  let refilledAt = performance.now();

  const handshakeTimer = setTimeout(
    () => close({ code: 'handshake_timeout', message: 'no hello within the handshake time' }),
    limits.handshakeTimeoutMs,
  );
  const pingTimer = setInterval(() => send({ t: 'ping' }), limits.pingEveryMs);
  socket.setTimeout(limits.idleTimeoutMs, () => close());
  socket.setNoDelay(true);

  const session: PeerSession = {
    role: deps.role,
    openedAt: Date.now(),
    peer: null,
    hello: null,
    peerHead: 0,
    peerTracker: 'not_configured',
    peerAcked: 0,
    wake: pump,
    sendStatus() {
      const me = deps.self();
      send({ t: 'status', head: me.head, tracker: me.tracker, acked: me.acked });
    },
    close,
    get closed() {
      return closed;
    },
    get backlog() {
      return queue.length + preparing;
    },
    remoteAddress: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
  };

  function send(frame: MeshFrame): void {
    if (closed || socket.destroyed) return;
    socket.write(encodeFrame(frame));
  }

  function close(refusal?: MeshRefusalError): void {
    if (closed) return;
    closed = true;
    clearTimeout(handshakeTimer);
    clearInterval(pingTimer);
    if (askTimer) clearTimeout(askTimer);
    if (cursorTimer) clearTimeout(cursorTimer);
    timeline?.write(`${ownDevice}-with-${session.peer?.deviceId ?? 'unknown'}`);
    if (refusal && refusal.code !== 'self') {
      deps.log(`mesh: refused ${session.peer?.deviceId ?? session.remoteAddress}: ${refusal.code}: ${refusal.message}`);
      try {
        socket.end(encodeFrame({ t: 'refuse', code: refusal.code, message: refusal.message }));
      } catch {
        socket.destroy();
      }
      setTimeout(() => socket.destroy(), 1000).unref();
    } else {
      socket.destroy();
    }
    deps.onClosed(session, refusal ?? null);
  }

  function pump(): void {
    if (closed || subscribedAfter === null || !session.peer) return;
    const peerId = session.peer.deviceId;
    while (inflight.length < MESH_WINDOW) {
      // The peer already holds what it authored, and takes unsigned (pre-signature) events
      // only from the tracker: the feed skips both, and the batch still moves its cursor past them.
      const from = Math.max(sentUpTo, scannedUpTo);
      timeline?.mark('feed', { after: from, inflight: inflight.length });
      const { events: rows, last } = deps.feedAfter(from, MESH_BATCH_EVENTS, peerId);
      if (last <= sentUpTo) {
        timeline?.mark('caught-up', { last });
        return;
      }
      const events = rows.filter(
        (e) =>
          e.deviceId !== peerId &&
          e.signed &&
          !deps.withhold?.(e) &&
          !(e.deviceSeq !== undefined && e.deviceSeq <= (peerMarks[e.deviceId] ?? 0)),
      );
      if (events.length === 0 && rows.length < MESH_BATCH_EVENTS && !cursorDue) {
        scannedUpTo = Math.max(scannedUpTo, last);
        cursorTimer ??= setTimeout(() => {
          cursorTimer = null;
          cursorDue = true;
          try {
            pump();
          } finally {
            cursorDue = false;
          }
        }, CURSOR_ONLY_DELAY_MS);
        return;
      }
      if (cursorTimer) {
        clearTimeout(cursorTimer); // this batch moves the cursor as well
        cursorTimer = null;
      }
      sentUpTo = last;
      inflight.push(sentUpTo);
      if (!closed && !socket.destroyed) {
        const bytes = encodeEventsFrame(
          events.map((e) => e.json),
          sentUpTo,
        );
        socket.write(bytes);
        timeline?.mark('sent', {
          last,
          events: events.length,
          bytes: bytes.length,
          inflight: inflight.length,
          buffered: socket.writableLength,
        });
      }
    }
    timeline?.mark('window-full', { inflight: inflight.length });
  }

  function askTracker(): void {
    if (closed || !session.peer) return;
    if (asking) {
      askAgain = true;
      return;
    }
    if (deps.wantsTrackerAcks()) askPage(0);
  }

  function askPage(after: number): void {
    // Paced (a large outbox is many pages, and a peer's counter moves every 200 ms while it
    // drains): asks stay far below the peer's frame-rate limit.
    const wait = askedAt + ASK_GAP_MS - performance.now();
    if (wait > 0) {
      asking = { after, full: true };
      askTimer = setTimeout(() => {
        askTimer = null;
        if (!closed) askPage(after);
      }, wait);
      return;
    }
    askedAt = performance.now();
    if (!deps.wantsTrackerAcks()) return finishAsking(); // our own link came back meanwhile
    const page = deps.pendingAfter(after, MESH_ASK_IDS);
    if (page.length === 0) return finishAsking();
    asking = { after: page.at(-1)!.seq, full: page.length === MESH_ASK_IDS };
    awaiting = true;
    send({ t: 'tracker_ask', ids: page.map((p) => p.id) });
  }

  function finishAsking(): void {
    asking = null;
    if (!askAgain) return;
    askAgain = false;
    askTracker();
  }

  const peerFingerprint = (): string | null => {
    const certificate = socket.getPeerX509Certificate();
    return certificate ? keyFingerprint(certificate.publicKey) : null;
  };
  /** The acceptor's hello, held until its pairing proof arrives. */
  let heldHello: HelloFrame | null = null;
  let pairWith = deps.pairWith;

  function checkHello(hello: HelloFrame): MeshRefusalError | null {
    if (hello.v !== MESH_PROTOCOL_VERSION)
      return { code: 'protocol_version', message: `protocol ${hello.v}, this console speaks ${MESH_PROTOCOL_VERSION}` };
    const me = deps.self();
    if (hello.deviceId === me.deviceId) return { code: 'self', message: 'connected to itself' };
    const certificate = socket.getPeerX509Certificate();
    if (!certificate) return { code: 'unknown_device', message: 'no client certificate' };
    let trusted = deps.trust(certificate.publicKey, hello.deviceId);
    // A dialer pairing with a console that trusts it already (paired before, or its record
    // came through a peer) still waits for the proof of the code: answer it once the rest holds.
    const provenAgain =
      trusted && hello.pair && deps.desk
        ? deps.desk.answer(hello.pair.proof, keyFingerprint(certificate.publicKey), deps.ownFingerprint)
        : null;
    if (!trusted && hello.pair && deps.desk) {
      const dialerFp = keyFingerprint(certificate.publicKey);
      const answer = deps.desk.answer(hello.pair.proof, dialerFp, deps.ownFingerprint);
      if (!answer)
        return { code: 'unknown_device', message: `device ${hello.deviceId} gave a wrong or expired pairing code` };
      if (hello.facility !== me.facility)
        return { code: 'other_facility', message: `device ${hello.deviceId} belongs to ${hello.facility}` };
      trusted = deps.desk.record(hello, dialerFp);
      if (!trusted) return { code: 'unknown_device', message: `device ${hello.deviceId} is revoked for this facility` };
      deps.log(`mesh: paired with ${hello.deviceId} (${hello.name})`);
      send({ t: 'paired', proof: answer });
    }
    if (!trusted)
      return { code: 'unknown_device', message: `device ${hello.deviceId} presents a key this facility does not know` };
    if (trusted.deviceId !== hello.deviceId)
      return { code: 'wrong_device', message: `the key belongs to ${trusted.deviceId}, not ${hello.deviceId}` };
    if (hello.facility !== me.facility || (trusted.facility !== null && trusted.facility !== me.facility))
      return { code: 'other_facility', message: `device ${hello.deviceId} belongs to ${hello.facility}` };
    session.peer = {
      deviceId: trusted.deviceId,
      facility: me.facility,
      name: trusted.name ?? hello.name,
      unit: trusted.unit ?? hello.unit,
    };
    if (provenAgain) send({ t: 'paired', proof: provenAgain });
    return null;
  }

  function handle(frame: MeshFrame, ahead: ReceivedPrep[] | null, job?: number): void {
    if (frame.t === 'refuse') {
      deps.log(`mesh: ${session.peer?.deviceId ?? session.remoteAddress} refused us: ${frame.code}: ${frame.message}`);
      return close();
    }
    if (!session.peer && pairWith) {
      if (frame.t === 'hello' && !heldHello) {
        heldHello = frame;
        return;
      }
      if (frame.t !== 'paired' || !heldHello)
        return close({ code: 'bad_frame', message: `expected the pairing answer, got ${frame.t}` });
      const fp = peerFingerprint();
      const expected = fp ? pairingProof(pairWith.key, 'acceptor', fp, deps.ownFingerprint) : null;
      if (!fp || !expected || !proofMatches(expected, frame.proof))
        return close({
          code: 'unknown_device',
          message: 'the other console could not prove it knows the pairing code',
        });
      pairWith.record(heldHello, fp);
      pairWith = undefined;
      frame = heldHello;
    }
    if (!session.peer) {
      if (frame.t !== 'hello') return close({ code: 'bad_frame', message: `expected hello, got ${frame.t}` });
      const refusal = checkHello(frame);
      if (refusal) return close(refusal);
      const peer = session.peer as TrustedDevice | null;
      if (!peer) return close();
      clearTimeout(handshakeTimer);
      session.hello = frame;
      session.peerHead = frame.head;
      session.peerTracker = frame.tracker;
      deps.onReady(session);
      if (closed) return; // a duplicate of a session we keep
      send({ t: 'subscribe', after: deps.cursor(peer.deviceId), marks: deps.marks() });
      askTracker();
      return;
    }
    switch (frame.t) {
      case 'hello':
        return close({ code: 'bad_frame', message: 'a second hello' });
      case 'subscribe':
        subscribedAfter = frame.after;
        peerMarks = frame.marks;
        sentUpTo = frame.after;
        scannedUpTo = frame.after;
        inflight = [];
        return pump();
      case 'events': {
        // Batches already waiting are stored in the same transaction (one disk flush, not one
        // per live event); a live event's frame is stored at once, never held for company.
        let events = frame.events;
        let last = frame.last;
        let prepared: (ReceivedPrep | undefined)[] = ahead ?? new Array<undefined>(events.length);
        let lastJob = job ?? 0;
        const jobs = timeline ? [job ?? null] : null;
        const lasts = timeline ? [frame.last] : null;
        const limit = mergeLimit();
        // Whether this transaction ends inside a frame (the rest of it stays queued).
        let split = false;
        for (let i = 0; i < queue.length;) {
          const next = queue[i]!;
          if (next.frame.t !== 'events') {
            if (!PASSED_OVER.has(next.frame.t)) break;
            i += 1;
            continue;
          }
          if (events.length + next.frame.events.length > limit) {
            const room = limit - events.length;
            if (room < MESH_SPLIT_LEAST) break;
            // The front of the frame joins this transaction, the rest stays in the frame's place
            // (handled next, in order). The part reaches its own last event's seq: the peer's
            // events up to it are stored, and the cursor and the ack say no more than that.
            const part = next.frame.events.slice(0, room);
            events = events.concat(part);
            prepared = prepared.concat(next.ahead ? next.ahead.slice(0, room) : new Array<undefined>(room));
            last = Math.max(last, part[room - 1]!.seq);
            queue[i] = {
              frame: { ...next.frame, events: next.frame.events.slice(room) },
              ahead: next.ahead ? next.ahead.slice(room) : null,
              job: next.job,
              taken: (next.taken ?? 0) + room,
            };
            jobs?.push(next.job ?? null);
            lasts?.push(last);
            split = true;
            break;
          }
          queue.splice(i, 1);
          events = events.concat(next.frame.events);
          prepared = prepared.concat(next.ahead ?? new Array<undefined>(next.frame.events.length));
          last = Math.max(last, next.frame.last);
          lastJob = Math.max(lastJob, next.job ?? 0);
          jobs?.push(next.job ?? null);
          lasts?.push(next.frame.last);
        }
        const started = threadMs();
        timeline?.mark('store', { events: events.length, jobs, lasts, queued: queue.length, preparing, limit });
        const refusal = deps.accept(session.peer, events, last, prepared);
        timed(events.length, threadMs() - started);
        timeline?.mark('stored', { events: events.length, last });
        // Stored (or refused): the frame worker chains the frames after these from the log's head.
        // Not after a transaction that ended inside a frame: the worker's guesses for the rest of
        // it go on from the part stored, and the frames after it from the frame's end; the
        // transaction that stores the rest tells the worker (a guess that misses meanwhile only
        // costs this thread the hash: the append takes a guess only when its prevHash is the log's).
        if (lastJob > 0 && !split) deps.preparer?.stored(lastJob);
        // The log's head is not where the worker's guesses for the frames after went on from
        // (our own events went in: the escalation runner, a line's status): new guesses for them.
        const tip = prepared.at(-1)?.chain?.hash;
        const again = lastJob > 0 && tip !== undefined && !split ? deps.preparer?.rechain(lastJob, tip) : null;
        if (again) void again.then(guessesAgain);
        if (refusal) return close(refusal);
        session.peerHead = Math.max(session.peerHead, last);
        deps.onChange(session);
        // The peer learns the batch is stored only once it is on disk: the commit did not wait
        // for its fsync (mesh.ts accept), and until then a power cut takes it back with the
        // cursor it moved, and the peer must send it again. Acks leave in order (the flushes
        // settle in log order); the next frame is stored meanwhile.
        if (deps.onDisk) void deps.onDisk().then(() => send({ t: 'ack', last }));
        else send({ t: 'ack', last });
        return;
      }
      case 'ack':
        timeline?.mark('ack-in', { last: frame.last, inflight: inflight.length });
        inflight = inflight.filter((sent) => sent > frame.last);
        session.peerAcked = Math.max(session.peerAcked, frame.last);
        deps.onChange(session);
        return pump();
      case 'status':
        session.peerHead = frame.head;
        session.peerTracker = frame.tracker;
        deps.onChange(session);
        if (frame.acked !== undefined && frame.acked !== peerAckedEpoch) {
          peerAckedEpoch = frame.acked;
          askTracker();
        }
        return;
      case 'tracker_ask':
        return send({ t: 'tracker_held', acks: deps.trackerHeld(frame.ids) });
      case 'tracker_held': {
        if (!asking || !awaiting) return; // not asked: nothing to take
        awaiting = false;
        const page = asking;
        deps.trackerAcks(session.peer, frame.acks);
        return page.full ? askPage(page.after) : finishAsking();
      }
      case 'ping':
      case 'paired':
        return;
    }
  }

  /** New chain guesses for frames not yet admitted when they came (applied as they join the queue). */
  const rechained = new Map<number, RechainedFrame>();

  function guessesAgain(frames: RechainedFrame[]): void {
    for (const frame of frames) {
      const entry = queue.find((e) => e.job === frame.job);
      if (entry?.ahead) applyRechain(entry.ahead, frame, entry.taken ?? 0);
      else rechained.set(frame.job, frame);
    }
    // Bounded: only frames posted and not yet stored are ever named (at most the queue's).
    if (rechained.size > limits.queuedFrames * 2) rechained.delete(rechained.keys().next().value!);
  }

  /** Thread ms per event of this session's last few transactions of some size (their mean is the estimate). */
  const perEvent: number[] = [];

  /** How many queued events the next transaction may take (always at least the first frame). */
  function mergeLimit(): number {
    if (perEvent.length === 0) return MESH_MERGE_FIRST;
    const ms = perEvent.reduce((sum, x) => sum + x, 0) / perEvent.length;
    return Math.max(1, Math.min(MESH_MERGE_EVENTS, Math.floor(MESH_MERGE_BUDGET_MS / ms)));
  }

  function timed(events: number, ms: number): void {
    // Small (live) batches say little about the per-event cost: their commit's flush dominates.
    if (events < 100) return;
    perEvent.push(ms / events);
    if (perEvent.length > 8) perEvent.shift();
  }

  function drainQueue(): void {
    if (handling) return;
    handling = true;
    setImmediate(function next() {
      if (queue[0]?.frame.t === 'events' && session.peer && !closed) {
        const wait = deps.roomInWal?.();
        if (wait) {
          timeline?.mark('wal-wait', { queued: queue.length });
          void wait.then(
            () => {
              timeline?.mark('wal-room', { queued: queue.length });
              setImmediate(next);
            },
            (error: unknown) => {
              deps.log(`mesh: waiting for room in the WAL failed: ${(error as Error).stack ?? String(error)}`);
              setImmediate(next);
            },
          );
          return;
        }
      }
      const entry = queue.shift();
      if (entry && !closed) {
        try {
          handle(entry.frame, entry.ahead, entry.job);
        } catch (error) {
          deps.log(`mesh: handling a ${entry.frame.t} frame failed: ${(error as Error).stack ?? String(error)}`);
          close();
        }
      }
      readIfRoom();
      if (queue.length > 0 && !closed) return setImmediate(next);
      handling = false;
      timeline?.mark('queue-empty', { preparing, paused: socket.isPaused() });
    });
  }

  /**
   * Reads on as soon as a frame's room is free, not only once the queue is empty: the frames
   * behind the one being stored are then in and prepared by the time this thread wants them.
   * Resuming only on an empty queue left the receiver's thread idle at each refill, waiting for
   * the next frame's bytes, its decryption and the worker's preparation (issue 12m's timeline:
   * the peer's frames sat in the socket's buffers for up to 200 ms). The bound is the same:
   * at most `queuedFrames` frames held, plus those completed by the chunk that reached it.
   */
  function readIfRoom(): void {
    if (!closed && !refusing && socket.isPaused() && queue.length + preparing < limits.queuedFrames) {
      timeline?.mark('resume', { queued: queue.length, preparing });
      socket.resume();
    }
  }

  function takeToken(): boolean {
    const now = performance.now();
    tokens = Math.min(limits.frameBurst, tokens + ((now - refilledAt) / 1000) * limits.framesPerSecond);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  /**
   * A chunk's frames, once all are parsed, exactly as they would be refused had they been
   * parsed on arrival: the chunk's first bad frame, else a length over the limit after
   * them, else a flood; otherwise they join the queue.
   */
  function admit(parts: readonly PreparedFrame[], tooLarge: MeshRefusalError | null, flood: boolean): void {
    if (closed) return;
    for (const part of parts) if ('error' in part) return close(part.error);
    if (tooLarge) return close(tooLarge);
    if (flood) return close({ code: 'flooding', message: `more than ${limits.framesPerSecond} frames/s` });
    for (const part of parts) {
      if ('error' in part) continue;
      const again = part.job === undefined ? undefined : rechained.get(part.job);
      if (again && part.ahead) applyRechain(part.ahead, again);
      if (again) rechained.delete(again.job);
      queue.push(part);
    }
    timeline?.mark('admit', {
      jobs: parts.map((p) => ('job' in p ? p.job : null)),
      queued: queue.length,
      preparing,
    });
    if (queue.length + preparing >= limits.queuedFrames) socket.pause();
    else readIfRoom();
    if (queue.length > 0) drainQueue();
  }

  socket.on('data', (chunk: Buffer) => {
    if (closed) return;
    const { bodies, error } = decoder.pushBodies(chunk);
    timeline?.mark('chunk', { bytes: chunk.length, bodies: bodies.map((b) => b.length) });
    const tooLarge = error ? { code: error.code, message: error.message } : null;
    if (tooLarge) {
      refusing = true;
      socket.pause(); // the session ends once the frames before it are parsed
    }
    let flood = false;
    if (!tooLarge) for (let i = 0; i < bodies.length && !flood; i += 1) flood = !takeToken();
    const preparer = deps.preparer;
    const offThread = preparer ? bodies.some((body) => body.length >= limits.offThreadBytes) : false;
    if (!offThread && preparing === 0) {
      return admit(
        bodies.map((body) => prepareFrame(body, null)),
        tooLarge,
        flood,
      );
    }
    // Large frames go to the worker now (it prepares them while this thread stores what
    // came before); small ones are parsed here; the chunk waits its turn behind earlier ones.
    const parts = Promise.all(
      bodies.map((body) => {
        if (!(preparer && body.length >= limits.offThreadBytes)) return prepareFrame(body, null);
        const ready = preparer.prepare(body);
        if (timeline)
          void ready.then((part) =>
            timeline.mark('prepared', {
              bytes: body.length,
              ...('job' in part ? { job: part.job } : {}),
              ...('timing' in part ? part.timing : {}),
            }),
          );
        return ready;
      }),
    );
    preparing += bodies.length;
    if (queue.length + preparing >= limits.queuedFrames) socket.pause();
    arriving = arriving
      .then(() => parts)
      .then((ready) => {
        preparing -= bodies.length;
        admit(ready, tooLarge, flood);
      })
      .catch((failure: unknown) => {
        deps.log(`mesh: preparing frames failed: ${(failure as Error).stack ?? String(failure)}`);
        close();
      });
  });
  socket.on('error', (error) => {
    deps.log(`mesh: connection ${session.peer?.deviceId ?? session.remoteAddress}: ${error.message}`);
    close();
  });
  socket.on('close', () => close());

  const me = deps.self();
  ownDevice = me.deviceId;
  const serverFp = pairWith ? peerFingerprint() : null;
  send({
    ...(pairWith && serverFp
      ? { pair: { proof: pairingProof(pairWith.key, 'dialer', deps.ownFingerprint, serverFp) } }
      : {}),
    t: 'hello',
    v: MESH_PROTOCOL_VERSION,
    deviceId: me.deviceId,
    facility: me.facility,
    name: me.name,
    unit: me.unit,
    head: me.head,
    tracker: me.tracker,
  });
  return session;
}
