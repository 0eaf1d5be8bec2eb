import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Alarm, EscalationView } from '../../../src-shared/escalation.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

const T0 = Date.UTC(2026, 10, 25, 21, 0, 0);
let c: TestConsole;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
  c = openTestConsole({ wallClock: () => Date.now(), idleLockMs: 24 * 60 * 60_000 });
  await enrolStandardRoster(c);
  await c.signIn('G1');
});

afterEach(async () => {
  await c.close();
  vi.useRealTimers();
  cleanupTestConsoles();
});

async function raiseThreat(overrides: Parameters<typeof incidentInput>[0] = {}) {
  const incident = await c.call<Incident>('incidents.create', incidentInput(overrides));
  const { items } = await c.call<{ items: EscalationView[] }>('escalation.list', { incidentId: incident.id });
  return { incident, escalation: items[0] };
}

const steps = () =>
  c
    .events()
    .filter((e) => e.type.startsWith('escalation.'))
    .map((e) => {
      const p = e.payload as { level?: number; round?: number; targets?: string[]; by?: string; reason?: string };
      return [e.type.slice('escalation.'.length), p.level ?? p.by ?? p.reason ?? null, p.round ?? null];
    });
const lastAlarms = () =>
  (c.pushes.filter((p) => p.name === 'alarm.changed').at(-1)?.payload as { alarms: Alarm[] } | undefined)?.alarms;

