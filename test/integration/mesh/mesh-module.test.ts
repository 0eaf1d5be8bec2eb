/**
 * The mesh module between two real consoles (real SQLite files, real TLS on loopback),
 * with device keys made here: catch-up, live push and refusal of unknown keys; a received
 * batch committed without waiting for its fsync is seen by no one, peer or user, before its
 * flush (a power-cut image, the marks advertised meanwhile). The
 * process-level tests (mesh-cluster) cover the wired console.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type * as FsPromises from 'node:fs/promises';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHlc } from '../../../src-shared/hlc.ts';
import { createMesh, type Mesh } from '../../../src-main/core/mesh/mesh.ts';
import { keyFingerprint } from '../../../src-main/core/mesh/certificate.ts';
import { createRemoteEvents } from '../../../src-main/core/sync/remote-events.ts';
import type { TrustedDevice } from '../../../src-main/core/mesh/peer-session.ts';
import { cleanupTestConsoles, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';
import { meshAttack } from '../../support/mesh-attacker.ts';
import { walEnd } from '../../support/wal.ts';

/**
 * The store's WAL flush (`fdatasync` of `<file>-wal` through fs/promises' `open`) held while
 * `walFlush.held` is set: the test sees a received batch committed and not yet on disk for as
 * long as it needs. The flush itself is the real one, only later.
 */
