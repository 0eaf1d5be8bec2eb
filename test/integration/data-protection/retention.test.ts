/**
 * Retention on one console: closed incidents untouched for the period leave the list and
 * search through an `incident.archived` fact; their events stay in the log, the chain
 * stays whole, and the audit trail still tells their story. Admins only.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FIRST_SWEEP_DELAY_MS } from '../../../src-main/core/retention/index.ts';
import type { AuditEntry } from '../../../src-shared/audit.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { DAY_MS, type RetentionRunOutput, type RetentionStatus } from '../../../src-shared/retention.ts';
import {
  cleanupTestConsoles,
  enrolStandardRoster,
  openTestConsole,
  type TestConsole,
  type TestConsoleOptions,
} from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

const START = Date.UTC(2026, 0, 10, 9);
let consoles: TestConsole[] = [];
let now = START;

async function open(options: TestConsoleOptions = {}): Promise<TestConsole> {
  now = START;
  const c = openTestConsole({ wallClock: () => now, ...options });
  consoles.push(c);
  await enrolStandardRoster(c);
  return c;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const c of consoles) await c.close();
  consoles = [];
  cleanupTestConsoles();
});

async function incident(c: TestConsole, title: string, finalStatus: 'open' | 'resolved' | 'closed'): Promise<Incident> {
  const created = await c.call<Incident>(
    'incidents.create',
    incidentInput({ title, category: 'other', severity: 'low' }),
  );
  if (finalStatus === 'open') return created;
  await c.call('incidents.setStatus', { id: created.id, to: 'resolved' });
  if (finalStatus === 'resolved') return created;
  return c.call<Incident>('incidents.setStatus', { id: created.id, to: 'closed' });
}

const listed = async (c: TestConsole, query?: string) =>
  (await c.call<{ items: { id: string }[] }>('incidents.list', query ? { query } : {})).items.map((i) => i.id);

describe('retention on the console', () => {
  it('archives closed incidents past the period: out of list and search, events and chain intact', async () => {
    const c = await open({ retention: { closedIncidentDays: 90 } });
    const old = await incident(c, 'Slagsmål i rastgården', 'closed');
    const oldOpen = await incident(c, 'Trasig dörr till cell 9', 'open');
    const oldResolved = await incident(c, 'Vattenläcka i tvättstugan', 'resolved');
    now += 60 * DAY_MS;
    const recent = await incident(c, 'Hot mot personal i matsalen', 'closed');
    now += 31 * DAY_MS;
    const eventsBefore = c.events().length;

    const result = await c.call<RetentionRunOutput>('retention.run');
    expect(result.archived).toBe(1);
    expect((await listed(c)).sort()).toEqual([oldOpen.id, oldResolved.id, recent.id].sort());
    expect(await listed(c, 'rastgården')).toEqual([]);
    const archived = c.events('incident.archived');
    expect(archived.map((e) => [e.streamId, e.actor, e.payload])).toEqual([
      [old.id, 'A1', { reason: 'retention', retentionDays: 90, lastActivityAt: START }],
    ]);
    expect(c.events().length).toBe(eventsBefore + 1);
    expect(await c.call('store.verifyChain')).toMatchObject({ ok: true });
    const story = await c.call<{ items: AuditEntry[] }>('audit.query', { incidentId: old.id });
    expect(story.items.map((e) => e.type).reverse()).toEqual([
      'incident.created',
      'incident.status_changed',
      'incident.status_changed',
      'incident.archived',
    ]);
  });

  it('answers an archived incident with not_found that says it was archived', async () => {
    const c = await open({ retention: { closedIncidentDays: 1 } });
    const old = await incident(c, 'Rymningsförsök', 'closed');
    now += 2 * DAY_MS;
    await c.call('retention.run');
    const error = await c.fail('incidents.get', { id: old.id });
    expect(error).toMatchObject({ code: 'not_found', field: 'id' });
    expect(error.message).toContain('archived');
    expect(c.events('incident.viewed')).toEqual([]);
  });

  it('keeps an archived incident out of the list when a late event for it arrives from another console', async () => {
    const c = await open({ retention: { closedIncidentDays: 1 } });
    const old = await incident(c, 'Sen anteckning', 'closed');
    now += 2 * DAY_MS;
    await c.call('retention.run');
    const note = {
      ...c.events('incident.created')[0]!,
      id: '01890a5d-ac96-774b-bcce-b302099a8058',
      type: 'incident.note_added' as const,
      payload: { noteId: '01890a5d-ac96-774b-bcce-b302099a8059', text: 'Efterhandsanteckning' },
      deviceId: 'another-console',
      hlc: `${String(now + 1).padStart(15, '0')}-000000-another-console`,
    };
    c.core.store.append([note]);
    expect(await listed(c)).toEqual([]);
    expect(c.core.store.streamEvents(old.id).map((e) => e.type)).toContain('incident.note_added');
  });

  it('reports the period, what is due now, what was archived and the last run', async () => {
    const c = await open({ retention: { closedIncidentDays: 30 } });
    await incident(c, 'Ett', 'closed');
    await incident(c, 'Två', 'closed');
    expect(await c.call<RetentionStatus>('retention.status')).toEqual({
      closedIncidentDays: 30,
      due: 0,
      archived: 0,
      lastRun: null,
    });
    now += 31 * DAY_MS;
    expect((await c.call<RetentionStatus>('retention.status')).due).toBe(2);
    const run = await c.call<RetentionRunOutput>('retention.run');
    expect(run.status).toEqual({ closedIncidentDays: 30, due: 0, archived: 2, lastRun: { at: now, archived: 2 } });
  });

  it('lets only admins see or run retention', async () => {
    const c = await open({ retention: { closedIncidentDays: 30 } });
    await c.signIn('S1');
    expect((await c.fail('retention.run')).code).toBe('forbidden');
    expect((await c.fail('retention.status')).code).toBe('forbidden');
  });

  it('says retention is off when no period is set, and archives nothing', async () => {
    const c = await open();
    await incident(c, 'Gammal men kvar', 'closed');
    now += 5000 * DAY_MS;
    expect(await c.call<RetentionStatus>('retention.status')).toMatchObject({ closedIncidentDays: null, due: 0 });
    expect((await c.fail('retention.run')).code).toBe('conflict');
    expect(await listed(c)).toHaveLength(1);
  });

  it('sweeps on its own a minute after start and then every interval, as the system actor', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const c = await open({ retention: { closedIncidentDays: 7, sweepIntervalMs: DAY_MS } });
    const first = await incident(c, 'Svept vid start', 'closed');
    now += 8 * DAY_MS;
    await vi.advanceTimersByTimeAsync(FIRST_SWEEP_DELAY_MS);
    expect(c.events('incident.archived').map((e) => [e.streamId, e.actor])).toEqual([[first.id, 'system']]);
    const second = await incident(c, 'Svept nästa dygn', 'closed');
    now += 8 * DAY_MS;
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(c.events('incident.archived').map((e) => e.streamId)).toEqual([first.id, second.id]);
  });

  it('refuses a period that is not a whole number of days', async () => {
    expect(() => openTestConsole({ retention: { closedIncidentDays: 0 } })).toThrow(/whole number of days/);
  });
});
