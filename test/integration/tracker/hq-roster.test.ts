import { describe, expect, it } from 'vitest';
import type { ChildTracker } from './child-tracker.ts';
import { trackerClient } from './http-client.ts';
import type { TestConsole } from '../../support/consoles.ts';
import { hqAdmin, FACILITY, deviceToken, enrol, enrolmentCode } from '../sync/sync-lab.ts';
import { syncLab } from '../sync/sync-lab-scope.ts';

const lab = syncLab('guardline-hq-roster-');
let tracker: ChildTracker;
/** The first test's console, enrolled: its device token is not an HQ admin's. */
let unitB: TestConsole;

type StaffRow = { staffNumber: string; role: string; active: boolean };
const roster = async (c: TestConsole) => (await c.call<{ items: StaffRow[] }>('staff.list')).items;

describe('roster managed at HQ', () => {
  it(
    'reaches the facility’s consoles as events: HQ enrols a guard, who then signs in on a console; a role change follows',
    { timeout: 60_000 },
    async () => {
      tracker = await lab.startTracker();
      const hq = trackerClient(tracker.url);
      const c = (unitB = await lab.syncConsole('unit-b'));
      await enrol(c, tracker.url, await enrolmentCode(tracker.url));

      const enrolled = await hq.post(
        '/v1/admin/staff',
        {
          facility: FACILITY,
          staffNumber: 'V4711',
          name: 'Vera Vakt',
          role: 'guard',
          units: ['Avdelning B'],
          pin: '4711',
        },
        await hqAdmin(tracker.url),
      );
      expect(enrolled.status).toBe(201);
      const hasVera = async () => (await roster(c)).some((s) => s.staffNumber === 'V4711');
      await waitForSyncUntil(c, hasVera);
      await c.signIn('V4711', '4711');
      expect((await c.call<{ session: { role: string } }>('auth.session')).session.role).toBe('guard');

      const promoted = await hq.post(
        '/v1/admin/staff/update',
        { facility: FACILITY, staffNumber: 'V4711', patch: { role: 'supervisor' } },
        await hqAdmin(tracker.url),
      );
      expect(promoted.status).toBe(200);
      await waitForSyncUntil(
        c,
        async () => (await c.call<{ session: { role: string } | null }>('auth.session')).session?.role === 'supervisor',
      );
    },
  );

  it('refuses a console’s token and names the bad field', async () => {
    const hq = trackerClient(tracker.url);
    const asConsole = await hq.post(
      '/v1/admin/staff',
      { facility: FACILITY, staffNumber: 'X1', name: 'X', role: 'guard' },
      deviceToken(unitB),
    );
    expect(asConsole.status).toBe(403);
    const bad = await hq.post(
      '/v1/admin/staff',
      { facility: FACILITY, staffNumber: 'X1', name: 'X', role: 'warden' },
      await hqAdmin(tracker.url),
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid_input', field: 'role' });
  });
});

/** Resolve when `check` holds, re-checked on every push from the console. */
function waitForSyncUntil(c: TestConsole, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let busy = false;
    const timer = setTimeout(() => {
      stop();
      reject(new Error('timed out waiting for the HQ roster change to reach the console'));
    }, timeoutMs);
    const attempt = async () => {
      if (busy) return;
      busy = true;
      try {
        if (await check()) {
          clearTimeout(timer);
          stop();
          resolve();
        }
      } finally {
        busy = false;
      }
    };
    const stop = c.core.subscribe(() => void attempt());
    void attempt();
  });
}
