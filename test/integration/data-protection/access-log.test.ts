/**
 * Who opened which incident: `incidents.get` leaves an `incident.viewed` fact that the
 * audit trail answers by incident and by staff member; lists and searches leave none,
 * and views touch nothing else (timeline, pending-sync flag, pushes, projection).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VIEW_WINDOW_MS } from '../../../src-main/core/access-log/index.ts';
import type { AuditEntry } from '../../../src-shared/audit.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import type { StoredEvent } from '../../../src-shared/events.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

let c: TestConsole;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 25, 8);
  c = openTestConsole({ wallClock: () => now, telephony: {} });
  await enrolStandardRoster(c);
});

afterEach(async () => {
  await c.close();
  cleanupTestConsoles();
});

const createIncident = (title: string) =>
  c.call<Incident>('incidents.create', incidentInput({ title, category: 'medical', severity: 'low' }));
const get = (id: string) => c.call<{ incident: Incident; timeline: StoredEvent[] }>('incidents.get', { id });
const audit = (query: object) => c.call<{ items: AuditEntry[] }>('audit.query', query);

describe('incident access log', () => {
  it('records who opened which incident, answerable by incident and by staff member', async () => {
    const a = await createIncident('Intagen föll i duschen');
    const b = await createIncident('Kniv hittad vid visitation');
    await c.signIn('G1');
    await get(a.id);
    await c.signIn('S1');
    await get(a.id);
    await get(b.id);
    await c.signIn('A1');

    const byIncident = (await audit({ incidentId: a.id })).items.filter((e) => e.type === 'incident.viewed');
    expect(byIncident.map((e) => e.actor).sort()).toEqual(['G1', 'S1']);
    const bySupervisor = (await audit({ staffNumber: 'S1' })).items.filter((e) => e.type === 'incident.viewed');
    expect(bySupervisor.map((e) => e.streamId).sort()).toEqual([a.id, b.id].sort());
    expect(bySupervisor.every((e) => e.deviceTime === now)).toBe(true);
  });

  it('does not log lists or searches', async () => {
    await createIncident('Brand i papperskorg');
    await c.call('incidents.list', {});
    await c.call('incidents.list', { query: 'brand' });
    expect(c.events('incident.viewed')).toEqual([]);
  });

  it('logs one entry per person and incident within ten minutes, and a new one after', async () => {
    const a = await createIncident('Hot i besöksrummet');
    await get(a.id);
    now += VIEW_WINDOW_MS - 1;
    await get(a.id);
    expect(c.events('incident.viewed')).toHaveLength(1);
    await c.signIn('S1');
    await get(a.id);
    expect(c.events('incident.viewed')).toHaveLength(2);
    now += 1;
    await c.signIn('A1');
    await get(a.id);
    expect(c.events('incident.viewed').map((e) => e.actor)).toEqual(['A1', 'S1', 'A1']);
  });

  it('keeps views out of the timeline, the pending-sync flag, the pushes and the incident itself', async () => {
    const a = await createIncident('Rökutveckling i cell 4');
    c.core.store.markSynced(
      c.events().map((e, i) => ({ id: e.id, serverSeq: i + 1 })),
      now,
    );
    const before = (await c.call<{ items: { pendingSync: boolean; updatedHlc: string }[] }>('incidents.list', {}))
      .items[0]!;
    expect(before.pendingSync).toBe(false);
    c.pushes.length = 0;

    const opened = await get(a.id);
    expect(opened.timeline.map((e) => e.type)).toEqual(['incident.created']);
    const after = (await c.call<{ items: { pendingSync: boolean; updatedHlc: string }[] }>('incidents.list', {}))
      .items[0]!;
    expect(after).toEqual(before);
    expect(c.pushes.filter((p) => p.name === 'incidents.changed')).toEqual([]);
    // It is a fact like any other: it waits in the outbox for the tracker.
    expect(c.core.store.outbox(10).map((e) => e.type)).toEqual(['incident.viewed']);
  });

  it('logs nothing when the incident does not exist', async () => {
    const error = await c.fail('incidents.get', { id: '01890a5d-ac96-774b-bcce-b302099a8057' });
    expect(error.code).toBe('not_found');
    expect(c.events('incident.viewed')).toEqual([]);
  });
});
