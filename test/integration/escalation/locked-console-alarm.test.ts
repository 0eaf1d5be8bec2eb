import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

afterAll(() => cleanupTestConsoles());

describe('alarms on a locked console', () => {
  it("keeps a supervisor's alarm on their console after it locks, until they acknowledge", async () => {
    const c = openTestConsole(); // the console of Avdelning B
    await enrolStandardRoster(c);
    await c.signIn('S2'); // supervisor of Avdelning C, working at B's console
    await c.call('incidents.create', incidentInput({ unit: 'Avdelning C', category: 'threat', severity: 'high' }));
    const count = async () => (await c.call<{ alarms: unknown[] }>('alarms.list')).alarms.length;
    expect(await count()).toBe(1);
    await c.call('auth.lock');
    expect(await count()).toBe(1);
    await c.close();
  });
});
