import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import type { AuditEntry } from '../../../src-shared/audit.ts';
import type { ChainReport } from '../../../src-shared/api.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

const T0 = Date.UTC(2026, 10, 26, 8, 0, 0);
let c: TestConsole;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  c = openTestConsole({ wallClock: () => Date.now() });
  await enrolStandardRoster(c);
});

afterEach(async () => {
  await c.close();
  vi.useRealTimers();
  cleanupTestConsoles();
});

type Page = { items: AuditEntry[]; nextBeforeSeq: number | null };

describe('audit trail', () => {
  it('shows who did what to an incident and its escalation, newest first', async () => {
    await c.signIn('G1');
    const incident = await c.call<Incident>('incidents.create', incidentInput());
    await c.call('incidents.create', incidentInput({ title: 'Annat', category: 'other' }));
    vi.setSystemTime(T0 + 5000);
    await c.signIn('S1');
    const [escalation] = (await c.call<{ items: { escalationId: string }[] }>('escalation.list', {})).items;
    await c.call('escalation.acknowledge', { escalationId: escalation!.escalationId });
    await c.signIn('A1');

    const page = await c.call<Page>('audit.query', { incidentId: incident.id });
    expect(page.items.map((e) => [e.type, e.actor])).toEqual([
      ['escalation.resolved', 'S1'],
      ['escalation.acknowledged', 'S1'],
      ['escalation.notified', 'system'],
      ['incident.status_changed', 'system'],
      ['escalation.started', 'system'],
      ['incident.created', 'G1'],
    ]);
    expect(page.nextBeforeSeq).toBeNull();
  });

  it('filters by staff member, including sign-in attempts made in their name, and by time', async () => {
    await c.fail('auth.signIn', { staffNumber: 'G1', pin: '0000' });
    vi.setSystemTime(T0 + 60_000);
    await c.signIn('G1');
    await c.call('incidents.create', incidentInput({ category: 'other' }));
    await c.signIn('A1');
    const all = await c.call<Page>('audit.query', { staffNumber: 'g1' });
    expect(all.items.map((e) => e.type)).toEqual([
      'auth.signed_out',
      'incident.created',
      'auth.signed_in',
      'auth.sign_in_failed',
      'staff.pin_set',
      'staff.enrolled',
    ]);
    const later = await c.call<Page>('audit.query', { staffNumber: 'G1', from: T0 + 60_000 });
    expect(later.items.map((e) => e.type)).toEqual(['auth.signed_out', 'incident.created', 'auth.signed_in']);
    const paged = await c.call<Page>('audit.query', { staffNumber: 'G1', limit: 4 });
    expect(paged.items).toHaveLength(4);
    const rest = await c.call<Page>('audit.query', { staffNumber: 'G1', beforeSeq: paged.nextBeforeSeq! });
    expect(rest.items.map((e) => e.type)).toEqual(['staff.pin_set', 'staff.enrolled']);
  });

  it('never shows a PIN hash', async () => {
    const page = await c.call<Page>('audit.query', { staffNumber: 'S1' });
    const pinSet = page.items.find((e) => e.type === 'staff.pin_set')!;
    expect(pinSet.payload).toEqual({ staffNumber: 'S1', pinHash: '[redacted]' });
    expect(JSON.stringify(page)).not.toMatch(/scrypt\$/);
  });

  it('logs an export before the data leaves, and only for the role the kind needs', async () => {
    await c.signIn('S1');
    expect((await c.fail('audit.exportLogged', { kind: 'audit-trail' })).code).toBe('forbidden');
    const logged = await c.call<{ eventId: string }>('audit.exportLogged', {
      kind: 'incidents',
      filters: { status: ['open'], from: '2026-11-01' },
      count: 12,
    });
    const [exported] = c.events('audit.exported');
    expect(exported).toMatchObject({
      id: logged.eventId,
      actor: 'S1',
      payload: { kind: 'incidents', filters: { status: ['open'], from: '2026-11-01' }, count: 12 },
    });
    await c.signIn('G1');
    expect((await c.fail('audit.exportLogged', { kind: 'incidents' })).code).toBe('forbidden');
  });

  it('reports a tampered event through store.verifyChain, and keeps working', async () => {
    const file = c.file;
    const g1 = c.events('staff.enrolled').find((e) => (e.payload as { staffNumber: string }).staffNumber === 'G1')!;
    await c.close();
    // Someone with access to the file promotes G1 to admin behind the log's back.
    const raw = new Database(file);
    raw.exec('DROP TRIGGER events_no_rewrite');
    raw
      .prepare('UPDATE events SET payload = ? WHERE id = ?')
      .run(JSON.stringify({ ...(g1.payload as object), role: 'admin' }), g1.id);
    raw.close();

    c = openTestConsole({ file, wallClock: () => Date.now() });
    await c.signIn('A1');
    const report = await c.call<ChainReport>('store.verifyChain');
    expect(report).toEqual({
      ok: false,
      checked: g1.seq - 1,
      firstBroken: { seq: g1.seq, id: g1.id, reason: 'content does not match its hash' },
    });
    await c.signIn('G1');
    expect((await c.fail('staff.enroll', { staffNumber: 'X1', name: 'X', role: 'admin' })).code).toBe('forbidden');
  });
});
