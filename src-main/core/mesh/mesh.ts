/**
 * The facility mesh (DESIGN §10): this console's mutual-TLS listener on the LAN, a dialer
 * per known peer address, and one session per peer device. Sessions replicate logs both
 * ways (see peer-session.ts); this module decides whom to talk to, keeps one session per
 * pair, wakes senders when the log grows, and reports what the UI shows about each peer.
 */
import tls from 'node:tls';
import type { KeyObject } from 'node:crypto';
import type { StoredEvent } from '../../../src-shared/events.ts';
import type { FeedEvent, HelloFrame, MeshTrackerState } from '../../../src-shared/mesh-wire.ts';
import { GENESIS_HASH, OUTBOX_FROM_SQL, toStored, type EventRow, type EventStore } from '../store/event-store.ts';
import type { RemoteEvents } from '../sync/remote-events.ts';
import type { ReceivedPrep } from '../sync/received-prep.ts';
import { createFramePreparer, type FramePreparer } from './frame-preparer.ts';
import { countInTimeline, timelineOn } from './session-timeline.ts';
import { fullJitterDelay } from '../sync/backoff.ts';
import { keyFingerprint, selfSignedCertificate } from './certificate.ts';
import { rawPublicKey, type Keyring } from '../../../src-common/trust/index.ts';
import { pairingKeyAsync, type PairedDevice, type PairingDesk } from './pairing.ts';
import {
  openPeerSession,
  toFeed,
  type OutgoingEvent,
  type MeshRefusalError,
  type PeerSession,
  type SessionLimits,
  type TrackerAck,
  type TrustedDevice,
} from './peer-session.ts';

export interface MeshIdentity {
  deviceId: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export interface MeshDeps {
  store: EventStore;
  identity: MeshIdentity;
  remote: RemoteEvents;
  /** Facility name as this console knows it (enrolment, else config). */
  facility(): string;
  name(): string;
  unit(): string;
  tracker(): MeshTrackerState;
  trust(peerKey: KeyObject, claimedDeviceId: string): TrustedDevice | null;
  /**
   * The keyring the gate checks authors against: given, large frames from peers are parsed
   * and prepared on a worker thread (frame-preparer.ts) against a copy of it.
   */
  keyring?: Keyring;
  /** Devices never dialled again (revoked facility-wide); their events after the cutoff never sent. */
  revoked?: {
    blocked(deviceId: string): boolean;
    withhold(event: Pick<StoredEvent, 'deviceId' | 'deviceSeq'>): boolean;
  };
  wallClock: () => number;
  log(message: string): void;
  onChange(): void;
  random?: () => number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  limits?: Partial<SessionLimits>;
  /** One-time-code pairing: the code shown here, and where paired devices are kept. */
  pairing?: { desk: PairingDesk; record(device: PairedDevice): void };
}

export interface PeerStatus {
  deviceId: string | null;
  name: string | null;
  unit: string | null;
  address: string | null;
  state: 'connected' | 'connecting' | 'unreachable' | 'refused';
  lastSeenAt: number | null;
  /** Events the peer holds that this console has not stored yet. */
  behind: number;
  tracker: MeshTrackerState | null;
  refusal: string | null;
}

interface Dialer {
  address: string;
  host: string;
  port: number;
  attempt: number;
  timer: NodeJS.Timeout | null;
  session: PeerSession | null;
  deviceId: string | null;
  lastError: string | null;
  refused: string | null;
  self: boolean;
}

/** `host:port` to parts; port 0 (any free port) only for a listener. */
export function parsePeerAddress(address: string, allowAnyPort = false): { host: string; port: number } | null {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:\s]+):(\d{1,5})$/.exec(address.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port < (allowAnyPort ? 0 : 1) || port > 65535) return null;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/**
 * A stored row as the JSON of its FeedEvent (`toFeed(toStored(row))`), written field by field
 * with the payload's stored text spliced in: the sender parsed every payload of a catch-up into
 * objects and stringified them again (its profile: half its time per batch). The same bytes as
 * JSON.stringify gives, since the store writes each payload as JSON.stringify's text. A payload
 * text that is not one JSON value (a file edited behind the store's back) is never spliced,
 * so it cannot add fields to the envelope: it goes through the parse as before, which fails.
 */
