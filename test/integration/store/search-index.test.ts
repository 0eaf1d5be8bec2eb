/**
 * The search index is written by SQLite from the incident rows' documents (the deferred
 * catch-up, searchProjector): each field a guard can search by must be found, every person
 * and every note, and a changed field must stop matching what it said before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src-shared/incident.ts';
import type { IncidentSummary } from '../../../src-shared/api.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';

let c: TestConsole;

afterEach(async () => {
  await c.close();
  cleanupTestConsoles();
});

const search = async (query: string) =>
  (await c.call<{ items: IncidentSummary[] }>('incidents.list', { query })).items.map((i) => i.title);

describe('incident search index', () => {
  it('finds an incident by its title, description, each person, location and each note, and forgets replaced words', async () => {
    c = openTestConsole();
    await enrolStandardRoster(c);
    await c.signIn('G1');
    const threat = await c.call<Incident>(
      'incidents.create',
      incidentInput({
        title: 'Hot vid matsalen',
        description: 'Intagen kastade en bricka mot personal.',
        peopleInvolved: ['Anna Östberg', 'Bertil Lind'],
        location: 'Matsal 2',
      }),
    );
    await c.call(
      'incidents.create',
      incidentInput({ title: 'Brandlarm', description: '', peopleInvolved: [], location: 'Tvättstugan' }),
    );
    await c.call('incidents.addNote', { id: threat.id, text: 'Samtal med sjukvården.' });
    await c.call('incidents.addNote', { id: threat.id, text: 'Uppföljning med kriminalvårdsinspektör\nklar.' });
    for (const word of [
      'matsalen',
      'bricka',
      'Östberg',
      'ostberg',
      'Lind',
      'Matsal',
      'sjukvården',
      'kriminalvård',
      'klar',
    ])
      expect(await search(word)).toEqual(['Hot vid matsalen']);
    expect(await search('brandlarm')).toEqual(['Brandlarm']);

    await c.call('incidents.update', {
      id: threat.id,
      patch: { title: 'Hot i korridoren', peopleInvolved: ['Cecilia Ek'], location: 'Korridor 4' },
    });
    expect(await search('korridoren')).toEqual(['Hot i korridoren']);
    expect(await search('Cecilia')).toEqual(['Hot i korridoren']);
    expect(await search('Korridor')).toEqual(['Hot i korridoren']);
    for (const word of ['matsalen', 'Östberg', 'Lind', 'Matsal']) expect(await search(word)).toEqual([]);
    expect(await search('sjukvården')).toEqual(['Hot i korridoren']);
  });
});
