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
import { toStored, type EventRow, type EventStore } from '../store/event-store.ts';
import type { RemoteEvents } from '../sync/remote-events.ts';
import { fullJitterDelay } from '../sync/backoff.ts';
import { keyFingerprint, selfSignedCertificate } from './certificate.ts';
import { rawPublicKey } from '../../../src-common/trust/index.ts';
import { pairingKey, type PairedDevice, type PairingDesk } from './pairing.ts';
import {
  openPeerSession,
  type MeshRefusalError,
  type PeerSession,
  type SessionLimits,
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
  let stopped = false;

  const q = {
    after: store.db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    head: store.db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events'),
  };
  const head = () => q.head.get()?.seq ?? 0;
  const markQ = {
    perDevice: store.db.prepare<[], { device_id: string; top: number; n: number }>(
      `SELECT device_id, max(device_seq) AS top, count(device_seq) AS n FROM events
        WHERE device_seq IS NOT NULL GROUP BY device_id`,
    ),
    firstGap: store.db.prepare<[string, string], { mark: number }>(
      `SELECT e.device_seq AS mark FROM events e WHERE e.device_id = ? AND e.device_seq IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM events f WHERE f.device_id = ? AND f.device_seq = e.device_seq + 1)
       ORDER BY e.device_seq LIMIT 1`,
    ),
  };
  /** Per author, the highest sequence number up to which this log has every event. */
  function marks(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of markQ.perDevice.all()) {
      if (row.n === row.top)
        out[row.device_id] = row.top; // 1..top all present (sequences are unique per author)
      else {
        const has1 = store.db
          .prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE device_id = ? AND device_seq = 1')
          .get(row.device_id);
        out[row.device_id] = has1 ? (markQ.firstGap.get(row.device_id, row.device_id)?.mark ?? 0) : 0;
      }
    }
    return out;
  }
  const cursorKey = (peer: string) => `mesh.cursor.${peer}`;
  const cursor = (peer: string) => Number(store.getMeta(cursorKey(peer)) ?? '0');

  function feedAfter(seq: number, limit: number): StoredEvent[] {
    // One read per batch (not one per event), through the store's own row mapping, so the
    // envelope has exactly the store's shape (signature and chain fields included).
    return q.after.all(seq, limit).map(toStored);
  }

  function accept(peer: TrustedDevice, events: FeedEvent[], last: number): MeshRefusalError | null {
    const serverSeqById = new Map<string, number>();
    const envelopes = events.map(({ seq: _seq, serverSeq, ...envelope }) => {
      if (serverSeq !== null) serverSeqById.set(envelope.id, serverSeq);
      return envelope;
    });
    const answer = deps.remote.accept(
      {
        events: envelopes,
        serverSeqById,
        alsoInTransaction: () => {
          if (last > cursor(peer.deviceId)) store.setMeta(cursorKey(peer.deviceId), String(last));
        },
      },
      `peer:${peer.deviceId}`,
    );
    if ('refused' in answer) return { code: answer.refused.code, message: answer.refused.message };
    return null;
  }

  const self = () => ({
    deviceId: deps.identity.deviceId,
    facility: deps.facility(),
    name: deps.name(),
    unit: deps.unit(),
    head: head(),
    tracker: deps.tracker(),
  });

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
              record: (hello: HelloFrame, fingerprint: string) => pairedRecord(hello, fingerprint, null, socket),
            },
          }
        : {}),
      self,
      trust: deps.trust,
      feedAfter,
      cursor,
      marks,
      accept,
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
    return session;
  }

  function scheduleDial(dialer: Dialer): void {
    if (stopped || dialer.self || !dialers.has(dialer.address) || dialer.timer) return;
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
    // A peer that already reached us on its own connection needs no second one.
    const covered = dialer.deviceId ? byDevice.get(dialer.deviceId) : undefined;
    if (covered && !covered.closed) {
      dialer.attempt = Math.min(dialer.attempt, 4);
      return scheduleDial(dialer);
    }
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
    for (const s of byDevice.values()) s.wake();
  });

  return {
    /** Listen on the LAN address (port 0 picks a free one); resolves with the bound address. */
    listen(host: string, port: number): Promise<{ host: string; port: number }> {
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
      const key = pairingKey(code);
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
          const session = openSession(socket, 'dialer', {
            key,
            record: (hello, fingerprint) => finish(null, pairedRecord(hello, fingerprint, address, socket)),
          });
          if (!session) return finish(new Error('the mesh is stopping'));
          socket.once('close', () => finish(new Error(`${address} refused the pairing code`)));
        });
      });
    },
    /** Tell peers our head and tracker state changed (e.g. the tracker link went live). */
    announce(): void {
      for (const s of byDevice.values()) s.sendStatus();
    },
    /** Drop every session with this device and forget its cursor display (removal by an admin). */
    disconnect(deviceId: string): void {
      byDevice.get(deviceId)?.close();
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
      stopObserving();
      for (const d of dialers.values()) if (d.timer) clearTimeout(d.timer);
      for (const s of [...sessions]) s.close();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}

export type Mesh = ReturnType<typeof createMesh>;