export function feedJson(row: EventRow & { payload_ok: number }): string {
  if (row.payload_ok !== 1) return JSON.stringify(toFeed(toStored(row)));
  const text = JSON.stringify;
  // FeedEvent's member order (toFeed): the receiver's frame worker relies on it to hand back no objects.
  let json =
    `{"id":${text(row.id)},"streamId":${text(row.stream_id)},"type":${text(row.type)},` +
    `"payload":${row.payload},"actor":${text(row.actor)},"deviceId":${text(row.device_id)},` +
    `"deviceTime":${row.device_time},"hlc":${text(row.hlc)}`;
  if (row.device_seq != null) json += `,"deviceSeq":${row.device_seq}`;
  if (row.sig != null) json += `,"sig":${text(row.sig)}`;
  if (row.prev != null) json += `,"prev":${text(row.prev)}`;
  return `${json},"seq":${row.seq},"serverSeq":${row.server_seq == null ? 'null' : row.server_seq}}`;
}

export function createMesh(deps: MeshDeps) {
  const { store } = deps;
  const credentials = selfSignedCertificate(deps.identity, `guardline ${deps.identity.deviceId}`);
  const random = deps.random ?? Math.random;
  const ownFingerprint = keyFingerprint(deps.identity.publicKey);
  const sessions = new Set<PeerSession>();
  /** The kept session per peer device. */
  const byDevice = new Map<string, PeerSession>();
  const dialers = new Map<string, Dialer>();
  const lastSeen = new Map<
    string,
    { at: number; name: string | null; unit: string | null; tracker: MeshTrackerState }
  >();
  let server: tls.Server | null = null;
  /** Started with the first session: a console that never meets a peer runs no worker for it. */
  let preparer: FramePreparer | null = null;
  /** The hash the log ends with: where the frame worker starts guessing a frame's chain hashes. */
  const lastHash = store.db.prepare<[], { hash: string }>('SELECT hash FROM events ORDER BY seq DESC LIMIT 1');
  const framePreparer = () =>
    deps.keyring && !stopped
      ? (preparer ??= createFramePreparer({
          keyring: deps.keyring,
          log: deps.log,
          chainHead: () => lastHash.get()?.hash ?? GENESIS_HASH,
        }))
      : null;
  let stopped = false;

  /*
   * The tracker's acknowledgements over the mesh. When a peer forwards our events to HQ,
   * its store marks them synced; ours would only learn it when our own tracker link
   * returns, so our pending count would overstate what HQ lacks. So each console bumps a
   * counter in its status frames whenever its store learns of events the tracker holds,
   * and a peer with pending events asks it which of them (by id, a page at a time).
   *
   * A peer's word only *vouches* for an event: it leaves our outbox as it is (we still push
   * it ourselves once our own link is back; the tracker keeps each event once), so a peer
   * that lied could make our count low, never make HQ lose an event. The vouches live in a
   * TEMP table of this connection (never in the data file): after a restart they are asked
   * again. They are dropped when our own tracker link goes live.
   */
  store.db.exec('CREATE TEMP TABLE IF NOT EXISTS mesh_vouched (id TEXT PRIMARY KEY, server_seq INTEGER NOT NULL)');
  let ackedEpoch = 0;
  let announceTimer: NodeJS.Timeout | null = null;
  const ackQ = {
    syncedOf: store.db.prepare<[string], { id: string; server_seq: number }>(
      `SELECT id, server_seq FROM events WHERE id IN (SELECT value FROM json_each(?))
         AND synced_at IS NOT NULL AND server_seq IS NOT NULL`,
    ),
    vouchedOf: store.db.prepare<[string], { id: string; server_seq: number }>(
      'SELECT id, server_seq FROM temp.mesh_vouched WHERE id IN (SELECT value FROM json_each(?))',
    ),
    pendingAfter: store.db.prepare<[number, number], { id: string; seq: number }>(
      `SELECT e.id, e.seq FROM events e WHERE e.synced_at IS NULL AND e.seq > max(?, ${OUTBOX_FROM_SQL} - 1)
         AND NOT EXISTS (SELECT 1 FROM temp.mesh_vouched v WHERE v.id = e.id)
       ORDER BY e.seq LIMIT ?`,
    ),
    anyPending: store.db.prepare<[], { one: number }>(
      `SELECT 1 AS one FROM events WHERE seq >= ${OUTBOX_FROM_SQL} AND synced_at IS NULL LIMIT 1`,
    ),
    isPending: store.db.prepare<[string], { one: number }>(
      'SELECT 1 AS one FROM events WHERE id = ? AND synced_at IS NULL',
    ),
    vouch: store.db.prepare<[string, number]>('INSERT OR IGNORE INTO temp.mesh_vouched (id, server_seq) VALUES (?, ?)'),
    // CROSS JOIN keeps mesh_vouched (a handful of rows) as the outer loop: left to itself the
    // planner scanned every unsynced event (611 ms on an offline console holding 400,000),
    // and this runs on every sync status update, i.e. after every commit (issue 16).
    vouchedPending: store.db.prepare<[], { n: number }>(
      `SELECT count(*) AS n FROM temp.mesh_vouched v CROSS JOIN events e ON e.id = v.id WHERE e.synced_at IS NULL`,
    ),
    forget: store.db.prepare('DELETE FROM temp.mesh_vouched'),
  };
  let vouchedCache: number | null = null;
  /**
   * False while mesh_vouched is known to be empty (nothing vouched since it was last emptied):
   * then no event is vouched for, and the count needs no statement. The sync status asks after
   * every commit, so a console no peer vouches to ran it once per command (2.1 % of a create's
   * CPU, profile of round 16p; round 16u). Only trackerAcks fills the table; set before its
   * transaction, so a rollback leaves it true (the count then says).
   */
  let anyVouched = false;

  function trackerHeld(ids: readonly string[]): TrackerAck[] {
    // Two statements per ask, not two lookups per id: a peer with a large outbox asks up to
    // 500 ids every 50 ms while it catches us up (receiver's profile, npm run bench mesh).
    const list = JSON.stringify(ids);
    const known = new Map<string, number>();
    for (const row of ackQ.syncedOf.all(list)) known.set(row.id, row.server_seq);
    for (const row of ackQ.vouchedOf.all(list)) if (!known.has(row.id)) known.set(row.id, row.server_seq);
    const out: TrackerAck[] = [];
    for (const id of ids) {
      const serverSeq = known.get(id);
      if (serverSeq !== undefined) out.push({ id, serverSeq });
    }
    return out;
  }

  function trackerAcks(peer: TrustedDevice, acks: readonly TrackerAck[]): void {
    if (deps.tracker() === 'live') return;
    // Only our own pending events: a peer cannot fill this table with ids we do not hold.
    anyVouched = true;
    const taken = store.db.transaction(() => {
      let n = 0;
      for (const a of acks) if (ackQ.isPending.get(a.id)) n += ackQ.vouch.run(a.id, a.serverSeq).changes;
      return n;
    })();
    if (taken === 0) return;
    vouchedCache = null;
    deps.log(`mesh: ${peer.deviceId} says the tracker holds ${taken} of our pending events`);
    deps.onChange();
  }

  const q = {
    // What a peer is sent: signed events it did not author (it holds its own; unsigned,
    // pre-signature events it takes only from the tracker), skipped here rather than read
    // and parsed: a console that just caught up on a peer's 20,000 events read them all back
    // to send that peer nothing (receiver's profile, npm run bench mesh).
    // Only up to `store.shareableThrough()`: an append still waiting for its flush may be
    // lost to a power cut and numbered again, so no peer may hold it first.
    // json_valid: whether the stored payload text is one JSON value, to be spliced as it is (feedJson).
    after: store.db.prepare<[number, number, string, number], EventRow & { payload_ok: number }>(
      `SELECT *, json_valid(payload) AS payload_ok FROM events
        WHERE seq > ? AND seq <= ? AND device_id != ? AND sig IS NOT NULL ORDER BY seq LIMIT ?`,
    ),
    head: store.db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events'),
    held: store.db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE id = ?'),
  };
  const head = () => Math.min(q.head.get()?.seq ?? 0, store.shareableThrough());
  const markQ = {
    perDevice: store.db.prepare<[number], { device_id: string; top: number; n: number }>(
      `SELECT device_id, max(device_seq) AS top, count(device_seq) AS n FROM events
        WHERE device_seq IS NOT NULL AND seq <= ? GROUP BY device_id`,
    ),
    firstGap: store.db.prepare<[string, number, string, number], { mark: number }>(
      `SELECT e.device_seq AS mark FROM events e WHERE e.device_id = ? AND e.device_seq IS NOT NULL AND e.seq <= ?
         AND NOT EXISTS (SELECT 1 FROM events f WHERE f.device_id = ? AND f.device_seq = e.device_seq + 1 AND f.seq <= ?)
       ORDER BY e.device_seq LIMIT 1`,
    ),
    first: store.db.prepare<[string, number], { one: number }>(
      'SELECT 1 AS one FROM events WHERE device_id = ? AND device_seq = 1 AND seq <= ?',
    ),
  };
  /**
   * Per author, the highest sequence number up to which this log has every event. Only what
   * is on disk counts (`store.shareableThrough()`): a peer skips what our marks say we hold,
   * so a mark past a received batch still waiting for its flush would have it skip events a
   * power cut can take from us.
   */
  function marks(): Record<string, number> {
    const out: Record<string, number> = {};
    const through = store.shareableThrough();
    for (const row of markQ.perDevice.all(through)) {
      if (row.n === row.top)
        out[row.device_id] = row.top; // 1..top all present (sequences are unique per author)
      else {
        const has1 = markQ.first.get(row.device_id, through);
        out[row.device_id] = has1 ? (markQ.firstGap.get(row.device_id, through, row.device_id, through)?.mark ?? 0) : 0;
      }
    }
    return out;
  }
  const cursorKey = (peer: string) => `mesh.cursor.${peer}`;
  const cursor = (peer: string) => Number(store.getMeta(cursorKey(peer)) ?? '0');

  function feedAfter(seq: number, limit: number, peerDeviceId: string): { events: OutgoingEvent[]; last: number } {
    // One read per batch (not one per event); each event leaves as the JSON of the store's own
    // row mapping (signature and chain fields included), its payload spliced from the stored text.
    const rows = q.after.all(seq, store.shareableThrough(), peerDeviceId, limit);
    // A short batch has looked at everything up to the head (same thread, no write between).
    const last = rows.length === limit ? rows.at(-1)!.seq : Math.max(head(), rows.at(-1)?.seq ?? seq);
    return {
      events: rows.map((row) => ({
        deviceId: row.device_id,
        ...(row.device_seq !== null ? { deviceSeq: row.device_seq } : {}),
        signed: row.sig !== null,
        json: feedJson(row),
      })),
      last,
    };
  }

  function accept(
    peer: TrustedDevice,
    events: FeedEvent[],
    last: number,
    ahead?: readonly (ReceivedPrep | undefined)[],
  ): MeshRefusalError | null {
    const serverSeqById = new Map<string, number>();
    const envelopes = events.map(({ seq: _seq, serverSeq, ...envelope }) => {
      if (serverSeq !== null) serverSeqById.set(envelope.id, serverSeq);
      return envelope;
    });
    const batch = {
      events: envelopes,
      serverSeqById,
      alsoInTransaction: () => {
        if (last > cursor(peer.deviceId)) store.setMeta(cursorKey(peer.deviceId), String(last));
      },
    };
    // A batch that brings nothing new (the sender skipped all it had, e.g. our own events
    // echoed back, or every event is held already, e.g. escalation steps both consoles
    // recorded) only moves the cursor. That commit need not wait for its own disk flush:
    // lost in a crash, the peer re-sends the same batch and it is skipped again; in WAL mode
    // the next durable commit flushes it anyway, in order. Live, every event one console
    // commits comes back to it as such a batch from each peer: their flushes would queue
    // behind (and slow) the flushes that carry new events. Held ids are still checked
    // against their content by the gate.
    //
    // A batch with new events does not wait for its fsync either (`flushLater`): the store
    // syncs the WAL on libuv's pool while this thread stores the next frame (a quiet catch-up
    // of 21,674 events spent 187 ms of B's 1,381 blocked in its commits' fsyncs). The durability
    // promise holds because nothing of it is seen before the flush: not by the user (the
    // incidents list and the alarm feed follow onCommitted, which the store holds back), not
    // by this peer (its ack waits for `store.flushed()`, peer-session.ts), not by other peers
    // or the tracker (feedAfter, our head and marks, and the outbox stop at
    // `store.shareableThrough()`). A power cut before the flush takes back this batch, the
    // cursor it moved and every later commit (WAL: what survives is a prefix); the peer, never
    // told, sends it again from the old cursor. A kill -9 loses nothing (the kernel holds the
    // written WAL).
    const nothingNew = envelopes.every((e) => q.held.get(e.id) !== undefined);
    const answer = nothingNew
      ? withoutFlush(() => deps.remote.accept(batch, `peer:${peer.deviceId}`, ahead))
      : deps.remote.accept({ ...batch, flushLater: true }, `peer:${peer.deviceId}`, ahead);
    if ('refused' in answer) return { code: answer.refused.code, message: answer.refused.message };
    if (ahead && timelineOn()) countGuesses(envelopes, ahead);
    return null;
  }

  /** Bench timeline only: how many of the frame worker's chain guesses the append could take. */
  function countGuesses(envelopes: readonly { id: string }[], ahead: readonly (ReceivedPrep | undefined)[]): void {
    const hashOf = store.db.prepare<[string], { hash: string }>('SELECT hash FROM events WHERE id = ?');
    let hit = 0;
    let miss = 0;
    for (const [i, envelope] of envelopes.entries()) {
      const guess = ahead[i]?.chain;
      if (!guess) continue;
      if (hashOf.get(envelope.id)?.hash === guess.hash) hit += 1;
      else miss += 1;
    }
    countInTimeline('chainGuessTaken', hit);
    countInTimeline('chainGuessMissed', miss);
  }

  function withoutFlush<T>(fn: () => T): T {
    const was = store.db.pragma('synchronous', { simple: true }) as number;
    store.db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      store.db.pragma(`synchronous = ${was}`);
    }
  }

  const self = () => ({
    deviceId: deps.identity.deviceId,
    facility: deps.facility(),
    name: deps.name(),
    unit: deps.unit(),
    head: head(),
    tracker: deps.tracker(),
    acked: ackedEpoch,
  });

  /** Each session's peer key fingerprint, read from its TLS certificate. */
  const sessionKeys = new WeakMap<PeerSession, string>();
  const certificateKey = (socket: tls.TLSSocket): string | null => {
    const certificate = socket.getPeerX509Certificate();
    return certificate ? keyFingerprint(certificate.publicKey) : null;
  };
  /** The device of a live session whose peer presented the same key as this socket's peer. */
  function liveSessionWithKey(socket: tls.TLSSocket): string | null {
    const key = certificateKey(socket);
    if (key === null) return null;
    for (const [deviceId, s] of byDevice) if (!s.closed && sessionKeys.get(s) === key) return deviceId;
    return null;
  }

  function dialerOf(session: PeerSession): Dialer | undefined {
    for (const d of dialers.values()) if (d.session === session) return d;
    return undefined;
  }

  function onReady(session: PeerSession): void {
    const peerId = session.peer!.deviceId;
    const dialer = dialerOf(session);
    if (dialer) dialer.deviceId = peerId;
    const existing = byDevice.get(peerId);
    if (existing && !existing.closed) {
      // Both consoles apply the same rule, so they close the same one of two connections:
      // keep the one dialled by the smaller device id (the newer one if one side dialled twice).
      const dialerId = (s: PeerSession) => (s.role === 'dialer' ? deps.identity.deviceId : peerId);
      const keepNew = dialerId(session) < dialerId(existing) || dialerId(session) === dialerId(existing);
      if (keepNew) {
        byDevice.set(peerId, session);
        existing.close();
      } else {
        session.close();
        return;
      }
    } else {
      byDevice.set(peerId, session);
    }
    seen(session);
    deps.log(`mesh: connected to ${peerId} (${session.peer!.name ?? '?'}) as ${session.role}`);
    deps.onChange();
  }

  function seen(session: PeerSession): void {
    if (!session.peer) return;
    lastSeen.set(session.peer.deviceId, {
      at: deps.wallClock(),
      name: session.peer.name,
      unit: session.peer.unit,
      tracker: session.peerTracker,
    });
  }

  function onClosed(session: PeerSession, refusal: MeshRefusalError | null): void {
    sessions.delete(session);
    if (session.peer && byDevice.get(session.peer.deviceId) === session) {
      byDevice.delete(session.peer.deviceId);
      seen(session);
    }
    const dialer = dialerOf(session);
    if (dialer) {
      dialer.session = null;
      if (refusal?.code === 'self') dialer.self = true;
      else if (refusal) dialer.refused = refusal.code;
      scheduleDial(dialer);
    }
    deps.onChange();
  }

  function pairedRecord(
    hello: HelloFrame,
    fingerprint: string,
    address: string | null,
    socket: tls.TLSSocket,
  ): PairedDevice {
    const device: PairedDevice = {
      publicKey: rawPublicKey(socket.getPeerX509Certificate()!.publicKey),
      deviceId: hello.deviceId,
      facility: hello.facility,
      name: hello.name,
      unit: hello.unit,
      fingerprint,
      address,
      pairedAt: deps.wallClock(),
    };
    deps.pairing?.record(device);
    return device;
  }

  function openSession(
    socket: tls.TLSSocket,
    role: 'dialer' | 'acceptor',
    pairWith?: { key: Buffer; record(hello: HelloFrame, fingerprint: string): void },
  ): PeerSession | null {
    if (stopped) {
      // A handshake that finished after stop(): the store may be closed already.
      socket.destroy();
      return null;
    }
    const desk = deps.pairing?.desk;
    const session = openPeerSession({
      socket,
      role,
      ownFingerprint,
      ...(pairWith ? { pairWith } : {}),
      ...(role === 'acceptor' && desk
        ? {
            desk: {
              answer: (proof: string, dialerFp: string, ownFp: string) => desk.answer(proof, dialerFp, ownFp),
              // A revoked device stays revoked: a pairing code does not bring it back.
              record: (hello: HelloFrame, fingerprint: string) =>
                deps.revoked?.blocked(hello.deviceId) ? null : pairedRecord(hello, fingerprint, null, socket),
            },
          }
        : {}),
      self,
      trust: deps.trust,
      feedAfter,
      cursor,
      marks,
      ...(deps.revoked ? { withhold: deps.revoked.withhold } : {}),
      accept,
      onDisk: () => store.flushed(),
      roomInWal: () => store.roomInWal(),
      preparer: framePreparer(),
      trackerHeld,
      pendingAfter: (after, limit) => ackQ.pendingAfter.all(after, limit),
      wantsTrackerAcks: () => deps.tracker() !== 'live' && ackQ.anyPending.get() !== undefined,
      trackerAcks,
      onReady,
      onChange: (s) => {
        seen(s);
        deps.onChange();
      },
      onClosed,
      log: deps.log,
      ...(deps.limits ? { limits: deps.limits } : {}),
    });
    sessions.add(session);
    const key = certificateKey(socket);
    if (key !== null) sessionKeys.set(session, key);
    return session;
  }

  /**
   * A dialer whose console was revoked stops for good, and says so: the peers table shows it
   * refused from then on. The change is announced, as a dial's timer may find it with nothing
   * else changing (the revoked console's session was one it had dialled us on), and the page
   * would otherwise show the revoked console nowhere until something else changed.
   */
  function stopIfRevoked(dialer: Dialer): boolean {
    if (!dialer.deviceId || !deps.revoked?.blocked(dialer.deviceId)) return false;
    if (dialer.refused !== 'revoked') {
      dialer.refused = 'revoked';
      deps.onChange();
    }
    return true;
  }

  function scheduleDial(dialer: Dialer): void {
    if (stopped || dialer.self || !dialers.has(dialer.address) || dialer.timer) return;
    if (stopIfRevoked(dialer)) return;
    const delay = fullJitterDelay(dialer.attempt, deps.backoffBaseMs ?? 250, deps.backoffCapMs ?? 15_000, random);
    dialer.attempt += 1;
    dialer.timer = setTimeout(() => {
      dialer.timer = null;
      dial(dialer);
    }, delay);
    dialer.timer.unref?.();
  }

  function dial(dialer: Dialer): void {
    if (stopped || dialer.session || !dialers.has(dialer.address)) return;
    if (stopIfRevoked(dialer)) return;
    // A peer that already reached us on its own connection needs no second one.
    const covered = dialer.deviceId ? byDevice.get(dialer.deviceId) : undefined;
    if (covered && !covered.closed) {
      dialer.attempt = Math.min(dialer.attempt, 4);
      return scheduleDial(dialer);
    }
    framePreparer(); // loading while the connection is set up
    const socket = tls.connect({
      host: dialer.host,
      port: dialer.port,
      ...credentials,
      // No CA: the peer's key is checked against the facility's devices after the handshake.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      minVersion: 'TLSv1.3',
      timeout: 10_000,
    });
    let opened = false;
    socket.once('secureConnect', () => {
      opened = true;
      dialer.lastError = null;
      // The console at this address is one we already hold a session with (its key says so):
      // a dialer that never finished a session of its own (every one refused before its hello
      // was read, e.g. while the two consoles did not know each other's keys yet) does not know
      // whom it dials. A session opened now would replace the live one, and the peer, closing
      // that one before reading the new hello, shows us unreachable meanwhile (a flaky
      // "B not connected to C" in mesh/revocation.test.ts under load).
      const known = liveSessionWithKey(socket);
      if (known) {
        deps.log(`mesh: ${dialer.address} is ${known}, connected already: not dialling it again`);
        dialer.deviceId = known;
        socket.destroy();
        return scheduleDial(dialer);
      }
      const s = openSession(socket, 'dialer');
      if (!s) return;
      dialer.session = s;
      // A session that lasted is a success: the next failure starts backing off from scratch.
      setTimeout(() => {
        if (!s.closed && s.peer) dialer.attempt = 0;
      }, 2_000).unref();
    });
    socket.once('error', (error) => {
      if (opened) return;
      dialer.lastError = (error as NodeJS.ErrnoException).code ?? error.message;
      socket.destroy();
      scheduleDial(dialer);
      deps.onChange();
    });
    socket.once('timeout', () => {
      if (!opened) socket.destroy(new Error('connect timeout'));
    });
  }

  const stopObserving = store.onCommitted(() => {
    vouchedCache = null; // a commit may have marked vouched events synced (e.g. a peer's batch)
    for (const s of byDevice.values()) s.wake();
  });

  return {
    /** Listen on the LAN address (port 0 picks a free one); resolves with the bound address. */
    listen(host: string, port: number): Promise<{ host: string; port: number }> {
      framePreparer(); // load the worker now, not when the first peer's catch-up is already here
      server = tls.createServer(
        {
          ...credentials,
          requestCert: true,
          rejectUnauthorized: false,
          minVersion: 'TLSv1.3',
          handshakeTimeout: 10_000,
        },
        (socket) => {
          if (sessions.size >= 64) {
            deps.log(`mesh: refused a connection from ${socket.remoteAddress}: too many connections`);
            socket.destroy();
            return;
          }
          openSession(socket, 'acceptor');
        },
      );
      server.on('tlsClientError', (error, socket) => {
        deps.log(`mesh: TLS handshake from ${socket.remoteAddress ?? '?'} failed: ${error.message}`);
      });
      const srv = server;
      return new Promise((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, host, () => {
          srv.off('error', reject);
          const a = srv.address() as { address: string; port: number };
          resolve({ host: a.address, port: a.port });
        });
      });
    },
    /** The addresses to dial (facility config `peers`, pairings): new ones are dialled, gone ones dropped. */
    setPeers(addresses: readonly string[]): void {
      const wanted = new Set(addresses.map((a) => a.trim()).filter((a) => parsePeerAddress(a) !== null));
      for (const [address, dialer] of dialers) {
        if (wanted.has(address)) continue;
        dialers.delete(address);
        if (dialer.timer) clearTimeout(dialer.timer);
        dialer.session?.close();
      }
      for (const address of wanted) {
        if (dialers.has(address)) continue;
        const { host, port } = parsePeerAddress(address)!;
        const dialer: Dialer = {
          address,
          host,
          port,
          attempt: 0,
          timer: null,
          session: null,
          deviceId: null,
          lastError: null,
          refused: null,
          self: false,
        };
        dialers.set(address, dialer);
        dial(dialer);
      }
      deps.onChange();
    },
    /**
     * Dial `address` and pair by the code its admin showed; resolves with the paired device once
     * both sides proved the code (the connection then carries on as an ordinary session).
     */
    pair(address: string, code: string, timeoutMs = 15_000): Promise<PairedDevice> {
      const target = parsePeerAddress(address);
      if (!target) return Promise.reject(new Error(`${address} is not host:port`));
      // Stretched off the console's thread, while the TLS connection is set up.
      const stretched = pairingKeyAsync(code);
      return new Promise((resolve, reject) => {
        let settled = false;
        const finish = (error: Error | null, device?: PairedDevice) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (error) reject(error);
          else resolve(device!);
        };
        const timer = setTimeout(() => {
          socket.destroy();
          finish(new Error(`no answer from ${address}`));
        }, timeoutMs);
        framePreparer();
        const socket = tls.connect({
          host: target.host,
          port: target.port,
          ...credentials,
          rejectUnauthorized: false,
          checkServerIdentity: () => undefined,
          minVersion: 'TLSv1.3',
        });
        socket.once('error', (error) => finish(new Error(`cannot reach ${address}: ${error.message}`)));
        socket.once('secureConnect', () => {
          stretched.then(
            (key) => {
              if (settled || socket.destroyed) return socket.destroy();
              const session = openSession(socket, 'dialer', {
                key,
                record: (hello, fingerprint) => finish(null, pairedRecord(hello, fingerprint, address, socket)),
              });
              if (!session) return finish(new Error('the mesh is stopping'));
              socket.once('close', () => finish(new Error(`${address} refused the pairing code`)));
            },
            (error: unknown) => {
              socket.destroy();
              finish(new Error(`cannot stretch the pairing code: ${(error as Error).message}`));
            },
          );
        });
      });
    },
    /** Tell peers our head and tracker state changed (e.g. the tracker link went live). */
    announce(): void {
      if (deps.tracker() === 'live') {
        // Our own link pushes everything pending now: no peer's word is needed any more.
        ackQ.forget.run();
        anyVouched = false;
        vouchedCache = null;
      }
      for (const s of byDevice.values()) s.sendStatus();
    },
    /**
     * Our store learned of events the tracker holds (a push acknowledged, a pull): tell the
     * peers, at most every 200 ms, so any with those events pending can ask.
     */
    trackerAcked(): void {
      ackedEpoch += 1;
      if (announceTimer || stopped) return;
      announceTimer = setTimeout(() => {
        announceTimer = null;
        if (stopped) return;
        for (const s of byDevice.values()) s.sendStatus();
      }, 200);
      announceTimer.unref?.();
    },
    /** Pending events (not yet acknowledged to us by the tracker) that a peer says the tracker holds. */
    vouchedPending(): number {
      if (deps.tracker() === 'live' || !anyVouched) return 0;
      return (vouchedCache ??= ackQ.vouchedPending.get()?.n ?? 0);
    },
    /** Drop every session with this device and forget its cursor display (removal by an admin). */
    disconnect(deviceId: string): void {
      byDevice.get(deviceId)?.close();
      for (const s of [...sessions]) if (s.peer?.deviceId === deviceId) s.close();
      lastSeen.delete(deviceId);
    },
    peers(): PeerStatus[] {
      const out = new Map<string, PeerStatus>();
      for (const [deviceId, seenAt] of lastSeen) {
        const session = byDevice.get(deviceId);
        const connected = session && !session.closed;
        out.set(deviceId, {
          deviceId,
          name: seenAt.name,
          unit: seenAt.unit,
          address: [...dialers.values()].find((d) => d.deviceId === deviceId)?.address ?? null,
          state: connected ? 'connected' : 'unreachable',
          lastSeenAt: seenAt.at,
          behind: connected ? Math.max(0, session.peerHead - cursor(deviceId)) : 0,
          tracker: connected ? session.peerTracker : null,
          refusal: null,
        });
      }
      for (const d of dialers.values()) {
        if (d.self || (d.deviceId && out.has(d.deviceId))) continue;
        out.set(`addr:${d.address}`, {
          deviceId: d.deviceId,
          name: null,
          unit: null,
          address: d.address,
          state: d.refused ? 'refused' : d.session ? 'connecting' : 'unreachable',
          lastSeenAt: null,
          behind: 0,
          tracker: null,
          refusal: d.refused ?? d.lastError,
        });
      }
      return [...out.values()].sort((a, b) => (a.name ?? a.address ?? '').localeCompare(b.name ?? b.address ?? ''));
    },
    /** Connected peers whose own tracker link is live: our route to HQ when ours is down. */
    connectedPeers(): { deviceId: string; name: string | null; tracker: MeshTrackerState }[] {
      return [...byDevice.values()]
        .filter((s) => !s.closed && s.peer)
        .map((s) => ({ deviceId: s.peer!.deviceId, name: s.peer!.name, tracker: s.peerTracker }));
    },
    markSelf(address: string): void {
      const d = dialers.get(address);
      if (d) d.self = true;
    },
    async stop(): Promise<void> {
      stopped = true;
      if (announceTimer) clearTimeout(announceTimer);
      stopObserving();
      for (const d of dialers.values()) if (d.timer) clearTimeout(d.timer);
      for (const s of [...sessions]) s.close();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await preparer?.close();
    },
    /** The worker that prepares large frames, once a session started it (tests end it). */
    framePreparer: () => preparer,
  };
}

export type Mesh = ReturnType<typeof createMesh>;
