/**
 * A threat's create starts its escalation and refreshes the alarms from the escalations that
 * still need attention: the command a guard presses in the worst moment (round 16u). What a
 * guard relies on: the alarm of the new threat shows, the resolved ones do not, and the work a
 * threat costs does not grow with every escalation the console has ever resolved (the open
 * escalations were read by scanning the whole table) nor repeat itself (zod ran twice on
 * the start's payload).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EscalationStartedPayload } from '../../../src-shared/escalation.ts';
import { IncidentStatusChangedPayload } from '../../../src-shared/events.ts';
import type { EscalationView } from '../../../src-shared/escalation.ts';
import type { Alarm } from '../../../src-shared/escalation.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { statementsRunDuring } from '../../support/statement-reads.ts';

const open: TestConsole[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  cleanupTestConsoles();
});

/** The SQL of every statement run that reads the escalations table (or what `table` matches) while `fn` runs. */
const escalationReadsDuring = (fn: () => Promise<void>, table = /\bFROM escalations\b/) =>
  statementsRunDuring((sql) => table.test(sql), fn);

describe('a threat’s alarm', () => {
  it('shows the new threat only, and reads no escalation of the resolved history to do so', async () => {
    const c = openTestConsole();
    open.push(c);
    await enrolStandardRoster(c);
    for (let i = 0; i < 3; i++) {
      const old = await c.call<Incident>('incidents.create', incidentInput({ title: `Tidigare hot ${i}` }));
      await c.call('incidents.setStatus', { id: old.id, to: 'resolved' });
    }
    expect((await c.call<{ alarms: Alarm[] }>('alarms.list')).alarms).toEqual([]);
    let threat!: Incident;
    const reads = await escalationReadsDuring(async () => {
      threat = await c.call<Incident>('incidents.create', incidentInput({ title: 'Nytt hot' }));
    });
    const { alarms } = await c.call<{ alarms: Alarm[] }>('alarms.list');
    expect(alarms.map((a) => [a.incidentId, a.title])).toEqual([[threat.id, 'Nytt hot']]);
    // Every read of the escalations the create made finds its rows through an index.
    expect(reads.length).toBeGreaterThan(0);
    const db = c.core.store.db;
    const scans = reads.filter((sql) => {
      const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
      // A scan, or a search of the status index for the resolved ones: every one ever resolved.
      const byResolvedStatus =
        /status = 'resolved'/.test(sql) && plan.some((row) => /escalations_open/.test(row.detail));
      return byResolvedStatus || plan.some((row) => /^SCAN escalations\b/.test(row.detail));
    });
    expect(scans).toEqual([]);
  });

  it('checks the start’s payload and its status change once each, and the escalation folds as before', async () => {
    const c = openTestConsole();
    open.push(c);
    await enrolStandardRoster(c);
    const checks = [EscalationStartedPayload, IncidentStatusChangedPayload].map((schema) => {
      const parse = vi.spyOn(schema, 'parse');
      const safeParse = vi.spyOn(schema, 'safeParse');
      return () => parse.mock.calls.length + safeParse.mock.calls.length;
    });
    let threat!: Incident;
    try {
      threat = await c.call<Incident>('incidents.create', incidentInput({ severity: 'critical' }));
      expect(checks.map((n) => n())).toEqual([1, 1]);
    } finally {
      vi.restoreAllMocks();
    }
    const { items } = await c.call<{ items: EscalationView[] }>('escalation.list', {});
    expect(items).toHaveLength(1);
    const [view] = items;
    expect(view!.incidentId).toBe(threat.id);
    expect(view!.requiredAcks).toBe(2);
    expect(view!.notified.length).toBeGreaterThan(0);
    const { incident } = await c.call<{ incident: Incident }>('incidents.get', { id: threat.id });
    expect(incident.status).toBe('escalated');
  });

  it('commits the threat and its escalation start together: one commit, the alarm on it', async () => {
    const c = openTestConsole();
    open.push(c);
    await enrolStandardRoster(c);
    const commits: string[][] = [];
    const stop = c.core.store.onCommitted((r) => commits.push(r.stored.map((e) => e.type)));
    let threat!: Incident;
    // Checked in its own transaction, the incident is not triaged again after the commit.
    const triages = await escalationReadsDuring(async () => {
      try {
        threat = await c.call<Incident>('incidents.create', incidentInput());
      } finally {
        stop();
      }
    }, /\bFROM incidents i\b/);
    expect(triages).toEqual([]);
    expect(commits).toEqual([
      ['incident.created', 'escalation.started', 'incident.status_changed', 'escalation.notified'],
    ]);
    expect(threat.status).toBe('escalated');
    const { alarms } = await c.call<{ alarms: Alarm[] }>('alarms.list');
    expect(alarms.map((a) => a.incidentId)).toEqual([threat.id]);
    // An incident no policy matches commits alone, as before.
    commits.length = 0;
    const again = c.core.store.onCommitted((r) => commits.push(r.stored.map((e) => e.type)));
    try {
      await c.call<Incident>('incidents.create', incidentInput({ category: 'medical', severity: 'low' }));
    } finally {
      again();
    }
    expect(commits).toEqual([['incident.created']]);
  });
});
