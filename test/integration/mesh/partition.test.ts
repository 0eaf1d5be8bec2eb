/**
 * The facility LAN partitioned and healed, with the tracker away and back: three consoles
 * (real SQLite files, mutual TLS on loopback, every peer link through its own fault
 * proxy) and a tracker child process. A–C cut while A–B and B–C stay up, then the whole
 * LAN cut, then healed, then the tracker returns. Afterwards every event is held exactly
 * once by every console and the tracker, the four pictures agree, and no author's
 * sequence has a gap. Also: a console whose tracker link is cut gets its events to the
 * tracker through a peer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { cleanupTestConsoles, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';
import { projectionHash } from '../../../src-shared/projection-hash.ts';
import {
  consoleIncidents,
  deviceToken,
  enrol,
  enrolmentCode,
  startTracker,
  trackerEvents,
  trackerProjectionHash,
} from '../sync/sync-lab.ts';
import {
  authorLedger,
  connectedPeers,
  meshNode,
  setLan,
  startMesh,
  until,
  wireMesh,
  type MeshNode,
} from './mesh-lab.ts';

const dir = tempDir('guardline-mesh-partition-');
/** Events each console logs while A–C are cut, then while all are cut (GUARDLINE_MESH_EVENTS scales both down for a quick look). */
const PHASE1 = Number(process.env.GUARDLINE_MESH_EVENTS ?? 1500);
const PHASE2 = Math.ceil(PHASE1 / 3);
const nodes: MeshNode[] = [];
const proxies: FaultProxy[] = [];
let tracker: ChildTracker | null = null;

afterAll(async () => {
  for (const n of nodes) await n.c.close();
  for (const p of proxies) await p.close();
  await tracker?.kill();
  cleanupTestConsoles();
  dir.cleanup();
});

/** `count` events on a console: incidents created, then edited and annotated in turn. */
async function logEvents(c: TestConsole, count: number, tag: string): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0 || ids.length === 0) {
      // Technical incidents: no escalation timers adding events while the test counts.
      const made = await c.call<{ id: string }>(
        'incidents.create',
        incidentInput({ title: `${tag} ${i}`, category: 'technical', severity: 'medium' }),
      );
      ids.push(made.id);
    } else if (i % 4 === 1) await c.call('incidents.addNote', { id: ids.at(-1), text: `${tag} anteckning ${i}` });
    else await c.call('incidents.update', { id: ids.at(-1), patch: { location: `${tag} rum ${i}` } });
  }
}

/** What each console holds and sees, for a failure message. */
function state(mesh: MeshNode[], wanted: number): string {
  const union = new Set(mesh.flatMap((n) => [...allIds(n.c)]));
  const gaps = mesh.map((n) => {
    const have = allIds(n.c);
    const missing = [...union].filter((id) => !have.has(id)).slice(0, 5);
    const rows = missing.map((id) => {
      const holder = mesh.find((m) => allIds(m.c).has(id))!;
      const e = holder.c.core.store.getEvent(id)!;
      return `${id} ${e.type} by ${e.deviceId} seq ${e.deviceSeq ?? '-'} sig ${e.sig ? 'yes' : 'no'} held by ${holder.name}`;
    });
    return `${n.name} lacks ${[...union].filter((id) => !have.has(id)).length}: ${rows.join(' | ')}`;
  });
  return `wanted ${wanted}; ${gaps.join('; ')}; ${mesh
    .map(
      (n) =>
        `${n.name}: ${total(n.c)} events, peers ${JSON.stringify(n.c.core.sync.status().mesh.peers.map((p) => [p.name, p.state, p.behind]))}`,
    )
    .join('; ')}`;
}

