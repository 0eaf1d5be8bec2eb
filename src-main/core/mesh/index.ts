/**
 * The facility mesh as the sync engine's peer links: where to listen, whom to dial (the
 * facility config's `peers`, paired consoles, DNS-SD), whom to trust (the keyring built
 * from the facility's `device.enrolled` records), and what to tell the UI.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { keyFingerprint, rawPublicKey } from '../../../src-common/trust/index.ts';
import { deviceStreamId } from '../../../src-shared/signed-envelope.ts';
import { meshRoute, type MeshPairingCode, type MeshStatus } from '../../../src-shared/sync.ts';
import type { MeshConfig } from '../../../src-shared/facility-config.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import type { ConsoleKeyring, DeviceIdentity, Revocations } from '../identity/index.ts';
import type { PeerLinks } from '../sync/engine.ts';
import type { RemoteEvents } from '../sync/remote-events.ts';
import { startDiscovery, type Discovery, type DiscoveryLimits, type DiscoveryStats } from './discovery.ts';
import { createMesh, parsePeerAddress } from './mesh.ts';
import type { FramePreparer } from './frame-preparer.ts';
import { createMeshMemory, createPairingDesk, type PairedDevice } from './pairing.ts';
import type { SessionLimits, TrustedDevice } from './peer-session.ts';

export { meshApp } from './app.ts';

export interface MeshLinksDeps {
  store: EventStore;
  identity: DeviceIdentity;
  keyring: ConsoleKeyring;
  /** Facility-wide revocations: never trusted, dialled or relayed to again. */
  revocations: Revocations;
  remote: RemoteEvents;
  event: EventFactory;
  facility(): string;
  name(): string;
  unit(): string;
  /** The facility config's mesh section (null: none, or no config file). */
  config(): MeshConfig | null;
  /** `host:port` from the launch option; wins over the config's `listen`. */
  listenOverride: string | null;
  /** The demo facility: discovery stays off unless the config turns it on. */
  demo(): boolean;
  discoveryLimits?: Partial<DiscoveryLimits>;
  wallClock: () => number;
  log(message: string): void;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  limits?: Partial<SessionLimits>;
  /** Most status pushes per second while peers replicate. */
  statusPerSecond?: number;
}

export interface MeshLinks extends PeerLinks {
  /** Re-read listen address and peers (after a config reload or a pairing). */
  reconfigure(): Promise<void>;
  /** The worker that prepares peers' large frames, once a session started it (frame-preparer.ts). */
  framePreparer(): FramePreparer | null;
  /** The bound listener (null without one) once the latest reconfiguration has settled. */
  listening(): Promise<string | null>;
  pairingCode(): MeshPairingCode;
  pair(address: string, code: string, actor: string): Promise<PairedDevice>;
  remove(deviceId: string): boolean;
  /**
   * Revoke a console for the whole facility: a signed `device.revoked` record with the
   * device's highest sequence number held here as its cutoff (src-shared/device-revocation.ts).
   */
  revoke(deviceId: string, reason: string, actor: string): RevokeOutcome;
}

export type RevokeOutcome = 'revoked' | 'unknown' | 'self' | 'already';

