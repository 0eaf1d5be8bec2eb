/**
 * A command's answer and the escalation runner's check of the incident just committed take it
 * from the incident projector's memory, not from a read of the row it has just written (round
 * 16p, docs/performance.md). What a user relies on: the answer is exactly what the list and a
 * restart show, an answer already given never changes under its holder, a new threat still
 * alarms at once, and after a rolled-back write the answer is the row's, not the undone fold's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EscalationView } from '../../../src-shared/escalation.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { statementsRunDuring } from '../../support/statement-reads.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { foldIncident } from '../../../src-shared/incident-fold.ts';
import { offlineBacklog } from '../../bench/sync/offline-events.ts';

const open: TestConsole[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  cleanupTestConsoles();
});

/** Every statement run that reads the incidents table (or what `table` matches), by its SQL, while `fn` runs. */
const incidentReadsDuring = (fn: () => Promise<void>, table = /\bFROM incidents i?\b/) =>
  statementsRunDuring((sql) => table.test(sql), fn);

function rowOf(c: TestConsole, id: string): Incident {
  const row = c.core.store.db.prepare<[string], { doc: string }>('SELECT doc FROM incidents WHERE id = ?').get(id);
  return JSON.parse(row!.doc) as Incident;
}

describe('a command answers with the incident it committed', () => {
  it('answers create, note and status from memory, each answer equal to the stored row, and alarms a new threat without reading the row', async () => {
    const c = openTestConsole();
    open.push(c);
    await enrolStandardRoster(c);
    let created!: Incident;
    let noted!: Incident;
    let resolved!: Incident;
    const reads = await incidentReadsDuring(async () => {
      created = await c.call<Incident>('incidents.create', incidentInput());
      noted = await c.call<Incident>('incidents.addNote', { id: created.id, text: 'Kallade förstärkning.' });
      resolved = await c.call<Incident>('incidents.setStatus', { id: created.id, to: 'resolved' });
    });
    // The runner's batch pre-read for the escalation it started and the status it set stays.
    expect(reads.filter((sql) => /WHERE id = \?/.test(sql))).toEqual([]);
    expect(resolved).toEqual(rowOf(c, created.id));
    expect(resolved.status).toBe('resolved');
    expect(noted.notes.map((n) => n.text)).toEqual(['Kallade förstärkning.']);
    // The runner checked the new threat (default policies) from the same memory: it alarmed.
    const { items } = await c.call<{ items: EscalationView[] }>('escalation.list', {});
    expect(items.map((e) => e.incidentId)).toEqual([created.id]);
  });

  it('checks an incident no policy matches without counting its escalations, and still alarms a threat (16u)', async () => {
    const c = openTestConsole();
    open.push(c);
    await enrolStandardRoster(c);
    let quiet!: Incident;
    const quietReads = await incidentReadsDuring(async () => {
      quiet = await c.call<Incident>('incidents.create', incidentInput({ category: 'technical', severity: 'low' }));
    }, /\bFROM escalations\b/);
    expect(quietReads).toEqual([]);
    const threat = await c.call<Incident>('incidents.create', incidentInput());
    const { items } = await c.call<{ items: EscalationView[] }>('escalation.list', {});
    expect(items.map((e) => e.incidentId)).toEqual([threat.id]);
    expect(rowOf(c, quiet.id).status).toBe('open');
    // Closing the threat still finds its escalation to resolve (the count, read when it matters).
    await c.call('incidents.setStatus', { id: threat.id, to: 'resolved' });
    const after = await c.call<{ items: EscalationView[] }>('escalation.list', {});
    expect(after.items.map((e) => e.status)).toEqual(['resolved']);
  });

  it('tells the sync status nothing is vouched for without a statement while no peer has vouched (16u)', async () => {
    const c = openTestConsole();
    open.push(c);
    await enrolStandardRoster(c);
    const reads = await incidentReadsDuring(async () => {
      await c.call<Incident>('incidents.create', incidentInput({ category: 'technical', severity: 'low' }));
      expect(c.core.sync.status().pending).toBeGreaterThan(0);
    }, /\bmesh_vouched\b/);
    expect(reads).toEqual([]);
  });

  it('stores a new incident without looking up its fresh stream or event id, and folds it whole (16u)', async () => {
    const c = openTestConsole();
    open.push(c);
    await enrolStandardRoster(c);
    let created!: Incident;
    const reads = await incidentReadsDuring(async () => {
      created = await c.call<Incident>('incidents.create', incidentInput({ category: 'technical', severity: 'low' }));
    }, /FROM events WHERE (stream_id|id) = \?$/);
    expect(reads).toEqual([]);
    expect(created).toEqual(rowOf(c, created.id));
    // The next command on it continues the stream from what the create kept.
    const noted = await c.call<Incident>('incidents.addNote', { id: created.id, text: 'Tekniker kallad.' });
    expect(noted.notes.map((n) => n.text)).toEqual(['Tekniker kallad.']);
    expect(noted).toEqual(rowOf(c, created.id));
    // A client-chosen id (a retried submit) is looked up, and answered as the same incident.
    const id = '019ab000-0000-7000-8000-00000000c0de';
    const first = await c.call<Incident>(
      'incidents.create',
      incidentInput({ id, category: 'medical', severity: 'low' }),
    );
    const again = await c.call<Incident>(
      'incidents.create',
      incidentInput({ id, category: 'medical', severity: 'low' }),
    );
    expect(again).toEqual(first);
    expect(c.core.store.streamEvents(id)).toHaveLength(1);
  });

  it('never changes an answer already given when a later command changes the incident', async () => {
    const c = openTestConsole();
    open.push(c);
    await enrolStandardRoster(c);
    const created = await c.call<Incident>('incidents.create', incidentInput());
    const given = structuredClone(created);
    await c.call('incidents.addNote', { id: created.id, text: 'Första noteringen.' });
    await c.call('incidents.update', { id: created.id, patch: { title: 'Ny rubrik' } });
    expect(created).toEqual(given);
    expect(rowOf(c, created.id).title).toBe('Ny rubrik');
  });

  it('answers with the row after a write that rolled back, not with what the undone fold left in memory', async () => {
    const c = openTestConsole();
    open.push(c);
    await enrolStandardRoster(c);
    const created = await c.call<Incident>('incidents.create', incidentInput());
    await c.call('incidents.addNote', { id: created.id, text: 'Kvar.' });
    // A note appended inside a transaction the store did not open, which then rolls back:
    // the projector folded it onto the incident it holds, and SQLite undid the row's write.
    const { store } = c.core;
    const [template] = store.streamEvents(created.id).filter((e) => e.type === 'incident.note_added');
    expect(() =>
      store.db.transaction(() => {
        store.append([
          {
            id: '0192a0c0-0000-7000-8000-0000000000ff',
            streamId: created.id,
            type: 'incident.note_added',
            payload: { noteId: '0192a0c0-0000-7000-8000-0000000000fe', text: 'Ångrad.' },
            actor: template!.actor,
            deviceId: template!.deviceId,
            deviceTime: template!.deviceTime + 1,
            hlc: encodeHlc({ wallMs: Date.now() + 60_000, counter: 0, node: template!.deviceId }),
          },
        ]);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    const { incident } = await c.call<{ incident: Incident }>('incidents.get', { id: created.id });
    expect(incident.notes.map((n) => n.text)).toEqual(['Kvar.']);
    expect(incident).toEqual(rowOf(c, created.id));
    const again = await c.call<Incident>('incidents.setStatus', { id: created.id, to: 'resolved' });
    expect(again.notes.map((n) => n.text)).toEqual(['Kvar.']);
    expect(again).toEqual(rowOf(c, created.id));
  });
});

describe('an incident no one was handed, folded onto in place', () => {
  it('stays as its row holds it when the write of a received event fails, and later events fold onto the row', () => {
    const c = openTestConsole();
    open.push(c);
    const { store } = c.core;
    // A peer's incident of no escalation policy (the runner is handed nothing): its creation,
    // a note, a status change and a second note, received one append at a time.
    const { events } = offlineBacklog({
      count: 8,
      deviceId: '01939b00-0000-7000-8000-00000000b0b0',
      facility: 'Märsta',
      unit: 'Avdelning B',
      actor: 'v1234',
      startMs: Date.now() - 10_000,
    });
    const id = events.filter((e) => e.type === 'incident.created')[1]!.streamId;
    const [created, lost, status, kept] = events.filter((e) => e.streamId === id);
    store.append([created!], { received: true });
    // The row's write fails (as a full disk would): the append rolls back after the fold ran.
    store.db.exec(`CREATE TEMP TRIGGER refuse BEFORE UPDATE ON incidents BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    expect(() => store.append([lost!], { received: true })).toThrow('disk full');
    store.db.exec('DROP TRIGGER refuse');
    expect(rowOf(c, id).notes).toEqual([]);
    store.append([status!, kept!], { received: true });
    const row = rowOf(c, id);
    expect(row.notes.map((n) => n.text)).toEqual([(kept!.payload as { text: string }).text]);
    expect(row).toEqual(foldIncident(store.streamEvents(id)));
  });
});
