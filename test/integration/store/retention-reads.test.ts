/**
 * The retention sweep runs on the core's thread in slices aimed at 5 ms (issue 16), so no
 * statement a slice runs may cost more as the set grows: each read of closed incidents must
 * start where the sweep's cursor stands, not at the first closed incident, whatever planner
 * statistics the console's file holds (issue 16w). Checked on a real SQLite file through the
 * statements the sweep itself prepares: their plans, before and after ANALYZE, and a sweep
 * whose slices break inside a run of incidents created at the same moment.
 */
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Statement } from 'better-sqlite3';
import { createEventFactory } from '../../../src-main/core/event-factory.ts';
import { incidentProjector } from '../../../src-main/core/incidents/projection.ts';
import { createRetention } from '../../../src-main/core/retention/retention.ts';
import { openEventStore, type EventStore } from '../../../src-main/core/store/event-store.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { createHlc, encodeHlc } from '../../../src-shared/hlc.ts';
import { DAY_MS } from '../../../src-shared/retention.ts';
import { incidentInput } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const DEVICE = 'retention-reads';
const T0 = Date.UTC(2026, 0, 5);
const NOW = T0 + 120 * DAY_MS;

const stores: EventStore[] = [];
const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) d.cleanup();
});

let counter = 0;
function envelope(type: EventEnvelope['type'], streamId: string, payload: unknown, at: number): EventEnvelope {
  counter += 1;
  return {
    id: uuidv7(),
    streamId,
    type,
    payload,
    actor: 'S1',
    deviceId: DEVICE,
    deviceTime: at,
    hlc: encodeHlc({ wallMs: at, counter, node: DEVICE }),
  } as EventEnvelope;
}

/**
 * `closed` incidents closed long ago (due) and `open` still open, created a minute apart; with
 * `sameMoment`, every closed one's creation carries one HLC, as if all came at one instant.
 */
function seedStore(closed: number, open: number, sameMoment = false): EventStore {
  const dir = tempDir('guardline-retention-reads-');
  dirs.push(dir);
  const store = openEventStore(join(dir.path, 'console.sqlite'));
  stores.push(store);
  store.registerProjector(incidentProjector);
  const events: EventEnvelope[] = [];
  for (let n = 0; n < closed + open; n++) {
    const at = T0 + n * 60_000;
    const id = uuidv7();
    const created = envelope('incident.created', id, incidentInput({ title: `Larm ${n}` }), at);
    if (sameMoment && n < closed) created.hlc = encodeHlc({ wallMs: T0, counter: 0, node: DEVICE });
    events.push(created);
    if (n < closed) {
      events.push(envelope('incident.status_changed', id, { from: 'open', to: 'resolved', reason: '' }, at + 1));
      events.push(envelope('incident.status_changed', id, { from: 'resolved', to: 'closed', reason: '' }, at + 2));
    }
  }
  for (let i = 0; i < events.length; i += 1000) store.append(events.slice(i, i + 1000));
  return store;
}

/** A retention over `store`, and every statement it prepared (the ones its slices run). */
function sweeperOf(store: EventStore, sliceClock?: () => number) {
  const prepared: Statement[] = [];
  const prepare = store.db.prepare.bind(store.db);
  const spy = vi.spyOn(store.db, 'prepare').mockImplementation(((sql: string) => {
    const statement = prepare(sql);
    prepared.push(statement);
    return statement;
  }) as typeof store.db.prepare);
  const wallClock = () => NOW;
  const retention = createRetention({
    store,
    event: createEventFactory({ clock: createHlc({ node: DEVICE, wallClock }), deviceId: DEVICE, wallClock }),
    wallClock,
    timers: { setTimeout, clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    logger: { error: () => {} },
    closedIncidentDays: 30,
    ...(sliceClock ? { sliceClock } : {}),
  });
  spy.mockRestore();
  return { retention, prepared };
}

/** EXPLAIN QUERY PLAN of each statement that reads incidents, with a cursor midway through the closed ones. */
function incidentPlans(store: EventStore, prepared: Statement[]): string[][] {
  const mid = store.db
    .prepare(
      `SELECT id, created_hlc FROM incidents WHERE status = 'closed' ORDER BY created_hlc, id LIMIT 1 OFFSET 500`,
    )
    .get() as { id: string; created_hlc: string };
  const reads = prepared.filter((s) => /\bFROM incidents\b/.test(s.source));
  expect(reads.length).toBeGreaterThan(0);
  return reads.map((s) =>
    (
      store.db.prepare(`EXPLAIN QUERY PLAN ${s.source}`).all(mid.created_hlc, mid.created_hlc, mid.id, 200) as {
        detail: string;
      }[]
    ).map((r) => r.detail),
  );
}

describe("the retention sweep's reads of closed incidents", () => {
  it('start at the cursor in the status index, with or without planner statistics in the file', () => {
    // Most incidents closed and due: the shape in which statistics could tempt a planner to scan.
    const store = seedStore(1000, 200);
    const { prepared } = sweeperOf(store);
    const expected = 'SEARCH incidents USING INDEX incidents_status (status=? AND created_hlc>?)';
    const without = incidentPlans(store, prepared);
    for (const plan of without) expect(plan).toContain(expected);
    expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'").pluck().get()).toBe(
      0,
    );
    store.db.exec('ANALYZE');
    const analysed = incidentPlans(store, sweeperOf(store).prepared);
    expect(analysed).toEqual(without);
    for (const plan of analysed) expect(plan.some((line) => line.startsWith('SCAN'))).toBe(false);
  });

  it('archive every due incident once when slices end inside a run created at the same moment', async () => {
    // 40 closed incidents share one created HLC: the cursor (created_hlc, id) must go on by id
    // inside that run, as slices of 8, 16, ... end in the middle of it.
    const store = seedStore(40, 10, true);
    let clock = 0;
    const { retention } = sweeperOf(store, () => (clock += 0.5));
    expect((await retention.status()).due).toBe(40);
    expect(await retention.run('S1')).toBe(40);
    const archived = store.db
      .prepare(`SELECT stream_id FROM events WHERE type = 'incident.archived'`)
      .pluck()
      .all() as string[];
    expect(archived).toHaveLength(40);
    expect(new Set(archived).size).toBe(40);
    expect((await retention.status()).due).toBe(0);
    await store.flushed();
  });
});