/** Every event in a console's log (device records included, unlike sync-lab's eventCount). */
const total = (c: TestConsole) =>
  (c.core.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

const allIds = (c: TestConsole) =>
  new Set((c.core.store.db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id));

async function threeEnrolledConsoles(prefix: string): Promise<{ mesh: MeshNode[]; wan: FaultProxy[] }> {
  if (!tracker) tracker = await startTracker(join(dir.path, 'tracker.sqlite'));
  const trackerPort = Number(new URL(tracker.url).port);
  const mesh: MeshNode[] = [];
  const wan: FaultProxy[] = [];
  for (const name of ['A', 'B', 'C']) {
    const node = await meshNode(dir.path, `${prefix}${name}`);
    nodes.push(node);
    mesh.push(node);
    const link = await startFaultProxy(trackerPort, wan.length + 11);
    proxies.push(link);
    wan.push(link);
    await startMesh(node);
    await enrol(node.c, link.url, await enrolmentCode(tracker.url));
  }
  const lan = await wireMesh(mesh);
  proxies.push(...lan.values());
  (mesh as MeshNode[] & { lan?: typeof lan }).lan = lan;
  // Each console trusts the others once their device records came through the tracker.
  await until('every console connected to both others', () => mesh.every((n) => connectedPeers(n) === 2));
  return { mesh, wan };
}

describe('facility mesh through partitions', () => {
  it(
    'partition, full cut, heal and tracker return: each event exactly once everywhere, four equal pictures, no sequence gap',
    { timeout: 600_000 },
    async () => {
      const { mesh, wan } = await threeEnrolledConsoles('p');
      const lan = (mesh as MeshNode[] & { lan: Map<string, FaultProxy> }).lan;
      const [a, b, c] = mesh as [MeshNode, MeshNode, MeshNode];

      // The WAN goes: no console reaches the tracker.
      for (const link of wan) {
        link.setLink('down');
        link.cutAll();
      }
      // A–C cut; A–B and B–C up: B carries A's events to C and C's to A.
      setLan(lan, a.name, c.name, 'down');
      await until('A and C apart', () => connectedPeers(a) === 1 && connectedPeers(c) === 1);
      await Promise.all([logEvents(a.c, PHASE1, 'A'), logEvents(b.c, PHASE1, 'B'), logEvents(c.c, PHASE1, 'C')]);
      const afterPartition = new Set([...allIds(a.c), ...allIds(b.c), ...allIds(c.c)]);
      await until(
        'the partitioned LAN to converge through B',
        () => mesh.every((n) => total(n.c) >= afterPartition.size && total(n.c) === total(b.c)),
        Number(process.env.GUARDLINE_MESH_WAIT_MS ?? 300_000),
        () => state(mesh, afterPartition.size),
      );

      // Everything cut: three islands.
      setLan(lan, a.name, b.name, 'down');
      setLan(lan, b.name, c.name, 'down');
      await until('three islands', () => mesh.every((n) => connectedPeers(n) === 0));
      await Promise.all([logEvents(a.c, PHASE2, 'A2'), logEvents(b.c, PHASE2, 'B2'), logEvents(c.c, PHASE2, 'C2')]);

      // Healed LAN: all three converge without the tracker.
      for (const [x, y] of [
        [a, b],
        [b, c],
        [a, c],
      ] as const)
        setLan(lan, x.name, y.name, 'up');
      const everything = new Set([...allIds(a.c), ...allIds(b.c), ...allIds(c.c)]);
      await until(
        'the healed LAN to converge',
        () => mesh.every((n) => total(n.c) >= everything.size && total(n.c) === total(a.c)),
        undefined,
        () => state(mesh, everything.size),
      );

      // The tracker returns: every console drains and the tracker holds the same events.
      for (const link of wan) link.setLink('up');
      for (const n of mesh) n.c.core.dispatch('sync.retryNow', {}, { origin: 'test' });
      await until('every console live with nothing pending', () =>
        mesh.every((n) => {
          const s = n.c.core.sync.status();
          return s.state === 'live' && s.pending === 0;
        }),
      );
      const held = await trackerEvents(tracker!.url, deviceToken(a.c));
      const trackerIds = held.map((e) => e.id);
      expect(new Set(trackerIds).size).toBe(trackerIds.length);

      // Exactly once, per author, in all four places (the tracker's own records are its
      // to serve: the consoles' ledgers must agree with each other on those).
      const consoles = new Set(mesh.map((n) => n.deviceId));
      const reference = authorLedger(a.c);
      for (const n of mesh) {
        const ledger = authorLedger(n.c);
        expect(new Set(ledger.keys())).toEqual(new Set(reference.keys()));
        for (const [author, mine] of ledger) {
          expect(mine.rows).toBe(mine.ids.size);
          expect(mine.ids).toEqual(reference.get(author)!.ids);
          if (consoles.has(author)) {
            const atTracker = held.filter((e) => e.deviceId === author).map((e) => e.id);
            expect(mine.ids).toEqual(new Set(atTracker));
          }
          // No gap in any author's sequence: 1..max, each once.
          const seqs = [...mine.seqs].sort((x, y) => x - y);
          expect(seqs).toEqual(seqs.map((_, i) => i + 1));
        }
      }
      expect(held.filter((e) => consoles.has(e.deviceId)).length).toBe(
        [...consoles].reduce((sum, d) => sum + reference.get(d)!.rows, 0),
      );
      expect(everything.size).toBeGreaterThan(3 * (PHASE1 + PHASE2));

      // Four equal pictures.
      const trackerHash = await trackerProjectionHash(held);
      for (const n of mesh) expect(await projectionHash(consoleIncidents(n.c))).toBe(trackerHash);
      for (const n of mesh) await n.c.close();
      nodes.length = 0;
    },
  );

  it(
    'a console whose tracker link is cut gets its events to the tracker through a peer',
    { timeout: 300_000 },
    async () => {
      const { mesh, wan } = await threeEnrolledConsoles('s');
      const [a] = mesh as [MeshNode, MeshNode, MeshNode];
      wan[0]!.setLink('down');
      wan[0]!.cutAll();
      await until('A offline', () => a.c.core.sync.status().state !== 'live');
      await until('A routes to HQ through a peer', () => a.c.core.sync.status().mesh.route.kind === 'via');

      const made: string[] = [];
      for (let i = 0; i < 20; i++)
        made.push(
          (
            await a.c.call<{ id: string }>(
              'incidents.create',
              incidentInput({ title: `Via peer ${i}`, category: 'technical', severity: 'medium' }),
            )
          ).id,
        );
      const token = deviceToken(mesh[1]!.c);
      const started = Date.now();
      let streams = new Set<string>();
      while (Date.now() - started < 60_000) {
        streams = new Set((await trackerEvents(tracker!.url, token)).map((e) => e.streamId));
        if (made.every((id) => streams.has(id))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(made.filter((id) => !streams.has(id))).toEqual([]);
      // A's own link never came back in the meantime.
      expect(a.c.core.sync.status().state).not.toBe('live');
    },
  );
});
