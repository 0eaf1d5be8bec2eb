/**
 * Migration 12 (issue 16) drops `incidents_recent`. A console upgraded with more incidents
 * than the list sorts in memory must still page through all of them newest first, with and
 * without filters, and each page must come from `incidents_status` walks merged without a
 * sort of every match.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { openEventStore, type EventStore } from '../../../src-main/core/store/event-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src-main/core/store/migrations.ts';
import { incidentProjector } from '../../../src-main/core/incidents/projection.ts';
import { DENSE_MATCHES, listIncidents, type IncidentListQuery } from '../../../src-main/core/incidents/list.ts';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../../src-shared/incident.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { incidentInput } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

const COUNT = 2 * DENSE_MATCHES + 100;
// Received from two consoles whose clocks interleave, so created order is not insertion order.
function event(streamId: string, i: number, type: EventEnvelope['type'], payload: unknown, counter = 0): EventEnvelope {
  const node = i % 2 === 0 ? 'dev-a' : 'dev-b';
  const wallMs = 1_700_000_000_000 + (i % 2 === 0 ? i : COUNT - i) * 1000;
  return {
    id: uuidv7(),
    streamId,
    type,
    payload,
    actor: 'V1',
    deviceId: node,
    deviceTime: wallMs,
    hlc: encodeHlc({ wallMs, counter, node }),
  } as EventEnvelope;
}

describe('schema 12: the incident list without the recency index', () => {
  it('an upgraded console with many incidents lists every page newest first, filtered or not', () => {
    const file = join(dir.path, 'upgrade.sqlite');
    const old = openEventStore(
      file,
      MIGRATIONS.filter((m) => m.version <= 11),
    );
    old.registerProjector(incidentProjector);
    const events: EventEnvelope[] = [];
    for (let i = 0; i < COUNT; i++) {
      const streamId = uuidv7();
      events.push(event(streamId, i, 'incident.created', incidentInput({ category: INCIDENT_CATEGORIES[i % 3]! })));
      const to = INCIDENT_STATUSES[i % INCIDENT_STATUSES.length]!;
      // Closed only from resolved (the fold refuses other moves to closed).
      const steps = to === 'closed' ? ['resolved', 'closed'] : to === 'open' ? [] : [to];
      let from = 'open';
      steps.forEach((step, k) => {
        events.push(event(streamId, i, 'incident.status_changed', { from, to: step, reason: '' }, k + 1));
        from = step;
      });
    }
    old.transaction(() => {
      for (let i = 0; i < events.length; i += 500) old.append(events.slice(i, i + 500));
    });
    old.close();

    const store = openEventStore(file);
    store.registerProjector(incidentProjector);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(store.db.prepare("SELECT name FROM sqlite_schema WHERE name = 'incidents_recent'").get()).toBeUndefined();
    const all = store.db.prepare('SELECT id, status, category, created_hlc FROM incidents').all() as {
      id: string;
      status: string;
      category: string;
      created_hlc: string;
    }[];
    expect(all).toHaveLength(COUNT);
    expect(new Set(all.map((r) => r.status))).toEqual(new Set(INCIDENT_STATUSES));

    const plans = watchPlans(store);

    const newestFirst = (keep: (r: (typeof all)[number]) => boolean) =>
      all
        .filter(keep)
        .sort((a, b) => (a.created_hlc < b.created_hlc ? 1 : -1))
        .map((r) => r.id);
    const cases: { input: Partial<IncidentListQuery>; keep: (r: (typeof all)[number]) => boolean }[] = [
      { input: {}, keep: () => true },
      { input: { status: ['acknowledged', 'closed', 'escalated', 'resolved'] }, keep: (r) => r.status !== 'open' },
      { input: { category: ['threat', 'medical'] }, keep: (r) => r.category !== 'fire' },
    ];
    for (const { input, keep } of cases) {
      const expected = newestFirst(keep);
      expect(expected.length).toBeGreaterThan(DENSE_MATCHES);
      for (const offset of [0, 50, expected.length - 30]) {
        plans.reset();
        const page = listIncidents(store.db, { limit: 50, offset, ...input } as IncidentListQuery);
        expect(page.total).toBe(expected.length);
        expect(page.items.map((i) => i.id)).toEqual(expected.slice(offset, offset + 50));
        // The page's plan: a merge of incidents_status walks, no sort of the matches.
        const plan = plans.last();
        expect(plan).toContain('MERGE (UNION ALL)');
        expect(plan.filter((d) => d.startsWith('SEARCH i '))).toEqual(
          Array((input.status ?? INCIDENT_STATUSES).length).fill('SEARCH i USING INDEX incidents_status (status=?)'),
        );
        expect(plan.join(' ')).not.toMatch(/TEMP B-TREE/);
      }
    }
    store.close();
  });

  it('a console with few incidents lists them newest first by the same walks, without a sort', () => {
    const store = openEventStore(join(dir.path, 'few.sqlite'));
    store.registerProjector(incidentProjector);
    const events = Array.from({ length: 12 }, (_, i) => event(uuidv7(), i, 'incident.created', incidentInput()));
    store.append(events);
    const plans = watchPlans(store);
    const page = listIncidents(store.db, { limit: 5, offset: 2 } as IncidentListQuery);
    const expected = [...events].sort((a, b) => (a.hlc < b.hlc ? 1 : -1)).map((e) => e.streamId);
    expect(page.total).toBe(12);
    expect(page.items.map((i) => i.id)).toEqual(expected.slice(2, 7));
    const plan = plans.last();
    expect(plan).toContain('MERGE (UNION ALL)');
    expect(plan.join(' ')).not.toMatch(/TEMP B-TREE/);
    store.close();
  });
});

/** Records the statements `store` prepares (`reset()` forgets them); `last()` is the query plan of the latest one. */
function watchPlans(store: EventStore) {
  const prepared: string[] = [];
  const prepare = store.db.prepare.bind(store.db);
  vi.spyOn(store.db, 'prepare').mockImplementation(((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  }) as typeof store.db.prepare);
  return {
    reset: () => {
      prepared.length = 0;
    },
    last: () =>
      (
        store.db
          .prepare(`EXPLAIN QUERY PLAN ${prepared.at(-1)!}`)
          .all(...Array(prepared.at(-1)!.split('?').length - 1).fill(null)) as { detail: string }[]
      ).map((r) => r.detail),
  };
}
