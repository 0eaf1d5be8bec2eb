/**
 * Migration 7 (issue 16) rebuilds the search index without its copy of the text and turns
 * the newest-first indexes ascending. A console upgraded with incidents on it must still
 * find each incident by its title, people, place and notes, and list newest first.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openEventStore } from '../../../src-main/core/store/event-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src-main/core/store/migrations.ts';
import { incidentProjector, searchProjector } from '../../../src-main/core/incidents/projection.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { incidentInput } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

let n = 0;
function envelope(streamId: string, type: EventEnvelope['type'], payload: unknown): EventEnvelope {
  n += 1;
  return {
    id: `019ab000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    streamId,
    type,
    payload,
    actor: 'V1',
    deviceId: 'dev-a',
    deviceTime: 1_000 + n,
    hlc: encodeHlc({ wallMs: 1_000 + n, counter: 0, node: 'dev-a' }),
  } as EventEnvelope;
}

const matches = (store: ReturnType<typeof openEventStore>, q: string) =>
  (store.db.prepare('SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?').all(q) as { rowid: number }[]).map(
    (r) => r.rowid,
  );

describe('schema 7: contentless search, ascending recency indexes', () => {
  it('an upgraded console still finds its incidents by title, people, place and notes', () => {
    const file = join(dir.path, 'upgrade.sqlite');
    const old = openEventStore(
      file,
      MIGRATIONS.filter((m) => m.version <= 6),
    );
    old.registerProjector(incidentProjector);
    const a = '019ab000-0000-7000-8000-00000000aaaa';
    const b = '019ab000-0000-7000-8000-00000000bbbb';
    old.append([
      envelope(
        a,
        'incident.created',
        incidentInput({ title: 'Brand i tvättstugan', peopleInvolved: ['Kalle Ek', 'Bo Al'] }),
      ),
      envelope(b, 'incident.created', incidentInput({ title: 'Hot vid porten', location: 'Grind 3' })),
    ]);
    old.append([
      envelope(a, 'incident.note_added', { noteId: '019ab000-0000-7000-8000-0000000000ff', text: 'rökdykare larmade' }),
    ]);
    old.close();

    const store = openEventStore(file);
    store.registerProjector(incidentProjector);
    store.registerDeferredProjector(searchProjector);
    const rowid = (id: string) =>
      (store.db.prepare('SELECT rowid FROM incidents WHERE id = ?').get(id) as { rowid: number }).rowid;
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(matches(store, 'tvattstugan')).toEqual([rowid(a)]);
    expect(matches(store, 'kalle')).toEqual([rowid(a)]);
    expect(matches(store, 'rokdykare')).toEqual([rowid(a)]);
    expect(matches(store, 'grind')).toEqual([rowid(b)]);
    // The text is no longer stored twice: the search index keeps no content table.
    expect(
      store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'incidents_fts_content'").get(),
    ).toBeUndefined();

    // A later edit replaces the search row: the old title is no longer found, the new one is.
    store.append([envelope(b, 'incident.updated', { patch: { title: 'Hot vid grinden' } })]);
    store.catchUpDeferred(); // the search index is written after the commit (schema 9), as a search does
    expect(matches(store, 'porten')).toEqual([]);
    expect(matches(store, 'grinden')).toEqual([rowid(b)]);

    // Newest first, walking the ascending index backwards (no sort of all rows). Schema 12
    // dropped incidents_recent; the list walks incidents_status (schema-v12.test.ts).
    const plan = (
      store.db
        .prepare("EXPLAIN QUERY PLAN SELECT id FROM incidents WHERE status = 'open' ORDER BY created_hlc DESC LIMIT 50")
        .all() as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan.join(' ')).not.toMatch(/TEMP B-TREE/);
    expect(
      (store.db.prepare('SELECT id FROM incidents ORDER BY created_hlc DESC').all() as { id: string }[]).map(
        (r) => r.id,
      ),
    ).toEqual([b, a]);
    store.close();
  });
});
