/**
 * `console.quit` (issue 14): a real console decides whether the desktop shell may stop
 * monitoring. Supervisors and admins may, guards and an empty session may not, nobody
 * may while an alarm stands on this console, and an approved quit is in the log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

let c: TestConsole;
afterEach(async () => {
  await c.close();
  cleanupTestConsoles();
});

describe('console.quit', () => {
  it('lets a supervisor quit and logs who approved it', async () => {
    c = openTestConsole();
    await enrolStandardRoster(c);
    await c.signIn('S1');
    const { eventId } = await c.call<{ eventId: string }>('console.quit');
    const [approved] = c.events('console.quit_approved');
    expect(approved).toMatchObject({ id: eventId, actor: 'S1', payload: { staffNumber: 'S1', host: 'test' } });
    expect(approved!.streamId).toBe(`console:${c.core.info().deviceId}`);
  });

  it('refuses a guard (logged as a denied attempt) and a console nobody is signed in on', async () => {
    c = openTestConsole();
    await enrolStandardRoster(c);
    await c.signIn('G1');
    expect(await c.fail('console.quit')).toMatchObject({ code: 'forbidden' });
    expect(c.events('access.denied').at(-1)?.payload).toMatchObject({ staffNumber: 'G1', method: 'console.quit' });
    await c.call('auth.signOut');
    expect(await c.fail('console.quit')).toMatchObject({ code: 'unauthenticated' });
    expect(c.events('console.quit_approved')).toEqual([]);
  });

  it('refuses while an alarm stands on this console, and allows it once acknowledged', async () => {
    c = openTestConsole();
    await enrolStandardRoster(c);
    await c.call('incidents.create', incidentInput({ unit: 'Avdelning B', severity: 'high', title: 'Hot' }));
    const { alarms } = await c.call<{ alarms: { escalationId: string }[] }>('alarms.list');
    expect(alarms).toHaveLength(1);
    const refused = await c.fail('console.quit');
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/1 alarm/);
    expect(c.events('console.quit_approved')).toEqual([]);

    await c.signIn('S1');
    await c.call('escalation.acknowledge', { escalationId: alarms[0]!.escalationId });
    expect((await c.call<{ alarms: unknown[] }>('alarms.list')).alarms).toEqual([]);
    await expect(c.call('console.quit')).resolves.toMatchObject({ eventId: expect.any(String) });
  });
});
