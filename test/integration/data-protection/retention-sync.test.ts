/**
 * Archive on one console, keep everywhere it matters: the `incident.archived` fact syncs
 * through a real tracker process, which keeps the incident for HQ, and another console of
 * the facility drops it from its own list too (it has no retention period of its own).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src-shared/incident.ts';
import { DAY_MS } from '../../../src-shared/retention.ts';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import { trackerClient } from '../tracker/http-client.ts';
import { hqAdmin, FACILITY, enrol, enrolmentCode, waitForSync } from '../sync/sync-lab.ts';
import { syncLab } from '../sync/sync-lab-scope.ts';
import type { TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

const lab = syncLab('guardline-retention-sync-');
let tracker: ChildTracker;
let a: TestConsole;
let b: TestConsole;
// Console A's clock starts 200 days back (HLCs in the past are fine for the tracker).
let nowA = Date.now() - 200 * DAY_MS;

beforeAll(async () => {
  tracker = await lab.startTracker();
  a = await lab.syncConsole('a', { wallClock: () => nowA, retention: { closedIncidentDays: 90 } });
  b = await lab.syncConsole('b');
});

async function closedIncident(c: TestConsole, title: string): Promise<Incident> {
  const created = await c.call<Incident>(
    'incidents.create',
    incidentInput({ facility: FACILITY, title, severity: 'low' }),
  );
  await c.call('incidents.setStatus', { id: created.id, to: 'resolved' });
  return c.call<Incident>('incidents.setStatus', { id: created.id, to: 'closed' });
}

const listed = async (c: TestConsole) =>
  (await c.call<{ items: { id: string }[] }>('incidents.list', {})).items.map((i) => i.id).sort();

describe('retention across consoles and the tracker', () => {
  it('archives on one console; the tracker keeps the incident and the other console drops it', async () => {
    const old = await closedIncident(a, 'Gammalt ärende om besöksrummet');
    nowA = Date.now() - DAY_MS;
    const recent = await closedIncident(a, 'Nytt ärende om rastgården');
    await enrol(a, tracker.url, await enrolmentCode(tracker.url));
    await waitForSync(a, (s) => s.pending === 0 && s.lastSuccessAt !== null, 'A pushed everything');
    await enrol(b, tracker.url, await enrolmentCode(tracker.url));
    await waitForSync(b, () => b.events('incident.created').length === 2, 'B pulled both incidents');
    expect(await listed(b)).toEqual([old.id, recent.id].sort());

    nowA = Date.now();
    const bDropped = new Promise<void>((resolve) => {
      const stop = b.core.subscribe((name, payload) => {
        if (name === 'incidents.changed' && (payload as { ids: string[] }).ids.includes(old.id)) {
          stop();
          resolve();
        }
      });
    });
    expect((await a.call<{ archived: number }>('retention.run')).archived).toBe(1);
    await a.call('sync.retryNow');
    await waitForSync(a, (s) => s.pending === 0, 'A pushed the archive');
    await bDropped;

    expect(await listed(a)).toEqual([recent.id]);
    expect(await listed(b)).toEqual([recent.id]);
    // The tracker keeps both for HQ, and holds the archive fact itself.
    const hq = await trackerClient(tracker.url).get<{ incidents: { id: string }[] }>(
      '/v1/hq/incidents',
      await hqAdmin(tracker.url),
    );
    expect(hq.body.incidents.map((i) => i.id).sort()).toEqual([old.id, recent.id].sort());
    expect(b.events('incident.archived').map((e) => e.streamId)).toEqual([old.id]);
  });
});
