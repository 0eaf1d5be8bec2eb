/**
 * The mesh module between two real consoles (real SQLite files, real TLS on loopback),
 * with device keys made here: catch-up, live push and refusal of unknown keys. The
 * process-level tests (mesh-cluster) cover the wired console.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createHlc } from '../../../src-shared/hlc.ts';
import { createMesh, type Mesh } from '../../../src-main/core/mesh/mesh.ts';
import { keyFingerprint } from '../../../src-main/core/mesh/certificate.ts';
import { createRemoteEvents } from '../../../src-main/core/sync/remote-events.ts';
import type { TrustedDevice } from '../../../src-main/core/mesh/peer-session.ts';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

interface Node {
  c: TestConsole;
  mesh: Mesh;
  key: { publicKey: KeyObject; privateKey: KeyObject };
  deviceId: string;
  address: string;
  logs: string[];
  /** Devices this node's mesh treats as revoked for the facility (as the revocations module would). */
  revoked: Set<string>;
  /** How often the mesh announced a change of its status (the page's sync status push). */
  changes: number;
}

const open: Node[] = [];
afterEach(async () => {
  for (const n of open.splice(0)) {
    await n.mesh.stop();
    await n.c.close();
  }
  cleanupTestConsoles();
});

async function node(name: string, trusted: Map<string, TrustedDevice>, facility = 'Märsta'): Promise<Node> {
  const c = openTestConsole();
  await c.call('auth.bootstrapAdmin', { staffNumber: `A-${name}`, name: `Admin ${name}`, pin: '1111' });
  const key = generateKeyPairSync('ed25519');
  const deviceId = c.core.info().deviceId;
  const logs: string[] = [];
  const revoked = new Set<string>();
  const n: Node = { c, mesh: null as unknown as Mesh, key, deviceId, address: '', logs, revoked, changes: 0 };
  const clock = createHlc({ node: deviceId, wallClock: Date.now });
  const mesh = createMesh({
    store: c.core.store,
    identity: { deviceId, ...key },
    remote: createRemoteEvents({ store: c.core.store, clock, wallClock: Date.now }),
    facility: () => facility,
    name: () => name,
    unit: () => `Avdelning ${name}`,
    tracker: () => 'offline',
    trust: (k, claimed) => {
      const t = trusted.get(keyFingerprint(k));
      return t && t.deviceId === claimed ? t : null;
    },
    wallClock: Date.now,
    log: (m) => logs.push(m),
    onChange: () => {
      n.changes += 1;
    },
    revoked: { blocked: (id) => revoked.has(id), withhold: () => false },
    backoffBaseMs: 20,
    backoffCapMs: 200,
  });
  const bound = await mesh.listen('127.0.0.1', 0);
  n.mesh = mesh;
  n.address = `127.0.0.1:${bound.port}`;
  open.push(n);
  return n;
}

function trust(trusted: Map<string, TrustedDevice>, n: Node, facility: string | null = 'Märsta') {
  trusted.set(keyFingerprint(n.key.publicKey), { deviceId: n.deviceId, facility, name: null, unit: null });
}

const ids = (c: TestConsole) => new Set(c.events().map((e) => e.id));

async function until(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('mesh between two consoles', () => {
  it('catches up on what each logged apart, then carries new incidents live, both ways', async () => {
    const trusted = new Map<string, TrustedDevice>();
    const a = await node('A', trusted);
    const b = await node('B', trusted);
    trust(trusted, a);
    trust(trusted, b);
    for (let i = 0; i < 30; i++) await a.c.call('incidents.create', incidentInput({ title: `A ${i}` }));
    for (let i = 0; i < 20; i++) await b.c.call('incidents.create', incidentInput({ title: `B ${i}` }));

    a.mesh.setPeers([b.address]);
    await until(
      'both logs equal',
      () => ids(a.c).size === ids(b.c).size && [...ids(a.c)].every((id) => ids(b.c).has(id)),
    );
    const live = await b.c.call<{ id: string }>('incidents.create', incidentInput({ title: 'Hot i matsalen' }));
    await until('the live incident on A', () => a.c.core.store.streamEvents(live.id).length > 0);
    expect(a.mesh.peers()).toMatchObject([{ deviceId: b.deviceId, state: 'connected', name: 'B' }]);
    // Each event once: the counts of distinct ids and rows agree on both.
    expect(a.c.events().length).toBe(ids(a.c).size);
    expect(b.c.events().length).toBe(ids(b.c).size);
  });

  it('shows a revoked console as refused as soon as its dialler stops, and says so to the page', async () => {
    const trusted = new Map<string, TrustedDevice>();
    const a = await node('A', trusted);
    const b = await node('B', trusted);
    trust(trusted, a);
    trust(trusted, b);
    a.mesh.setPeers([b.address]);
    await until('A connected to B', () => a.mesh.peers().some((p) => p.state === 'connected'));
    // B goes away, so A's dialler waits to dial it again; meanwhile B is revoked for the
    // facility (the revocations module's part, then its disconnect, as index.ts does).
    await b.mesh.stop();
    await until('A sees B gone', () => !a.mesh.peers().some((p) => p.state === 'connected'));
    a.revoked.add(b.deviceId);
    a.mesh.disconnect(b.deviceId);
    const changesBefore = a.changes;
    // The dialler's next turn finds B revoked: its row says so, and the page is told, with
    // nothing else changing (before, the page kept showing no row for B until it was).
    await until('B refused as revoked on A', () =>
      a.mesh.peers().some((p) => p.state === 'refused' && p.refusal === 'revoked'),
    );
    expect(a.changes).toBeGreaterThan(changesBefore);
    expect(a.mesh.peers()).toMatchObject([{ address: b.address, state: 'refused', refusal: 'revoked' }]);
  });

  it('refuses a device whose key the facility does not know, and stores nothing from it', async () => {
    const trusted = new Map<string, TrustedDevice>();
    const a = await node('A', trusted);
    const stranger = await node('X', new Map());
    trust(new Map(), stranger);
    await stranger.c.call('incidents.create', incidentInput({ title: 'från okänd' }));
    const before = ids(a.c).size;
    stranger.mesh.setPeers([a.address]);
    await until('a refusal in A’s log', () => a.logs.some((l) => l.includes('unknown_device')));
    expect(ids(a.c).size).toBe(before);
  });

  it('refuses a known key that claims another facility', async () => {
    const trusted = new Map<string, TrustedDevice>();
    const a = await node('A', trusted);
    const other = await node('Y', trusted, 'Kumla');
    trust(trusted, a);
    trust(trusted, other, null);
    other.mesh.setPeers([a.address]);
    await until('a refusal in A’s log', () => a.logs.some((l) => l.includes('other_facility')));
  });
});
