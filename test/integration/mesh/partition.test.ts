/**
 * The facility LAN partitioned and healed, with the tracker stopped and back: three console
 * processes (browser hosts with their own data directories, mesh listeners on 127.0.0.2,
 * .3 and .4, mutual TLS) and a tracker process. Every peer link runs through its own fault
 * proxy: A–C cut while A–B and B–C stay up, then the whole LAN cut, then healed, then the
 * tracker returns. Events are logged through each console's WebSocket API. Afterwards every
 * event is held exactly once by every console and the tracker, the four pictures agree, and
 * no author's sequence has a gap. Also: a console whose tracker link is cut gets its events
 * to the tracker through a peer, and learns over the mesh that the tracker holds them (its
 * pending count drops while its own link is still down).
 *
 * Size: GUARDLINE_MESH_EVENTS=1500 (the default) is 2,000 events authored on each console;
 * the run time vitest prints for it is kept in the issue-12d note for CI planning.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import { tempDir } from '../../support/temp.ts';
import { projectionHash } from '../../../src-shared/projection-hash.ts';
import { startTracker, trackerEvents, trackerProjectionHash } from '../sync/sync-lab.ts';
import {
  authorLedger,
  connectedPeers,
  deviceTokenOf,
  eventIds,
  logEvents,
  setLan,
  startFacility,
  storedIncidents,
  syncStatus,
  until,
  type ConsoleProcess,
  type Facility,
} from './facility-lab.ts';

const dir = tempDir('guardline-mesh-partition-');
/** Events each console logs while A–C are cut (then a third as many while all are cut). */
const PHASE1 = Number(process.env.GUARDLINE_MESH_EVENTS ?? 1500);
const PHASE2 = Math.ceil(PHASE1 / 3);
/** Replication of a phase's events between three loaded processes: generous, still bounded. */
const CONVERGE_MS = Number(process.env.GUARDLINE_MESH_WAIT_MS ?? 300_000);
const facilities: Facility[] = [];
const trackers: ChildTracker[] = [];

afterAll(async () => {
  for (const f of facilities) await f.close();
  for (const t of trackers) await t.kill();
  dir.cleanup();
});

/** What each console holds, for a failure message. */
async function state(consoles: ConsoleProcess[]): Promise<string> {
  const held = consoles.map(eventIds);
  const union = new Set(held.flatMap((ids) => [...ids]));
  const rows = await Promise.all(
    consoles.map(async (c, i) => {
      const peers = (await syncStatus(c)).mesh.peers.map((p) => `${p.name}:${p.state}:${p.behind}`);
      return `${c.name} holds ${held[i]!.size}/${union.size}, peers ${peers.join(' ')}`;
    }),
  );
  return rows.join('; ');
}

/** Every console holds every event any of them holds, and all hold the same number. */
function converged(consoles: ConsoleProcess[], atLeast: number): boolean {
  const held = consoles.map(eventIds);
  const union = new Set(held.flatMap((ids) => [...ids]));
  return union.size >= atLeast && held.every((ids) => ids.size === union.size);
}