export function createMeshLinks(deps: MeshLinksDeps): MeshLinks {
  const { store } = deps;
  let trackerLive = false;
  let listeningAt: string | null = null;
  let listenTarget: string | null = null;
  let started = false;
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | null = null;
  let lastPush = 0;
  const minGap = 1000 / (deps.statusPerSecond ?? 5);
  const memory = createMeshMemory(store);
  const desk = createPairingDesk(deps.wallClock);
  const publicKey = createPublicKey(deps.identity.privateKey);
  let discovery: Discovery | null = null;

  function changed(): void {
    // After stop() the store may be closed: nobody may read status any more.
    if (timer || !started) return;
    const wait = Math.max(0, lastPush + minGap - performance.now());
    timer = setTimeout(() => {
      timer = null;
      lastPush = performance.now();
      for (const l of listeners) l();
    }, wait);
    timer.unref?.();
  }

  /** Pinned keys: the device's key in this facility's keyring (device records), unless an admin removed it. */
  function trust(peerKey: KeyObject, claimedDeviceId: string): TrustedDevice | null {
    if (memory.removed().has(claimedDeviceId) || deps.revocations.cutoff(claimedDeviceId) !== null) return null;
    const raw = rawPublicKey(peerKey);
    const facility = deps.facility();
    const entry = deps.keyring.keyring
      .entries(claimedDeviceId)
      .find((e) => e.publicKey === raw && e.facility === facility);
    return entry ? { deviceId: claimedDeviceId, facility, name: null, unit: null } : null;
  }

  /** A discovered console is dialled only when its announced key is one this facility trusts. */
  function trustedFingerprint(deviceId: string, fingerprint: string): boolean {
    if (memory.removed().has(deviceId) || deps.revocations.cutoff(deviceId) !== null) return false;
    const facility = deps.facility();
    return deps.keyring.keyring
      .entries(deviceId)
      .some((e) => e.facility === facility && e.publicKey !== null && keyFingerprint(e.publicKey) === fingerprint);
  }

  /** Pairing binds the other console's key in the facility's log, signed by this (admin) console. */
  function recordPaired(device: PairedDevice, actor: string): void {
    if (deps.revocations.cutoff(device.deviceId) !== null) return; // revoked stays revoked
    if (trust(publicKeyOf(device.publicKey), device.deviceId)) return;
    memory.restore(device.deviceId);
    store.append([
      deps.event(
        'device.enrolled',
        deviceStreamId(device.deviceId),
        {
          deviceId: device.deviceId,
          publicKey: device.publicKey,
          facility: deps.facility(),
          label: [device.name, device.unit].filter(Boolean).join(' · ').slice(0, 120),
          enrolledBy: deps.identity.deviceId,
        },
        actor,
      ),
    ]);
    deps.keyring.keyring.add({ deviceId: device.deviceId, publicKey: device.publicKey, facility: deps.facility() });
    if (device.address) memory.addAddress(device.address);
  }
  let pairingActor = 'pairing';

  const mesh = createMesh({
    store,
    identity: { deviceId: deps.identity.deviceId, publicKey, privateKey: deps.identity.privateKey },
    remote: deps.remote,
    facility: deps.facility,
    name: deps.name,
    unit: deps.unit,
    tracker: () => (trackerLive ? 'live' : 'offline'),
    trust,
    keyring: deps.keyring.keyring,
    revoked: {
      blocked: (deviceId) => deps.revocations.cutoff(deviceId) !== null,
      withhold: (event) => deps.revocations.withheld(event),
    },
    wallClock: deps.wallClock,
    log: deps.log,
    onChange: changed,
    pairing: { desk, record: (device) => recordPaired(device, pairingActor) },
    ...(deps.backoffBaseMs !== undefined ? { backoffBaseMs: deps.backoffBaseMs } : {}),
    ...(deps.backoffCapMs !== undefined ? { backoffCapMs: deps.backoffCapMs } : {}),
    ...(deps.limits ? { limits: deps.limits } : {}),
  });

  // A revocation stored here (authored here or received): drop the device's live session now.
  deps.revocations.onRevoked((deviceId) => {
    if (!started) return;
    mesh.disconnect(deviceId);
    deps.log(`mesh: ${deviceId} was revoked for the facility; its session is closed and it is not dialled again`);
    discovery?.recheck();
    changed();
  });
  const authorHead = store.db.prepare<[string], { top: number | null }>(
    'SELECT max(device_seq) AS top FROM events WHERE device_id = ?',
  );

  /** Reconfigurations run one after another, so two reloads never bind twice. */
  let settled: Promise<void> = Promise.resolve();
  function reconfigure(): Promise<void> {
    settled = settled.then(apply, apply);
    return settled;
  }

  async function apply(): Promise<void> {
    if (!started) return;
    const config = deps.config();
    const target = deps.listenOverride ?? config?.listen ?? null;
    if (target !== null && listenTarget === null) {
      listenTarget = target;
      const parsed = parsePeerAddress(target, true);
      try {
        if (!parsed) throw new Error('not host:port');
        const bound = await mesh.listen(parsed.host, parsed.port);
        listeningAt = `${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`;
        deps.log(`mesh: listening on ${listeningAt}`);
      } catch (error) {
        deps.log(`mesh: cannot listen on ${target}: ${(error as Error).message}`);
      }
    }
    await applyDiscovery(config);
    const addresses = [...(config?.peers ?? []), ...memory.addresses(), ...(discovery?.addresses() ?? [])].filter(
      (a) => a !== listeningAt,
    );
    mesh.setPeers(addresses);
    changed();
  }

  async function applyDiscovery(config: MeshConfig | null): Promise<void> {
    const wanted = discoveryWanted(listeningAt, config?.discovery, deps.demo());
    if (!wanted && discovery) {
      const d = discovery;
      discovery = null;
      await d.stop();
      deps.log('mesh: discovery off');
    }
    if (!wanted || discovery || listeningAt === null) return;
    const bound = parsePeerAddress(listeningAt)!;
    try {
      discovery = startDiscovery({
        host: bound.host,
        port: bound.port,
        facility: deps.facility(),
        deviceId: deps.identity.deviceId,
        fingerprint: deps.identity.fingerprint,
        trusted: trustedFingerprint,
        onChange: () => void reconfigure(),
        log: deps.log,
        ...(deps.discoveryLimits ? { limits: deps.discoveryLimits } : {}),
      });
      deps.log(`mesh: announcing and browsing _${'guardline'}._tcp on ${bound.host}`);
    } catch (error) {
      deps.log(`mesh: discovery cannot start: ${(error as Error).message}`);
    }
  }
  // A device record that arrives later can make an already heard console dialable.
  store.onCommitted((result) => {
    if (discovery && result.stored.some((e) => e.type.startsWith('device.'))) discovery.recheck();
  });

  return {
    start() {
      if (started) return;
      started = true;
      void reconfigure();
    },
    framePreparer: () => mesh.framePreparer(),
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      const d = discovery;
      discovery = null;
      await Promise.all([mesh.stop(), d?.stop()]);
    },
    status(live): MeshStatus {
      const peers = mesh.peers();
      return {
        enabled: listeningAt !== null || peers.length > 0,
        listening: listeningAt,
        fingerprint: deps.identity.fingerprint,
        peers,
        route: meshRoute(live, peers),
        discovery: discovery ? discoveryStatus(discovery.stats()) : null,
      };
    },
    trackerChanged(live) {
      trackerLive = live;
      mesh.announce();
    },
    trackerAcked: () => mesh.trackerAcked(),
    vouchedPending: () => mesh.vouchedPending(),
    onChange(listener) {
      listeners.add(listener);
    },
    reconfigure,
    listening: () => settled.then(() => listeningAt),
    pairingCode() {
      const opened = desk.open();
      return { ...opened, address: listeningAt, fingerprint: deps.identity.fingerprint };
    },
    async pair(address, code, actor) {
      pairingActor = actor;
      const device = await mesh.pair(address, code);
      if (deps.revocations.cutoff(device.deviceId) !== null)
        throw new Error(`${device.name ?? device.deviceId} is revoked for this facility and cannot be paired again`);
      recordPaired(device, actor);
      await reconfigure();
      return device;
    },
    revoke(deviceId, reason, actor) {
      if (deviceId === deps.identity.deviceId) return 'self';
      if (deps.revocations.cutoff(deviceId) !== null) return 'already';
      const known =
        deps.keyring.keyring.entries(deviceId).length > 0 || mesh.peers().some((p) => p.deviceId === deviceId);
      if (!known) return 'unknown';
      const throughSeq = authorHead.get(deviceId)?.top ?? 0;
      store.append([
        deps.event(
          'device.revoked',
          deviceStreamId(deviceId),
          { deviceId, facility: deps.facility(), throughSeq, revokedBy: deps.identity.deviceId, reason },
          actor,
        ),
      ]);
      return 'revoked';
    },
    remove(deviceId) {
      const known =
        deps.keyring.keyring.entries(deviceId).length > 0 || mesh.peers().some((p) => p.deviceId === deviceId);
      if (!known) return false;
      memory.remove(deviceId);
      for (const p of mesh.peers()) if (p.deviceId === deviceId && p.address) memory.dropAddress(p.address);
      mesh.disconnect(deviceId);
      changed();
      return true;
    },
  };
}

/**
 * Whether to announce and browse: on by default while a listener is open on a LAN address,
 * except for the demo facility; the config's `mesh.discovery` decides otherwise. A loopback
 * listener is off by default: nothing on the LAN could dial the address it would announce.
 */
export function discoveryWanted(listening: string | null, configured: boolean | undefined, demo: boolean): boolean {
  if (listening === null) return false;
  if (configured !== undefined) return configured;
  const host = parsePeerAddress(listening)?.host ?? '';
  const loopback = /^127\./.test(host) || host === '::1' || host === 'localhost';
  return !demo && !loopback;
}

function discoveryStatus(s: DiscoveryStats): NonNullable<MeshStatus['discovery']> {
  return { heard: s.cached, dialable: s.dialable, refused: s.refused, rateLimited: s.rateLimited };
}

function publicKeyOf(raw: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
}
