/**
 * Escalation between two consoles through a real tracker (child process, SSE): a
 * guard's threat on one console alarms the supervisor signed in on the other, whose
 * acknowledgement comes back; and two consoles that time out the same levels while the
 * link is down hand the tracker one event per step.
 */
import { describe, expect, it } from 'vitest';
import type { Alarm, EscalationView } from '../../../src-shared/escalation.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { startFaultProxy } from '../../support/fault-proxy.ts';
import { PINS, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { deviceToken, enrol, enrolmentCode, live, trackerEvents, waitForSync } from '../sync/sync-lab.ts';
import { syncLab } from '../sync/sync-lab-scope.ts';

const lab = syncLab('guardline-escalation-');

/** One-second levels keep the offline race short; the ladder is otherwise the default one. */
const FAST_POLICY = [
  {
    id: 'threat',
    trigger: { categories: ['threat'], severities: ['high', 'critical'] },
    levels: [
      { targets: [{ kind: 'role', role: 'supervisor', scope: 'unit' }], ackTimeoutMs: 1000 },
      { targets: [{ kind: 'role', role: 'supervisor', scope: 'facility' }], ackTimeoutMs: 1000 },
    ],
    repeat: 1,
  },
];

/** Resolve with the first `alarm.changed` payload (already pushed or still to come) that satisfies `predicate`. */
function alarmWhere(c: TestConsole, predicate: (alarms: Alarm[]) => boolean, what: string): Promise<Alarm[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, 30_000);
    const check = (alarms: Alarm[]) => {
      if (!predicate(alarms)) return;
      clearTimeout(timer);
      stop();
      resolve(alarms);
    };
    const stop = c.core.subscribe((name, payload) => {
      if (name === 'alarm.changed') check((payload as { alarms: Alarm[] }).alarms);
    });
    void c.call<{ alarms: Alarm[] }>('alarms.list').then((r) => check(r.alarms));
  });
}

async function hasStaff(c: TestConsole, staffNumber: string) {
  await waitForSync(
    c,
    () => c.core.store.db.prepare('SELECT 1 FROM staff WHERE staff_number = ?').get(staffNumber) !== undefined,
    `${staffNumber} to reach the console`,
  );
}

describe('escalation through the tracker', () => {
  it('alarms the supervisor on another console, whose acknowledgement reaches the first', async () => {
    const tracker = await lab.startTracker();
    const proxy = await startFaultProxy(Number(new URL(tracker.url).port));
    lab.closeBeforeTracker(() => proxy.close());
    const a = await lab.syncConsole('a', { unit: 'Avdelning B', escalationPolicies: FAST_POLICY });
    const b = await lab.syncConsole('b', { unit: 'Ledningscentral', escalationPolicies: FAST_POLICY });
    await a.call('staff.enroll', {
      staffNumber: 'S1',
      name: 'Sara Ett',
      role: 'supervisor',
      units: ['Avdelning B'],
      pin: PINS.S1,
    });
    await a.call('staff.enroll', {
      staffNumber: 'G1',
      name: 'Gustav',
      role: 'guard',
      units: ['Avdelning B'],
      pin: PINS.G1,
    });
    await enrol(a, proxy.url, await enrolmentCode(tracker.url));
    await enrol(b, proxy.url, await enrolmentCode(tracker.url));
    await hasStaff(b, 'S1');
    await b.signIn('S1');
    await a.signIn('G1');

    // A threat on A's unit: A alarms at once (its own unit), B once the events arrive (S1 is a target).
    const incident = await a.call<Incident>('incidents.create', incidentInput({ unit: 'Avdelning B' }));
    const [onA] = await alarmWhere(a, (l) => l.length === 1, 'the alarm on A');
    const [onB] = await alarmWhere(b, (l) => l.length === 1, 'the alarm on B');
    expect(onB).toMatchObject({ incidentId: incident.id, escalationId: onA!.escalationId, level: 1 });

    const acked = await b.call<EscalationView>('escalation.acknowledge', { escalationId: onB!.escalationId });
    expect(acked).toMatchObject({ status: 'resolved', acknowledgedBy: ['S1'] });
    await alarmWhere(a, (l) => l.length === 0, 'the acknowledgement to silence A');
    await a.signIn('A-a', '1111');
    const seen = await a.call<{ escalation: EscalationView }>('escalation.get', { escalationId: onA!.escalationId });
    expect(seen.escalation).toMatchObject({
      status: 'resolved',
      acknowledgedBy: ['S1'],
      resolvedReason: 'acknowledged',
    });

    // Offline race: both consoles hold a new threat, the link goes down, both time out every level.
    const second = await a.call<Incident>('incidents.create', incidentInput({ title: 'Hot igen' }));
    await waitForSync(
      b,
      () => b.core.store.db.prepare('SELECT 1 FROM escalations WHERE incident_id = ?').get(second.id) !== undefined,
      'the second escalation to reach B',
    );
    proxy.setLink('down');
    const exhausted = (c: TestConsole) => () =>
      (
        c.core.store.db.prepare('SELECT status FROM escalations WHERE incident_id = ?').get(second.id) as {
          status: string;
        }
      ).status === 'exhausted';
    await Promise.all([
      waitForSync(a, exhausted(a), 'A to exhaust the ladder offline'),
      waitForSync(b, exhausted(b), 'B to exhaust the ladder offline'),
    ]);
    const producedBy = (c: TestConsole) =>
      c.core.store.db
        .prepare("SELECT id, device_id FROM events WHERE type = 'escalation.timed_out' AND payload LIKE ?")
        .all(`%${second.id}%`) as { id: string; device_id: string }[];
    expect(
      producedBy(a)
        .map((e) => e.id)
        .sort(),
    ).toEqual(
      producedBy(b)
        .map((e) => e.id)
        .sort(),
    );
    // Really produced on each side (not received from the other): same ids, different devices.
    expect(new Set(producedBy(a).map((e) => e.device_id))).toEqual(new Set([a.core.info().deviceId]));
    expect(new Set(producedBy(b).map((e) => e.device_id))).toEqual(new Set([b.core.info().deviceId]));

    proxy.setLink('up');
    void a.core.dispatch('sync.retryNow', {}, { origin: 'test' });
    void b.core.dispatch('sync.retryNow', {}, { origin: 'test' });
    await Promise.all([waitForSync(a, live, 'A to drain'), waitForSync(b, live, 'B to drain')]);

    const held = (await trackerEvents(tracker.url, deviceToken(a))).filter(
      (e) => e.type === 'escalation.timed_out' && (e.payload as { incidentId: string }).incidentId === second.id,
    );
    expect(held.map((e) => (e.payload as { level: number }).level).sort()).toEqual([1, 2]);
    expect(a.core.sync.status().quarantined + b.core.sync.status().quarantined).toBe(0);
  });
});
