/**
 * The facility mesh as the sync engine's peer links: where to listen, whom to dial (the
 * facility config's `peers`, paired consoles, DNS-SD), and what to tell the UI.
 */
import type { KeyObject } from 'node:crypto';
import { meshRoute, type MeshStatus } from '../../../src-shared/sync.ts';
import type { MeshConfig } from '../../../src-shared/facility-config.ts';
import type { EventStore } from '../store/event-store.ts';
import type { PeerLinks } from '../sync/engine.ts';
import type { RemoteEvents } from '../sync/remote-events.ts';
import { keyFingerprint } from './certificate.ts';
import { createMesh, parsePeerAddress, type MeshIdentity } from './mesh.ts';
import type { SessionLimits, TrustedDevice } from './peer-session.ts';

export { keyFingerprint, selfSignedCertificate } from './certificate.ts';
export type { MeshIdentity } from './mesh.ts';
export type { TrustedDevice } from './peer-session.ts';

export interface PeerLinksDeps {
  store: EventStore;
  identity: MeshIdentity;
  remote: RemoteEvents;
  facility(): string;
  name(): string;
  unit(): string;
  /** Whether a device key belongs to this facility, and as which device. */
  trust(peerKey: KeyObject): TrustedDevice | null;
  /** The facility config's mesh section (null: none, or no config file). */
  config(): MeshConfig | null;
  /** `host:port` from the launch option; wins over the config's `listen`. */
  listenOverride: string | null;
  /** Extra addresses to dial (pairings). */
  extraPeers?: () => string[];
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
  /** Resolves once the listener is bound (or at once without one). */
  readonly listening: Promise<string | null>;
  disconnect(deviceId: string): void;
}

export function createMeshLinks(deps: PeerLinksDeps): MeshLinks {
  let trackerLive = false;
  let listeningAt: string | null = null;
  let listenTarget: string | null = null;
  let started = false;
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | null = null;
  let lastPush = 0;
  const minGap = 1000 / (deps.statusPerSecond ?? 5);

  function changed(): void {
    if (timer) return;
    const wait = Math.max(0, lastPush + minGap - performance.now());
    timer = setTimeout(() => {
      timer = null;
      lastPush = performance.now();
      for (const l of listeners) l();
    }, wait);
    timer.unref?.();
  }

  const mesh = createMesh({
    store: deps.store,
    identity: deps.identity,
    remote: deps.remote,
    facility: deps.facility,
    name: deps.name,
    unit: deps.unit,
    tracker: () => (trackerLive ? 'live' : 'offline'),
    trust: deps.trust,
    wallClock: deps.wallClock,
    log: deps.log,
    onChange: changed,
    ...(deps.backoffBaseMs !== undefined ? { backoffBaseMs: deps.backoffBaseMs } : {}),
    ...(deps.backoffCapMs !== undefined ? { backoffCapMs: deps.backoffCapMs } : {}),
    ...(deps.limits ? { limits: deps.limits } : {}),
  });
  const fingerprint = keyFingerprint(deps.identity.publicKey);

  let resolveListening: (address: string | null) => void = () => undefined;
  const listening = new Promise<string | null>((resolve) => (resolveListening = resolve));

  async function reconfigure(): Promise<void> {
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
    resolveListening(listeningAt);
    const addresses = [...(config?.peers ?? []), ...(deps.extraPeers?.() ?? [])].filter((a) => a !== listeningAt);
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
      resolveListening(listeningAt);
      await mesh.stop();
    },
    status(live): MeshStatus {
      const peers = mesh.peers();
      return {
        enabled: listeningAt !== null || peers.length > 0,
        listening: listeningAt,
        fingerprint,
        peers,
        route: meshRoute(live, peers),
      };
    },
    trackerChanged(live) {
      trackerLive = live;
      mesh.announce();
    },
    onChange(listener) {
      listeners.add(listener);
    },
    reconfigure,
    listening,
    disconnect: (deviceId) => mesh.disconnect(deviceId),
  };
}