describe('escalation runner', () => {
  it('starts on a high threat, marks the incident escalated and notifies the unit’s supervisors at once', async () => {
    const { incident, escalation } = await raiseThreat();
    expect(escalation).toMatchObject({ status: 'active', level: 1, round: 1, trigger: 'auto', requiredAcks: 1 });
    expect(c.events('escalation.notified').map((e) => e.payload)).toEqual([
      { incidentId: incident.id, level: 1, round: 1, targets: ['S1', 'S3'] },
    ]);
    const detail = await c.call<{ incident: Incident }>('incidents.get', { id: incident.id });
    expect(detail.incident.status).toBe('escalated');
    expect(lastAlarms()).toEqual([
      expect.objectContaining({ escalationId: escalation!.escalationId, level: 1, since: T0, needsSecondAck: false }),
    ]);
  });

  it('does not start for incidents outside the policy', async () => {
    await raiseThreat({ severity: 'medium' });
    await raiseThreat({ category: 'medical' });
    expect((await c.call<{ items: unknown[] }>('escalation.list', {})).items).toEqual([]);
    expect(c.events('escalation.started')).toEqual([]);
  });

  it('resolves when a supervisor acknowledges at level 1, and no step follows', async () => {
    const { escalation } = await raiseThreat();
    await c.signIn('S1');
    const acked = await c.call<EscalationView>('escalation.acknowledge', { escalationId: escalation!.escalationId });
    expect(acked).toMatchObject({ status: 'resolved', acknowledgedBy: ['S1'], resolvedReason: 'acknowledged' });
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(steps()).toEqual([
      ['started', null, null],
      ['notified', 1, 1],
      ['acknowledged', 'S1', null],
      ['resolved', 'acknowledged', null],
    ]);
    expect(c.events('escalation.acknowledged')[0]!.actor).toBe('S1');
    expect(lastAlarms()).toEqual([]);
  });

  it('times out to level 2 after 60 s without an acknowledgement', async () => {
    await raiseThreat();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(c.events('escalation.timed_out')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(steps().slice(2)).toEqual([
      ['timed_out', 1, 1],
      ['notified', 2, 1],
    ]);
    expect(c.events('escalation.notified')[1]!.payload).toMatchObject({ targets: ['S1', 'S2', 'S3'] });
    expect(c.events('escalation.timed_out')[0]!.deviceTime).toBe(T0 + 60_000);
    expect(lastAlarms()![0]).toMatchObject({ level: 2, round: 1 });
  });

  it('repeats the ladder, then stays alarming (exhausted) until someone acknowledges', async () => {
    const { escalation } = await raiseThreat();
    await vi.advanceTimersByTimeAsync(240_000); // 60 + 60 + 120: round 1 done
    expect(steps().at(-1)).toEqual(['notified', 1, 2]);
    expect(c.events('escalation.notified')[2]!.payload).toMatchObject({ level: 3, targets: ['A1'] });
    await vi.advanceTimersByTimeAsync(240_000);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(c.events('escalation.notified')).toHaveLength(6);
    expect(c.events('escalation.timed_out')).toHaveLength(6);
    expect(lastAlarms()).toEqual([expect.objectContaining({ exhausted: true, level: 3, round: 2 })]);
    await c.signIn('S2');
    await c.call('escalation.acknowledge', { escalationId: escalation!.escalationId });
    expect(lastAlarms()).toEqual([]);
  });

  it('needs two different supervisors for a critical threat', async () => {
    const { escalation } = await raiseThreat({ severity: 'critical' });
    const escalationId = escalation!.escalationId;
    expect(escalation!.requiredAcks).toBe(2);
    await c.signIn('S1');
    expect(await c.call<EscalationView>('escalation.acknowledge', { escalationId })).toMatchObject({
      status: 'active',
      acknowledgedBy: ['S1'],
    });
    expect(lastAlarms()![0]).toMatchObject({ needsSecondAck: true, acknowledgedBy: ['S1'] });
    const twice = await c.fail('escalation.acknowledge', { escalationId });
    expect(twice.code).toBe('conflict');
    // Still escalating meanwhile: one acknowledgement is not enough.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(steps().at(-1)).toEqual(['notified', 2, 1]);
    await c.signIn('S3');
    expect(await c.call<EscalationView>('escalation.acknowledge', { escalationId })).toMatchObject({
      status: 'resolved',
      acknowledgedBy: ['S1', 'S3'],
    });
  });

  it('answers an acknowledgement of a resolved escalation with a conflict, changing nothing', async () => {
    const { escalation } = await raiseThreat();
    await c.signIn('S1');
    await c.call('escalation.acknowledge', { escalationId: escalation!.escalationId });
    const before = c.events().length;
    await c.signIn('S3');
    const error = await c.fail('escalation.acknowledge', { escalationId: escalation!.escalationId });
    expect(error).toMatchObject({ code: 'conflict', field: 'escalationId' });
    expect(error.message).toMatch(/already resolved/);
    expect(c.events().length).toBe(before + 2); // only S3's sign-out of S1 and sign-in
  });

  it('refuses an unknown escalation as not found', async () => {
    await c.signIn('S1');
    const error = await c.fail('escalation.acknowledge', { escalationId: '019ab000-0000-7000-8000-00000000beef' });
    expect(error.code).toBe('not_found');
  });

  it('resolves the escalation when its incident is resolved, and stops its timers', async () => {
    const { incident, escalation } = await raiseThreat();
    await c.signIn('S1');
    await c.call('incidents.setStatus', { id: incident.id, to: 'resolved' });
    const view = await c.call<{ escalation: EscalationView }>('escalation.get', {
      escalationId: escalation!.escalationId,
    });
    expect(view.escalation).toMatchObject({ status: 'resolved', resolvedReason: 'incident_resolved' });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(c.events('escalation.timed_out')).toEqual([]);
  });

  it('lets a supervisor start an escalation by hand, once at a time', async () => {
    const incident = await c.call<Incident>('incidents.create', incidentInput({ category: 'medical' }));
    await c.signIn('S1');
    const started = await c.call<EscalationView>('escalation.start', { incidentId: incident.id });
    expect(started).toMatchObject({ trigger: 'manual', status: 'active', policyId: 'threat' });
    expect(c.events('escalation.started')[0]!.actor).toBe('S1');
    expect((await c.fail('escalation.start', { incidentId: incident.id })).code).toBe('conflict');
    await c.call('escalation.acknowledge', { escalationId: started.escalationId });
    const again = await c.call<EscalationView>('escalation.start', { incidentId: incident.id });
    expect(again.escalationId).not.toBe(started.escalationId);
  });
});

describe('alarms on a console of another unit', () => {
  let other: TestConsole;

  beforeEach(async () => {
    other = openTestConsole({ wallClock: () => Date.now(), unit: 'Avdelning C', idleLockMs: 24 * 60 * 60_000 });
    await enrolStandardRoster(other);
    await other.signIn('G1');
  });

  afterEach(async () => {
    await other.close();
  });

  it('shows an alarm only where someone it notified is signed in', async () => {
    const incident = await other.call<Incident>('incidents.create', incidentInput({ unit: 'Avdelning B' }));
    expect((await other.call<{ alarms: Alarm[] }>('alarms.list')).alarms).toEqual([]);
    // S2 supervises Avdelning C: not notified at level 1, notified at level 2.
    await other.signIn('S2');
    expect((await other.call<{ alarms: Alarm[] }>('alarms.list')).alarms).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    const alarms = (await other.call<{ alarms: Alarm[] }>('alarms.list')).alarms;
    expect(alarms).toEqual([expect.objectContaining({ incidentId: incident.id, level: 2 })]);
    expect(other.pushes.filter((p) => p.name === 'alarm.changed').at(-1)!.payload).toEqual({ alarms });
    // Nobody signed in: the alarm leaves this console (it is not this console's unit).
    await other.call('auth.signOut');
    expect((await other.call<{ alarms: Alarm[] }>('alarms.list')).alarms).toEqual([]);
  });
});
