/**
 * Issue 16: the search index (FTS5) merges its segments in steps of its own, never inside a
 * commit that writes to it (schema 14: automerge off; the store's upkeep, searchProjector.tidy).
 * FTS5's automatic merge ran inside whichever commit passed its write counter, 17-38 ms of a
 * 5 ms retention slice's COMMIT (docs/performance.md, 16w). On a real file these hold the
 * change to what a user relies on: every incident is found however the index is merged, the
 * segments stay bounded in a loop that never gives the upkeep a turn, and the upkeep brings
 * them down once it has turns.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openEventStore, type EventStore } from '../../../src-main/core/store/event-store.ts';
import { incidentProjector, searchProjector, SEARCH_MERGE_PAGES } from '../../../src-main/core/incidents/projection.ts';
import { createEventFactory } from '../../../src-main/core/event-factory.ts';
import { createRetention } from '../../../src-main/core/retention/retention.ts';
import { DAY_MS } from '../../../src-shared/retention.ts';
import { createHlc, encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import type { IncidentSummary } from '../../../src-shared/api.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole } from '../../support/consoles.ts';
import { ftsLevels, ftsShape, type FtsShape } from '../../support/fts5.ts';
import { incidentInput } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => {
  cleanupTestConsoles();
  dir.cleanup();
});

/** FTS5's own bounds as schema 14 sets them: a step merges a level of 4; a commit merges a level of 16. */
const USERMERGE = 4;
const CRISISMERGE = 16;

const id = (kind: number, i: number) => `019ab000-0000-7000-800${kind}-${String(i).padStart(12, '0')}`;
let ms = 10_000;
const created = (i: number): EventEnvelope =>
  ({
    id: id(1, i),
    streamId: id(2, i),
    type: 'incident.created',
    // A word of its own per incident (unicode61 splits "Larm 12" into two tokens).
    payload: incidentInput({ title: `Larm n${i}x`, description: `Händelse nummer ${i} i korridoren` }),
    actor: 'V1',
    deviceId: 'dev-b',
    deviceTime: ms,
    hlc: encodeHlc({ wallMs: ms++, counter: 0, node: 'dev-b' }),
  }) as EventEnvelope;
const archived = (i: number): EventEnvelope =>
  ({
    id: id(3, i),
    streamId: id(2, i),
    type: 'incident.archived',
    payload: { reason: 'retention', retentionDays: 30, lastActivityAt: 1 },
    actor: 'system',
    deviceId: 'dev-b',
    deviceTime: ms,
    hlc: encodeHlc({ wallMs: ms++, counter: 0, node: 'dev-b' }),
  }) as EventEnvelope;

function openStore(name: string): EventStore {
  const store = openEventStore(join(dir.path, name));
  store.registerProjector(incidentProjector);
  store.registerDeferredProjector(searchProjector);
  return store;
}

const matches = (store: EventStore, query: string) =>
  store.db.prepare<[string], number>('SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?').pluck().all(query);
const rowidOf = (store: EventStore, i: number) =>
  store.db.prepare<[string], number>('SELECT rowid FROM incidents WHERE id = ?').pluck().get(id(2, i));

/** Every level below `bound` segments. */
const levelsBelow = (shape: FtsShape, bound: number) => shape.levels.every((l) => l.segments.length < bound);

/**
 * Turns of the event loop until the upkeep has no level left to merge, at most `turns` (a
 * bounded wait on the store's own turns: without the upkeep it ends at the bound).
 */
async function untilMerged(store: EventStore, turns = 20_000): Promise<number> {
  for (let t = 0; t < turns; t++) {
    if (levelsBelow(ftsShape(store.db), USERMERGE)) return t;
    await nextTurn();
  }
  return turns;
}

