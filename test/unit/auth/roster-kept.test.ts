/**
 * The session check reads the signed-in person's staff record on every call; the roster keeps
 * the records it read until the staff projector writes again (round 16p, docs/performance.md).
 * What must hold: a change to the roster, local or received, rolled back or not, is seen by
 * the very next call, exactly as when every call read the table.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRoster } from '../../../src-main/core/auth/roster.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { statementsRunDuring } from '../../support/statement-reads.ts';

let c: TestConsole;

beforeEach(async () => {
  c = openTestConsole({ escalationPolicies: [] });
  await enrolStandardRoster(c);
});

afterEach(async () => {
  await c.close();
  cleanupTestConsoles();
});

/** How many times a staff record was read by staff number (or by `sql`) while `fn` ran. */
async function staffReadsDuring(
  fn: () => Promise<void>,
  sql = 'SELECT * FROM staff WHERE staff_number = ?',
): Promise<number> {
  return (await statementsRunDuring((source) => source === sql, fn)).length;
}

/** A staff event as another console's admin authored it, appended as sync appends pulled events. */
function received(n: number, staffNumber: string, patch: Record<string, unknown>) {
  const at = Date.now() + n;
  c.core.store.append([
    {
      id: `019ab000-0000-7000-8000-0000000d${String(n).padStart(4, '0')}`,
      streamId: `staff:${staffNumber}`,
      type: 'staff.updated',
      payload: { staffNumber, patch },
      actor: 'A1',
      deviceId: 'other-console',
      deviceTime: at,
      hlc: `${String(at).padStart(15, '0')}-000000-other-console`,
    },
  ]);
}

describe('the roster between staff changes', () => {
  it('reads the signed-in person’s record once for many calls, and again after a change', async () => {
    await c.signIn('S1');
    const reads = await staffReadsDuring(async () => {
      for (let i = 0; i < 5; i++) await c.call('incidents.list', {});
    });
    expect(reads).toBeLessThanOrEqual(1);
    received(1, 'S1', { name: 'Nytt Namn' });
    const after = await staffReadsDuring(async () => {
      const { session } = await c.call<{ session: { name: string } }>('auth.session');
      expect(session.name).toBe('Nytt Namn');
    });
    expect(after).toBe(1);
  });

  it('refuses the next call of someone deactivated by a received event, and keeps a change that rolled back out', async () => {
    await c.signIn('S1');
    await c.call('incidents.list', {});
    // Rolled back inside a transaction the store did not open: S1 stays active.
    expect(() =>
      c.core.store.db.transaction(() => {
        received(2, 'S1', { active: false });
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    await c.call('incidents.list', {});
    received(3, 'S1', { active: false });
    expect((await c.fail('incidents.list')).code).toBe('unauthenticated');
  });

  it('reads a role’s staff once for many escalation targets, and sees a received change, even one rolled back, at the next (16u)', async () => {
    const roster = createRoster(c.core.store.db);
    const supervisorsOfB = () => roster.withRole('supervisor', 'Avdelning B').map((s) => s.staffNumber);
    const reads = await staffReadsDuring(async () => {
      for (let i = 0; i < 5; i++) expect(supervisorsOfB()).toEqual(['S1', 'S3']);
      expect(roster.withRole('supervisor').map((s) => s.staffNumber)).toEqual(['S1', 'S2', 'S3']);
    }, 'SELECT * FROM staff WHERE role = ? AND active = 1 ORDER BY staff_number');
    expect(reads).toBe(1);
    // Inside a transaction (a threat's escalation starts in its create's) the kept list serves
    // too, and a role first read there is kept while no staff write is pending in it.
    const inTransaction = await staffReadsDuring(async () => {
      c.core.store.transaction(() => expect(supervisorsOfB()).toEqual(['S1', 'S3']));
      for (let i = 0; i < 3; i++) c.core.store.transaction(() => expect(roster.withRole('guard')).toHaveLength(1));
    }, 'SELECT * FROM staff WHERE role = ? AND active = 1 ORDER BY staff_number');
    expect(inTransaction).toBe(1);
    // A caller changing the list it got changes nothing kept.
    roster.withRole('supervisor').pop();
    expect(supervisorsOfB()).toEqual(['S1', 'S3']);
    received(4, 'S3', { units: ['Avdelning C'] });
    expect(supervisorsOfB()).toEqual(['S1']);
    expect(() =>
      c.core.store.db.transaction(() => {
        received(5, 'S1', { active: false });
        expect(supervisorsOfB()).toEqual([]);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(supervisorsOfB()).toEqual(['S1']);
    received(6, 'S1', { active: false });
    expect(supervisorsOfB()).toEqual([]);
  });
});
