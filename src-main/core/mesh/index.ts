/**
 * The facility mesh as the sync engine's peer links: where to listen, whom to dial (the
 * facility config's `peers`, paired consoles, DNS-SD), whom to trust (the keyring built
 * from the facility's `device.enrolled` records), and what to tell the UI.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { rawPublicKey } from '../../../src-common/trust/index.ts';
import { deviceStreamId } from '../../../src-shared/signed-envelope.ts';
import { meshRoute, type MeshPairingCode, type MeshStatus } from '../../../src-shared/sync.ts';
import type { MeshConfig } from '../../../src-shared/facility-config.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import type { ConsoleKeyring, DeviceIdentity } from '../identity/index.ts';
import type { PeerLinks } from '../sync/engine.ts';
import type { RemoteEvents } from '../sync/remote-events.ts';
import { createMesh, parsePeerAddress } from './mesh.ts';
import { createMeshMemory, createPairingDesk, type PairedDevice } from './pairing.ts';
import type { SessionLimits, TrustedDevice } from './peer-session.ts';

export { meshApp } from './app.ts';

export interface MeshLinksDeps {
  store: EventStore;
  identity: DeviceIdentity;
  keyring: ConsoleKeyring;
  remote: RemoteEvents;
  event: EventFactory;
  facility(): string;
  name(): string;
  unit(): string;
  /** The facility config's mesh section (null: none, or no config file). */
  config(): MeshConfig | null;
  /** `host:port` from the launch option; wins over the config's `listen`. */
  listenOverride: string | null;
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
  /** The bound listener (null without one) once the latest reconfiguration has settled. */
  listening(): Promise<string | null>;
  pairingCode(): MeshPairingCode;
  pair(address: string, code: string, actor: string): Promise<PairedDevice>;
  remove(deviceId: string): boolean;
}

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
    if (memory.removed().has(claimedDeviceId)) return null;
    const raw = rawPublicKey(peerKey);
    const facility = deps.facility();
    const entry = deps.keyring.keyring
      .entries(claimedDeviceId)
      .find((e) => e.publicKey === raw && e.facility === facility);
    return entry ? { deviceId: claimedDeviceId, facility, name: null, unit: null } : null;
  }

  /** Pairing binds the other console's key in the facility's log, signed by this (admin) console. */
  function recordPaired(device: PairedDevice, actor: string): void {
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
    wallClock: deps.wallClock,
    log: deps.log,
    onChange: changed,
    pairing: { desk, record: (device) => recordPaired(device, pairingActor) },
    ...(deps.backoffBaseMs !== undefined ? { backoffBaseMs: deps.backoffBaseMs } : {}),
    ...(deps.backoffCapMs !== undefined ? { backoffCapMs: deps.backoffCapMs } : {}),
    ...(deps.limits ? { limits: deps.limits } : {}),
  });

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
    const addresses = [...(config?.peers ?? []), ...memory.addresses()].filter((a) => a !== listeningAt);
    mesh.setPeers(addresses);
    changed();
  }

  return {
    start() {
      if (started) return;
      started = true;
      void reconfigure();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      await mesh.stop();
    },
    status(live): MeshStatus {
      const peers = mesh.peers();
      return {
        enabled: listeningAt !== null || peers.length > 0,
        listening: listeningAt,
        fingerprint: deps.identity.fingerprint,
        peers,
        route: meshRoute(live, peers),
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
      recordPaired(device, actor);
      await reconfigure();
      return device;
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

function publicKeyOf(raw: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
}
