import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanupTestConsoles,
  enrolStandardRoster,
  openTestConsole,
  PINS,
  type TestConsole,
} from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

let c: TestConsole;

beforeEach(async () => {
  c = openTestConsole();
  await enrolStandardRoster(c);
  await c.call('auth.signOut');
});

afterEach(async () => {
  await c.close();
  cleanupTestConsoles();
});

describe('roles enforced in dispatch', () => {
  it('refuses every non-public method without a session, before looking at the input', async () => {
    for (const [method, input] of [
      ['incidents.list', {}],
      ['incidents.create', { title: '' }],
      ['staff.enroll', {}],
      ['escalation.acknowledge', { escalationId: 'not-a-uuid' }],
      ['store.verifyChain', {}],
    ] as const) {
      const error = await c.fail(method, input);
      expect(error.code, method).toBe('unauthenticated');
    }
    expect((await c.raw('system.info')).ok).toBe(true);
    expect((await c.raw('alarms.list')).ok).toBe(true);
  });

  it('does not let a guard change the roster, and names the role needed', async () => {
    await c.signIn('G1');
    const enrol = await c.fail('staff.enroll', { staffNumber: 'G2', name: 'Ny Vakt', role: 'admin', pin: '1234' });
    expect(enrol).toEqual({ code: 'forbidden', message: 'staff.enroll requires the admin role' });
    expect((await c.fail('staff.update', { staffNumber: 'G1', patch: { role: 'admin' } })).code).toBe('forbidden');
    expect((await c.fail('staff.setPin', { staffNumber: 'S1', pin: '1234' })).code).toBe('forbidden');
    expect(c.events('staff.enrolled').map((e) => (e.payload as { staffNumber: string }).staffNumber)).not.toContain(
      'G2',
    );
  });

  it('does not let a supervisor change the roster either', async () => {
    await c.signIn('S1');
    expect((await c.fail('staff.update', { staffNumber: 'S1', patch: { role: 'admin' } })).code).toBe('forbidden');
  });

  it('lets an admin manage the roster, logged with the admin as actor', async () => {
    await c.signIn('A1');
    await c.call('staff.enroll', { staffNumber: 'G2', name: 'Ny Vakt', role: 'guard', units: ['Avdelning B'] });
    await c.call('staff.update', { staffNumber: 'G2', patch: { role: 'supervisor' } });
    await c.call('staff.setPin', { staffNumber: 'G2', pin: '7531' });
    expect(
      c
        .events()
        .filter((e) => e.streamId === 'staff:G2')
        .map((e) => [e.type, e.actor]),
    ).toEqual([
      ['staff.enrolled', 'A1'],
      ['staff.updated', 'A1'],
      ['staff.pin_set', 'A1'],
    ]);
    await c.signIn('G2', '7531');
    expect((await c.call<{ session: { role: string } }>('auth.session')).session.role).toBe('supervisor');
  });

  it('refuses to demote or deactivate the last active admin', async () => {
    await c.signIn('A1');
    expect((await c.fail('staff.update', { staffNumber: 'A1', patch: { role: 'guard' } })).code).toBe('conflict');
    expect((await c.fail('staff.update', { staffNumber: 'A1', patch: { active: false } })).code).toBe('conflict');
    await c.call('staff.update', { staffNumber: 'S1', patch: { role: 'admin' } });
    await c.call('staff.update', { staffNumber: 'A1', patch: { role: 'supervisor' } });
  });

  it('does not let a guard acknowledge an escalation', async () => {
    await c.signIn('G1');
    const incident = await c.call<{ id: string }>('incidents.create', incidentInput());
    const { items } = await c.call<{ items: { escalationId: string }[] }>('escalation.list', {
      incidentId: incident.id,
    });
    expect(items).toHaveLength(1);
    const error = await c.fail('escalation.acknowledge', { escalationId: items[0]!.escalationId });
    expect(error).toEqual({ code: 'forbidden', message: 'escalation.acknowledge requires the supervisor role' });
    expect(c.events('escalation.acknowledged')).toEqual([]);
    expect(c.events('access.denied').at(-1)).toMatchObject({
      actor: 'G1',
      payload: { staffNumber: 'G1', method: 'escalation.acknowledge', required: 'supervisor' },
    });
    expect((await c.fail('escalation.start', { incidentId: incident.id })).code).toBe('forbidden');
  });

  it('keeps the audit trail and the chain check for admins', async () => {
    await c.signIn('S1');
    expect((await c.fail('audit.query', {})).code).toBe('forbidden');
    expect((await c.fail('store.verifyChain')).code).toBe('forbidden');
    await c.signIn('A1', PINS.A1);
    expect(await c.call('store.verifyChain')).toMatchObject({ ok: true, firstBroken: null });
  });
});