describe('search index merges: in steps of their own, never inside a commit', () => {
  it('a commit that deletes search rows merges nothing: the segments stay as they were, only their tombstones change', async () => {
    const store = openStore('no-merge-in-commit.sqlite');
    try {
      // 200 incidents, one flush (one level-0 segment) each, with no turn for any upkeep.
      for (let i = 0; i < 200; i++) {
        store.append([created(i)]);
        store.catchUpDeferred();
      }
      const before = ftsShape(store.db);
      // A retention slice's worth and more: 120 archives in one commit, each deleting a search row
      // (FTS5 counts each toward its merge quantum, and 60 % of the rows deleted is past deletemerge).
      store.append(Array.from({ length: 120 }, (_, i) => archived(i)));
      const after = ftsShape(store.db);
      const pages = (s: FtsShape) => s.levels.map((l) => l.segments.map((g) => [g.id, g.firstPage, g.lastPage]));
      expect(pages(after), `levels before ${ftsLevels(before)}, after ${ftsLevels(after)}`).toEqual(pages(before));
      expect(after.levels.flatMap((l) => l.segments).reduce((n, g) => n + g.tombstones, 0)).toBe(120);
      for (let i = 0; i < 200; i++) expect(matches(store, `n${i}x`)).toEqual(i < 120 ? [] : [rowidOf(store, i)]);

      // Given turns, the upkeep merges the deleted rows away; every incident left is still found.
      await untilMerged(store);
      await nextTurn();
      const merged = ftsShape(store.db);
      expect(levelsBelow(merged, USERMERGE), ftsLevels(merged)).toBe(true);
      expect(matches(store, 'larm')).toHaveLength(80);
      for (let i = 120; i < 200; i++) expect(matches(store, `n${i}x`)).toEqual([rowidOf(store, i)]);
    } finally {
      store.close();
      await store.closed();
    }
  });

  it('a loop that never gives the upkeep a turn keeps the segments bounded, and every incident is found; given turns, the upkeep brings them down', async () => {
    const store = openStore('never-idle.sqlite');
    try {
      const total = 700;
      let most = 0;
      for (let i = 0; i < total; i++) {
        store.append([created(i)]);
        store.catchUpDeferred(); // a search after every command: a segment each, no turn between
        const shape = ftsShape(store.db);
        most = Math.max(most, shape.segments);
        // FTS5's crisismerge (schema 14: 16) merges a level of 16 inside the commit that makes it.
        expect(levelsBelow(shape, CRISISMERGE), ftsLevels(shape)).toBe(true);
      }
      const unmerged = ftsShape(store.db);
      expect(unmerged.segments).toBeLessThan(CRISISMERGE * unmerged.levels.length);
      expect(matches(store, 'larm')).toHaveLength(total);
      expect(matches(store, 'korridoren')).toHaveLength(total);
      for (let i = 0; i < total; i++) expect(matches(store, `n${i}x`)).toEqual([rowidOf(store, i)]);

      const turns = await untilMerged(store);
      const merged = ftsShape(store.db);
      expect(levelsBelow(merged, USERMERGE), `after ${turns} turns: ${ftsLevels(merged)}`).toBe(true);
      expect(merged.segments).toBeLessThan(unmerged.segments);
      expect(matches(store, 'larm')).toHaveLength(total);
      for (let i = 0; i < total; i++) expect(matches(store, `n${i}x`)).toEqual([rowidOf(store, i)]);
      expect(most).toBeGreaterThan(merged.segments);
    } finally {
      store.close();
      await store.closed();
    }
  });

  it('many commands back to back with a search among them: the search finds every incident, and the upkeep keeps up in the turns between the commands', async () => {
    const c = openTestConsole();
    await enrolStandardRoster(c);
    await c.signIn('G1');
    const total = 240;
    for (let i = 0; i < total; i++) {
      await c.call('incidents.create', incidentInput({ title: `Brand q${i}q` }));
      // The next command arrives in a turn of its own, as a guard's does over IPC: never idle.
      await nextTurn();
      if (i % 8 === 7) {
        // A search catches the index up first (a segment), as a guard's search between commands does.
        const found = await c.call<{ items: IncidentSummary[]; total: number }>('incidents.list', { query: 'brand' });
        expect(found.total).toBe(i + 1);
        // Merged within a few turns of the event loop (without the steps: never, up to crisismerge's 16).
        const turns = await untilMerged(c.core.store, 100);
        expect(turns, ftsLevels(ftsShape(c.core.store.db))).toBeLessThan(100);
      }
    }
    for (const i of [0, 1, 77, 128, total - 1]) {
      const found = await c.call<{ items: IncidentSummary[] }>('incidents.list', { query: `q${i}q` });
      expect(found.items.map((x) => x.title)).toEqual([`Brand q${i}q`]);
    }
    expect(c.core.store.db.prepare("SELECT v FROM incidents_fts_config WHERE k = 'automerge'").pluck().get()).toBe(0);
    await c.close();
  });
});