describe('facility mesh of console processes through partitions', () => {
  it(
    'partition, full cut, heal and tracker return: each event exactly once everywhere, four equal pictures, no sequence gap',
    { timeout: 900_000 },
    async () => {
      const trackerFile = join(dir.path, 'tracker-p.sqlite');
      let tracker = await startTracker(trackerFile);
      trackers.push(tracker);
      const facility = await startFacility(join(dir.path, 'p'), tracker.url, ['A', 'B', 'C']);
      facilities.push(facility);
      const consoles = facility.consoles;
      const [a, b, c] = consoles as [ConsoleProcess, ConsoleProcess, ConsoleProcess];
      const before = new Set(consoles.flatMap((x) => [...eventIds(x)])).size;

      // The tracker stops (the WAN is gone for every console).
      await tracker.kill();
      await until('every console to lose the tracker', async () =>
        (await Promise.all(consoles.map(syncStatus))).every((s) => s.state !== 'live'),
      );

      // A–C cut; A–B and B–C up: B carries A's events to C and C's to A.
      setLan(facility, 'A', 'C', 'down');
      const refusedAC = () => facility.lan.get('A>C')!.stats.refuse + facility.lan.get('C>A')!.stats.refuse;
      const refusedAtCut = refusedAC();
      await until(
        'A and C apart, both still with B',
        async () =>
          (await connectedPeers(a)) === 1 && (await connectedPeers(c)) === 1 && (await connectedPeers(b)) === 2,
      );
      await Promise.all([logEvents(a, PHASE1, 'A'), logEvents(b, PHASE1, 'B'), logEvents(c, PHASE1, 'C')]);
      await until(
        'the partitioned LAN to converge through B',
        () => converged(consoles, before + 3 * PHASE1),
        CONVERGE_MS,
        () => state(consoles),
      );
      // A and C had no path of their own meanwhile: they kept dialling each other and were refused.
      expect(await connectedPeers(a)).toBe(1);
      expect(refusedAC()).toBeGreaterThan(refusedAtCut);

      // Everything cut: three islands, each logging on its own.
      setLan(facility, 'A', 'B', 'down');
      setLan(facility, 'B', 'C', 'down');
      await until('three islands', async () => (await Promise.all(consoles.map(connectedPeers))).every((n) => n === 0));
      const islands = consoles.map((x) => eventIds(x).size);
      await Promise.all([logEvents(a, PHASE2, 'A2'), logEvents(b, PHASE2, 'B2'), logEvents(c, PHASE2, 'C2')]);
      // Nothing crossed: each island holds exactly what it had plus what it logged.
      expect(consoles.map((x) => eventIds(x).size)).toEqual(islands.map((n) => n + PHASE2));

      // Healed LAN: all three converge without the tracker.
      setLan(facility, 'A', 'B', 'up');
      setLan(facility, 'B', 'C', 'up');
      setLan(facility, 'A', 'C', 'up');
      await until(
        'the healed LAN to converge',
        () => converged(consoles, before + 3 * (PHASE1 + PHASE2)),
        CONVERGE_MS,
        () => state(consoles),
      );

      // The tracker returns on the same data, on a new port behind the same WAN paths.
      tracker = await startTracker(trackerFile);
      trackers.push(tracker);
      for (const x of consoles) x.wan.setTarget(Number(new URL(tracker.url).port));
      for (const x of consoles) await x.api.call('sync.retryNow');
      await until(
        'every console live with nothing pending',
        async () => (await Promise.all(consoles.map(syncStatus))).every((s) => s.state === 'live' && s.pending === 0),
        CONVERGE_MS,
        async () => JSON.stringify((await Promise.all(consoles.map(syncStatus))).map((s) => [s.state, s.pending])),
      );

      const held = await trackerEvents(tracker.url, deviceTokenOf(a));
      const trackerIds = held.map((e) => e.id);
      expect(new Set(trackerIds).size).toBe(trackerIds.length);

      // Exactly once, per author, in all four places (the tracker's own records are its
      // to serve: the consoles' ledgers must agree with each other on those).
      const authors = new Set(consoles.map((x) => x.deviceId));
      const reference = authorLedger(a);
      for (const x of consoles) {
        const ledger = authorLedger(x);
        expect(new Set(ledger.keys())).toEqual(new Set(reference.keys()));
        for (const [author, mine] of ledger) {
          expect(mine.rows).toBe(mine.ids.size);
          expect(mine.ids).toEqual(reference.get(author)!.ids);
          if (authors.has(author)) {
            const atTracker = held.filter((e) => e.deviceId === author).map((e) => e.id);
            expect(mine.ids).toEqual(new Set(atTracker));
          }
          // No gap in any author's sequence: 1..max, each once.
          const seqs = [...mine.seqs].sort((p, q) => p - q);
          expect(seqs).toEqual(seqs.map((_, i) => i + 1));
        }
      }
      // Each console authored at least what it logged through the API (and its enrolment records).
      for (const x of consoles) expect(reference.get(x.deviceId)!.rows).toBeGreaterThanOrEqual(PHASE1 + PHASE2);

      // Four equal pictures.
      const trackerHash = await trackerProjectionHash(held);
      for (const x of consoles) expect(await projectionHash(storedIncidents(x))).toBe(trackerHash);
    },
  );

  it(
    "a console whose tracker link is cut gets its events to the tracker through a peer, and its pending count drops with the tracker's acknowledgement gossiped back",
    { timeout: 300_000 },
    async () => {
      const tracker = await startTracker(join(dir.path, 'tracker-s.sqlite'));
      trackers.push(tracker);
      const facility = await startFacility(join(dir.path, 's'), tracker.url, ['A', 'B', 'C']);
      facilities.push(facility);
      const [a, b] = facility.consoles as [ConsoleProcess, ConsoleProcess, ConsoleProcess];
      a.wan.setLink('down');
      a.wan.cutAll();
      const refusedAtCut = a.wan.stats.refuse;
      await until('A offline, routing to HQ through a peer', async () => {
        const s = await syncStatus(a);
        return s.state !== 'live' && s.mesh.route.kind === 'via';
      });

      await logEvents(a, 20, 'Via peer', 1);
      const mine = authorLedger(a).get(a.deviceId)!.ids;
      await until(
        "A's events at the tracker",
        async () => {
          const there = new Set((await trackerEvents(tracker.url, deviceTokenOf(b))).map((e) => e.id));
          return [...mine].every((id) => there.has(id));
        },
        60_000,
      );
      // The tracker's acknowledgement comes back over the mesh: A's pending count says HQ has
      // them while A's own link is still down (it used to stay up until A reached HQ itself).
      await until(
        "A's pending count to drop to 0",
        async () => (await syncStatus(a)).pending === 0,
        60_000,
        async () => JSON.stringify(await syncStatus(a)),
      );
      // A kept trying its own link, and it never came back in the meantime.
      expect(a.wan.stats.refuse).toBeGreaterThan(refusedAtCut);
      expect((await syncStatus(a)).state).not.toBe('live');

      // A's link returns: it pushes what it still holds unacknowledged; the tracker keeps each event once.
      a.wan.setLink('up');
      await a.api.call('sync.retryNow');
      await until('A live with nothing pending', async () => {
        const s = await syncStatus(a);
        return s.state === 'live' && s.pending === 0;
      });
      const atTracker = (await trackerEvents(tracker.url, deviceTokenOf(b))).map((e) => e.id);
      expect(new Set(atTracker).size).toBe(atTracker.length);
      expect([...mine].filter((id) => !atTracker.includes(id))).toEqual([]);
    },
  );
});