const walFlush = vi.hoisted(() => {
  let release: () => void = () => undefined;
  let gate: Promise<void> | null = null;
  return {
    hold() {
      gate = new Promise<void>((resolve) => (release = resolve));
    },
    let() {
      gate = null;
      release();
    },
    wait: () => gate ?? Promise.resolve(),
  };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const open: typeof real.open = async (...args) => {
    if (String(args[0]).endsWith('-wal')) await walFlush.wait();
    return real.open(...args);
  };
  return { ...real, default: { ...real, open }, open };
});

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
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const n of open.splice(0)) {
    await n.mesh.stop();
    await n.c.close();
  }
  cleanupTestConsoles();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function node(
  name: string,
  trusted: Map<string, TrustedDevice>,
  facility = 'Märsta',
  reopen?: string,
): Promise<Node> {
  const c = openTestConsole(reopen ? { file: reopen } : {});
  if (!reopen) await c.call('auth.bootstrapAdmin', { staffNumber: `A-${name}`, name: `Admin ${name}`, pin: '1111' });
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

  it('a power cut before a received batch is flushed takes back that batch and its cursor whole; nothing of it was shown, and the peer sends it again', async () => {
    const trusted = new Map<string, TrustedDevice>();
    const a = await node('A', trusted);
    const b = await node('B', trusted);
    trust(trusted, a);
    trust(trusted, b);
    for (let i = 0; i < 10; i++) await a.c.call('incidents.create', incidentInput({ title: `A ${i}` }));
    const announced = new Set<string>();
    b.c.core.store.onCommitted((r) => r.stored.forEach((e) => announced.add(e.id)));
    a.mesh.setPeers([b.address]);
    await until('B caught up', () => [...ids(a.c)].every((id) => ids(b.c).has(id)));
    await b.c.core.store.flushed();

    // The next batch from A is the one the power cut takes: B's file and its WAL as far as
    // synced when it committed (everything before it is on disk: nothing waits for a flush).
    const imageDir = tempDir('guardline-mesh-power-');
    cleanups.push(imageDir.cleanup);
    const image = join(imageDir.path, 'after-power-cut.sqlite');
    const file = b.c.file;
    const cursorKey = `mesh.cursor.${a.deviceId}`;
    let cut: {
      lost: string[];
      shown: number;
      inOutbox: number;
      shareable: number;
      firstSeq: number;
      cursor: string | null;
    } | null = null;
    const store = b.c.core.store as { append: typeof b.c.core.store.append };
    const append = b.c.core.store.append.bind(b.c.core.store);
    store.append = (events, options) => {
      if (!options?.flushLater || cut || b.c.core.store.shareableThrough() !== Number.MAX_SAFE_INTEGER)
        return append(events, options);
      // The wal-index's last frame, not the file's size: the store writes its WAL to a working size at open.
      const syncedWal = walEnd(file);
      const cursor = b.c.core.store.getMeta(cursorKey);
      expect(b.c.core.store.checkpoints()?.completed ?? 0).toBe(0);
      const result = append(events, options);
      cut = {
        lost: result.stored.map((e) => e.id),
        shown: result.stored.filter((e) => announced.has(e.id)).length,
        inOutbox: b.c.core.store.outbox(100_000).filter((e) => result.stored.some((s) => s.id === e.id)).length,
        shareable: b.c.core.store.shareableThrough(),
        firstSeq: result.stored[0]!.seq,
        cursor,
      };
      copyFileSync(file, image);
      for (const side of readdirSync(dirname(file)))
        if (side.startsWith(`${basename(file)}-`) && !/-(wal|shm)$/.test(side))
          copyFileSync(join(dirname(file), side), `${image}${side.slice(basename(file).length)}`);
      writeFileSync(`${image}-wal`, readFileSync(`${file}-wal`).subarray(0, syncedWal));
      return result;
    };
    const live = await a.c.call<{ id: string }>('incidents.create', incidentInput({ title: 'Hot i matsalen' }));
    await until('the live incident on B', () => b.c.core.store.streamEvents(live.id).length > 0);
    // Committed but not yet shown or shareable: the incidents list and the alarm feed follow onCommitted.
    expect(cut).not.toBeNull();
    const { lost, shown, inOutbox, shareable, firstSeq, cursor } = cut!;
    expect(lost.length).toBeGreaterThan(0);
    expect(shown).toBe(0);
    // Not pushed to the tracker, not fed to other peers (they read up to shareableThrough).
    expect(inOutbox).toBe(0);
    expect(shareable).toBeLessThan(firstSeq);
    const before = ids(b.c);
    await b.mesh.stop();
    await b.c.close();
    open.splice(open.indexOf(b), 1);

    // After the power cut: every batch before is there, nothing of the lost one, the cursor as before it.
    const again = await node('B', trusted, 'Märsta', image);
    trust(trusted, again);
    expect(again.deviceId).toBe(b.deviceId);
    expect(again.c.core.store.verifyChain()).toMatchObject({ ok: true });
    const kept = ids(again.c);
    for (const id of lost) expect(kept.has(id), `lost event ${id}`).toBe(false);
    expect([...before].filter((id) => !kept.has(id)).sort()).toEqual([...lost].sort());
    expect(again.c.core.store.getMeta(cursorKey)).toBe(cursor);

    // A was never told: it sends the batch again from the old cursor.
    a.mesh.setPeers([again.address]);
    await until('the live incident on B again', () => again.c.core.store.streamEvents(live.id).length > 0);
    await until('B caught up again', () => [...ids(a.c)].every((id) => ids(again.c).has(id)));
    expect(again.c.events().length).toBe(ids(again.c).size);
    expect(again.c.core.store.verifyChain()).toMatchObject({ ok: true });
  });

  it('advertises high-water marks only for what is on disk: a peer skips what they say we hold', async () => {
    const trusted = new Map<string, TrustedDevice>();
    const a = await node('A', trusted);
    const b = await node('B', trusted);
    trust(trusted, a);
    trust(trusted, b);
    const watcher = { deviceId: 'watcher-device', ...generateKeyPairSync('ed25519') };
    trusted.set(keyFingerprint(watcher.publicKey), {
      deviceId: watcher.deviceId,
      facility: 'Märsta',
      name: null,
      unit: null,
    });
    /** The marks B sends a peer that connects now. */
    const marksOfB = async () => {
      const [host, port] = b.address.split(':');
      const frames = await meshAttack(
        { host: host!, port: Number(port) },
        watcher,
        [{ t: 'subscribe', after: 0, marks: {} }],
        { done: (got) => got.some((f) => f.t === 'subscribe') },
      );
      const subscribe = frames.find((f) => f.t === 'subscribe');
      return subscribe?.t === 'subscribe' ? (subscribe.marks[a.deviceId] ?? 0) : -1;
    };
    for (let i = 0; i < 5; i++) await a.c.call('incidents.create', incidentInput({ title: `A ${i}` }));
    a.mesh.setPeers([b.address]);
    await until('B caught up', () => [...ids(a.c)].every((id) => ids(b.c).has(id)));
    await b.c.core.store.flushed();
    const onDisk = a.c.core.store.authorHead(a.deviceId);
    expect(await marksOfB()).toBe(onDisk);

    walFlush.hold();
    try {
      const live = await a.c.call<{ id: string }>('incidents.create', incidentInput({ title: 'Hot i matsalen' }));
      await until('the live incident committed on B', () => b.c.core.store.streamEvents(live.id).length > 0);
      expect(a.c.core.store.authorHead(a.deviceId)).toBeGreaterThan(onDisk);
      // Committed on B, its flush held: B's marks still end where its disk does.
      expect(await marksOfB()).toBe(onDisk);
    } finally {
      walFlush.let();
    }
    await b.c.core.store.flushed();
    expect(await marksOfB()).toBe(a.c.core.store.authorHead(a.deviceId));
  });
});