/**
 * Issue 16ae: a retention sweep deletes rows spread over every level, each level's share under
 * FTS5's own `deletemerge` (10 %), so the steps above leave them in the index as tombstones and a
 * search reads past them (16aa's sweep of 10,000: phrase queries a few ms slower). Once the
 * catch-ups pause, the thorough upkeep merges the whole index in the same bounded steps.
 */
describe('the deleted rows a retention sweep leaves in the search index', () => {
  it('go once the sweep is over, in bounded merge steps of their own, and every incident left is still found', async () => {
    const T0 = Date.UTC(2026, 0, 5);
    const NOW = T0 + 120 * DAY_MS;
    const DEVICE = 'sweep-tombstones';
    const leaves = (shape: FtsShape) =>
      shape.levels.flatMap((l) => l.segments).reduce((n, g) => n + g.lastPage - g.firstPage + 1, 0);
    const tombstones = (shape: FtsShape) =>
      shape.levels.flatMap((l) => l.segments).reduce((n, g) => n + g.tombstones, 0);
    const store = openEventStore(join(dir.path, 'sweep-tombstones.sqlite'), undefined, { thoroughTidyQuietMs: 20 });
    // Every step of the index's merge work, as it ran: its pages, whether inside a sweep slice's
    // transaction, the leaf pages it wrote (read from the structure record), the turn it ran in.
    const steps: { pages: number; inSlice: boolean; leavesWritten: number; turn: number }[] = [];
    let inSlice = false;
    let turn = 0;
    // The most tombstones the index held after a sweep slice's commit (read from the index).
    let sweptMost = 0;
    const prepare = store.db.prepare.bind(store.db);
    const spy = vi.spyOn(store.db, 'prepare').mockImplementation(((sql: string) => {
      const statement = prepare(sql);
      if (!sql.includes("'merge'")) return statement;
      const run = statement.run.bind(statement);
      statement.run = ((pages: number) => {
        const before = ftsShape(store.db);
        const out = run(pages);
        steps.push({ pages, inSlice, leavesWritten: leavesWritten(before, ftsShape(store.db)), turn });
        return out;
      }) as typeof statement.run;
      return statement;
    }) as typeof store.db.prepare);
    store.registerProjector(incidentProjector);
    store.registerDeferredProjector(searchProjector);
    const append = store.append.bind(store);
    store.append = ((events: Parameters<typeof append>[0], options?: Parameters<typeof append>[1]) => {
      inSlice = options?.flushLater === true;
      try {
        return append(events, options);
      } finally {
        if (inSlice) sweptMost = Math.max(sweptMost, tombstones(ftsShape(store.db)));
        inSlice = false;
      }
    }) as typeof store.append;
    try {
      // 600 incidents, a word of their own each; one in twenty closed long ago (due): the sweep
      // deletes 5 % of each level's rows, under deletemerge. Indexed in 12 catch-ups (segments).
      const total = 600;
      let counter = 0;
      const at = (n: number, k: number) => encodeHlc({ wallMs: T0 + n * 60_000 + k, counter: counter++, node: DEVICE });
      const streams: string[] = [];
      for (let batch = 0; batch < total; batch += 50) {
        const events: EventEnvelope[] = [];
        for (let n = batch; n < batch + 50; n++) {
          const streamId = id(4, n);
          streams.push(streamId);
          const envelope = (type: EventEnvelope['type'], payload: unknown, k: number) =>
            ({
              id: id(5, n * 4 + k),
              streamId,
              type,
              payload,
              actor: 'S1',
              deviceId: DEVICE,
              deviceTime: T0,
              hlc: at(n, k),
            }) as EventEnvelope;
          // A description of words shared by a few incidents each: an index of some tens of leaf pages.
          const description = Array.from({ length: 40 }, (_, k) => `ord${(n * 7 + k * 13) % 1000}x${k}`).join(' ');
          events.push(envelope('incident.created', incidentInput({ title: `Larm s${n}s`, description }), 0));
          if (n % 20 === 0) {
            events.push(envelope('incident.status_changed', { from: 'open', to: 'resolved', reason: '' }, 1));
            events.push(envelope('incident.status_changed', { from: 'resolved', to: 'closed', reason: '' }, 2));
          }
        }
        store.append(events);
        store.catchUpDeferred();
      }
      await untilUpkeepIdle(store, () => ++turn);
      const seeded = ftsShape(store.db);
      expect(tombstones(seeded), ftsLevels(seeded)).toBe(0);
      const seededSteps = steps.length;

      const wallClock = () => NOW;
      const retention = createRetention({
        store,
        event: createEventFactory({ clock: createHlc({ node: DEVICE, wallClock }), deviceId: DEVICE, wallClock }),
        wallClock,
        timers: { setTimeout, clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
        logger: { error: () => {} },
        closedIncidentDays: 30,
      });
      expect(await retention.run('system')).toBe(total / 20);
      // Measured from the index: the slices left the archived incidents' rows in it, as tombstones
      // (the thorough upkeep may begin between slices here: its pause is 20 ms in this test).
      expect(sweptMost).toBeGreaterThan(0);
      // The views catch up now rather than on their timer (as a guard's search does).
      store.catchUpDeferred();

      const turns = await untilUpkeepIdle(store, () => ++turn);
      const tidied = ftsShape(store.db);
      expect(tombstones(tidied), `after ${turns} turns: ${ftsLevels(tidied)}`).toBe(0);
      expect(tidied.segments).toBe(1);

      // Search results: every incident left is found, and no archived one.
      for (let n = 0; n < total; n++) {
        const rowid = store.db
          .prepare<[string], number>('SELECT rowid FROM incidents WHERE id = ?')
          .pluck()
          .get(streams[n]!);
        expect(matches(store, `s${n}s`)).toEqual(n % 20 === 0 ? [] : [rowid]);
      }
      expect(matches(store, 'larm')).toHaveLength(total - total / 20);

      // The steps: never inside a sweep slice's transaction; each of SEARCH_MERGE_PAGES pages of
      // output (negative: the whole index as one level); each wrote at most those, the page the
      // term it stopped in went on to (every term's rows fit in a leaf page here) and the last
      // page it left part full; as many steps as that takes, in more than one turn.
      const after = steps.slice(seededSteps);
      expect(steps.filter((s) => s.inSlice)).toEqual([]);
      expect(new Set(steps.map((s) => Math.abs(s.pages)))).toEqual(new Set([SEARCH_MERGE_PAGES]));
      expect(after.some((s) => s.pages < 0)).toBe(true);
      const most = Math.max(...after.map((s) => s.leavesWritten));
      expect(most).toBeLessThanOrEqual(SEARCH_MERGE_PAGES + 2);
      expect(after.filter((s) => s.leavesWritten > 0).length).toBeGreaterThanOrEqual(
        Math.floor(leaves(tidied) / (SEARCH_MERGE_PAGES + 2)),
      );
      expect(new Set(after.filter((s) => s.leavesWritten > 0).map((s) => s.turn)).size).toBeGreaterThan(1);
    } finally {
      spy.mockRestore();
      store.close();
      await store.closed();
    }
  });
});

/** Leaf pages a step wrote: what each segment gained (a merge's output grows; its inputs shrink). */
function leavesWritten(before: FtsShape, after: FtsShape): number {
  const pages = new Map(before.levels.flatMap((l) => l.segments).map((g) => [g.id, g.lastPage - g.firstPage + 1]));
  return after.levels
    .flatMap((l) => l.segments)
    .reduce((n, g) => n + Math.max(0, g.lastPage - g.firstPage + 1 - (pages.get(g.id) ?? 0)), 0);
}

/**
 * Turns of the event loop (and the store's timers: the thorough upkeep starts after a pause)
 * until the upkeep has run no step for 50 timer turns and 200 ms (both: a process held off a
 * core for 200 ms still gives the store's timers their turns), at most 20,000 turns; `onTurn`
 * counts them.
 */
async function untilUpkeepIdle(store: EventStore, onTurn: () => void): Promise<number> {
  const total = () => store.db.prepare('SELECT total_changes()').pluck().get() as number;
  let last = total();
  let quietSince = performance.now();
  let quietTurns = 0;
  let t = 0;
  for (; t < 20_000 && (quietTurns < 50 || performance.now() - quietSince < 200); t++) {
    onTurn();
    await new Promise((r) => setTimeout(r, 1));
    quietTurns++;
    const now = total();
    if (now !== last) {
      last = now;
      quietSince = performance.now();
      quietTurns = 0;
    }
  }
  return t;
}
