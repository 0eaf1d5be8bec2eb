/**
 * Issue 16: the search index (FTS5) merges its segments in steps of its own, never inside a
 * commit that writes to it (schema 14: automerge off; the store's upkeep, searchProjector.tidy).
 * FTS5's automatic merge ran inside whichever commit passed its write counter, 17-38 ms of a
 * 5 ms retention slice's COMMIT (docs/performance.md, 16w). On a real file these hold the
 * change to what a user relies on: every incident is found however the index is merged, the
 * segments stay bounded in a loop that never gives the upkeep a turn, and the upkeep brings
 * them down once it has turns.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openEventStore, type EventStore } from '../../../src-main/core/store/event-store.ts';
import { incidentProjector, searchProjector } from '../../../src-main/core/incidents/projection.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
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
