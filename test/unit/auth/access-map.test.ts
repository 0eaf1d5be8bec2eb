import { describe, expect, it } from 'vitest';
import { consoleApi } from '../../../src-shared/api.ts';
import { ACCESS_LEVELS, METHOD_ACCESS, accessOf, allows } from '../../../src-shared/access.ts';

describe('access map', () => {
  it('has a rule for every method of the console API, so none can slip through', () => {
    const missing = Object.keys(consoleApi).filter((m) => !Object.hasOwn(METHOD_ACCESS, m));
    expect(missing).toEqual([]);
  });

  it('names no method the console API does not have', () => {
    const stale = Object.keys(METHOD_ACCESS).filter((m) => !Object.hasOwn(consoleApi, m));
    expect(stale).toEqual([]);
    for (const level of Object.values(METHOD_ACCESS)) expect(ACCESS_LEVELS).toContain(level);
  });

  it('keeps sign-in reachable without a session and the roster, audit and chain check for admins', () => {
    expect(accessOf('auth.signIn')).toBe('public');
    expect(accessOf('auth.bootstrapAdmin')).toBe('public');
    expect(accessOf('system.info')).toBe('public');
    for (const m of ['staff.enroll', 'staff.update', 'staff.setPin', 'audit.query', 'store.verifyChain']) {
      expect(accessOf(m), m).toBe('admin');
    }
    expect(accessOf('escalation.acknowledge')).toBe('supervisor');
    expect(accessOf('toString')).toBeNull();
  });

  it('orders roles admin ⊇ supervisor ⊇ guard', () => {
    expect(allows('public', null)).toBe(true);
    expect(allows('signed-in', null)).toBe(false);
    expect(allows('signed-in', 'guard')).toBe(true);
    expect(allows('supervisor', 'guard')).toBe(false);
    expect(allows('supervisor', 'supervisor')).toBe(true);
    expect(allows('supervisor', 'admin')).toBe(true);
    expect(allows('admin', 'supervisor')).toBe(false);
    expect(allows('admin', 'admin')).toBe(true);
  });
});
