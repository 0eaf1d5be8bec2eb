/**
 * Issue 16 took the search index and the clock's high-water mark out of the command's
 * transaction (they are written just after the commit, and caught up at start-up), and
 * numbers this console's events from a cached feed head instead of a max() per command.
 * These tests hold them to what a user relies on: a search finds every incident the
 * console said was saved, also after a kill -9 between the commit and the index; the
 * clock never resumes behind the log; and the feed stays gap-free 1, 2, 3… whatever rolls back.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createConsoleCore } from '../../../src-main/core/console-core.ts';
import {
  DEFERRED_DELAY_MS,
  DEFERRED_SLICE,
  openEventStore,
  type EventSigner,
} from '../../../src-main/core/store/event-store.ts';
import { MIGRATIONS } from '../../../src-main/core/store/migrations.ts';
import { incidentProjector, searchProjector } from '../../../src-main/core/incidents/projection.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import type { IncidentSummary } from '../../../src-shared/api.ts';
import { signIn } from '../../support/staff.ts';
import { authoredNote, incidentInput } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

async function writeThenKill(dataFile: string, count: number): Promise<{ id: string; title: string }[]> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'fixtures/kill-before-index.ts'), dataFile, String(count)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const acked: { id: string; title: string }[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const [, id, ...title] = line.split(' ');
    acked.push({ id: id!, title: title.join(' ') });
  }
  expect(await exited, stderr).toBe('SIGKILL');
  return acked;
}

const count = (file: string, sql: string) => {
  const raw = new Database(file, { readonly: true });
  try {
    return (raw.prepare(sql).get() as { n: number }).n;
  } finally {
    raw.close();
  }
};

describe('after the commit: search index, clock mark, feed head', () => {
  it('a search finds every saved incident after a kill -9 between the commit and the search index', async () => {
    const file = join(dir.path, 'killed.sqlite');
    const acked = await writeThenKill(file, 3);
    expect(acked).toHaveLength(3);
    // The condition happened: the last acknowledged incident is in the table, not in the index.
    const incidents = count(file, 'SELECT count(*) AS n FROM incidents');
    expect(incidents).toBe(3);
    expect(count(file, 'SELECT count(*) AS n FROM incidents_fts')).toBeLessThan(incidents);
    const logMaxHlc = (
      new Database(file, { readonly: true }).prepare('SELECT max(hlc) AS hlc FROM events').get() as { hlc: string }
    ).hlc;

    const core = createConsoleCore({
      dataFile: file,
      host: 'test',
      appVersion: 'test',
      facility: 'Märsta',
      unit: 'Avdelning B',
      pinParams: { N: 1024, r: 8, p: 1 },
      escalationPolicies: [],
    });
    try {
      // The clock resumes from the log's largest HLC, found without an index on hlc.
      expect(core.store.maxHlc()).toBe(logMaxHlc);
      await signIn(core.dispatch);
      for (const { id, title } of acked) {
        const found = await core.dispatch('incidents.list', { query: title, limit: 10, offset: 0 }, { origin: 'test' });
        const items = found.ok ? (found.value as { items: IncidentSummary[] }).items : [];
        expect(items.map((i) => i.id)).toEqual([id]);
      }
      // An incident created now is found by the very next search, before any turn of the event loop.
      const made = await core.dispatch('incidents.create', incidentInput({ title: 'Brandlarm tvättstuga' }), {
        origin: 'test',
      });
      expect(made.ok).toBe(true);
      const next = await core.dispatch(
        'incidents.list',
        { query: 'brandlarm', limit: 10, offset: 0 },
        { origin: 'test' },
      );
      expect(next.ok && (next.value as { total: number }).total).toBe(1);
      core.store.catchUpDeferred();
      expect(count(file, 'SELECT count(*) AS n FROM incidents_fts')).toBe(4);
      // The index's own commit skips its fsync; commands keep theirs.
      expect(core.store.db.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      core.close();
    }
  });

  it('an upgraded store keeps its log, index and clock mark (events rebuilt without AUTOINCREMENT); an archived incident leaves search', () => {
    const file = join(dir.path, 'upgrade.sqlite');
    const old = openEventStore(
      file,
      MIGRATIONS.filter((m) => m.version <= 7),
    );
    old.registerProjector(incidentProjector);
    const id = '019ab000-0000-7000-8000-00000000cccc';
    const hlc = (ms: number) => encodeHlc({ wallMs: ms, counter: 0, node: 'dev-a' });
    const envelope = (n: number, type: EventEnvelope['type'], payload: unknown, at: string): EventEnvelope =>
      ({
        id: `019ab000-0000-7000-8000-${String(n).padStart(12, '0')}`,
        streamId: id,
        type,
        payload,
        actor: 'V1',
        deviceId: 'dev-a',
        deviceTime: n,
        hlc: at,
      }) as EventEnvelope;
    // A received event far ahead of the later ones: the max is not the last event's HLC.
    old.append([envelope(1, 'incident.created', incidentInput({ title: 'Hot i väntrummet' }), hlc(9_000_000))]);
    old.append([envelope(2, 'incident.note_added', { noteId: id, text: 'lugnt nu' }, hlc(1_000))]);
    // Schema 7 wrote the search row inside the command's transaction: the same rows here.
    old.transaction(() => searchProjector.catchUp(old.db, [id]));
    // A quarantined event: its row references the event, through the rebuild of the events table.
    old.db
      .prepare('INSERT INTO sync_quarantine (event_id, code, message, quarantined_at) VALUES (?, ?, ?, ?)')
      .run(envelope(2, 'incident.note_added', {}, '').id, 'invalid', 'test', 1);
    const seqsBefore = old.db.prepare('SELECT seq, id, hash FROM events ORDER BY seq').all();
    old.close();

    const store = openEventStore(file);
    store.registerProjector(incidentProjector);
    store.registerDeferredProjector(searchProjector);
    try {
      expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'events_by_hlc'").get()).toBeUndefined();
      // The events table was rebuilt without AUTOINCREMENT: same rows and seqs, same indexes and guards
      // (but events_outbox, which schema 13 replaced by a low-water mark: schema-v13.test.ts).
      const schema = (name: string) =>
        store.db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(name) as string | undefined;
      expect(schema('events')).not.toMatch(/AUTOINCREMENT/i);
      for (const kept of ['events_by_stream', 'events_by_author', 'events_no_delete', 'events_no_rewrite'])
        expect(schema(kept), kept).toBeDefined();
      expect(store.db.prepare('SELECT seq, id, hash FROM events ORDER BY seq').all()).toEqual(seqsBefore);
      expect(store.verifyChain()).toMatchObject({ ok: true, checked: 2 });
      expect(() => store.db.prepare('DELETE FROM events').run()).toThrow('append-only');
      expect(store.db.pragma('foreign_key_check')).toEqual([]);
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.maxHlc()).toBe(hlc(9_000_000));
      const match = (q: string) =>
        store.db.prepare('SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?').all(q);
      expect(match('vantrummet')).toHaveLength(1);
      const archived = store.append([envelope(3, 'incident.archived', { reason: 'retention' }, hlc(2_000))]);
      // The next seq follows the last; no sqlite_sequence row is written for it any more.
      expect(archived.stored[0]!.seq).toBe(3);
      expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_sequence WHERE name = 'events'").get()).toEqual({
        n: 0,
      });
      store.catchUpDeferred();
      expect(match('vantrummet')).toHaveLength(0);
      expect(store.db.prepare('SELECT count(*) AS n FROM incidents_fts').get()).toEqual({ n: 0 });
    } finally {
      store.close();
    }
  });

  it('indexes commands in a row once they pause, restarting one timer rather than setting one per commit (16u)', async () => {
    const store = openEventStore(join(dir.path, 'row.sqlite'));
    store.registerProjector(incidentProjector);
    store.registerDeferredProjector(searchProjector);
    const set = vi.spyOn(globalThis, 'setTimeout');
    try {
      for (let i = 0; i < 20; i++) {
        store.append([
          {
            id: `019ab000-0000-7000-8003-${String(i).padStart(12, '0')}`,
            streamId: `019ab000-0000-7000-8004-${String(i).padStart(12, '0')}`,
            type: 'incident.created',
            payload: incidentInput({ title: `Rad ${i}` }),
            actor: 'V1',
            deviceId: 'dev-c',
            deviceTime: i,
            hlc: encodeHlc({ wallMs: 9_000 + i, counter: 0, node: 'dev-c' }),
          } as EventEnvelope,
        ]);
      }
      // The delay as set: one timer for the row (the first commit's), restarted by the others.
      const deferredTimers = set.mock.calls.filter(([, ms]) => Math.abs((ms ?? 0) - DEFERRED_DELAY_MS) < 1);
      expect(deferredTimers).toHaveLength(1);
      set.mockRestore();
      const n = () =>
        (
          store.db.prepare("SELECT count(*) AS n FROM incidents_fts WHERE incidents_fts MATCH 'rad'").get() as {
            n: number;
          }
        ).n;
      expect(n()).toBe(0);
      // Caught up by the timer itself once the row pauses (no read asked for it).
      await expect.poll(n, { timeout: 5_000, interval: 50 }).toBe(20);
    } finally {
      set.mockRestore();
      store.close();
    }
  });

  it('catches a long backlog up in slices, and the next search finds all of it', () => {
    const file = join(dir.path, 'backlog.sqlite');
    const store = openEventStore(file);
    store.registerProjector(incidentProjector);
    const total = DEFERRED_SLICE * 2 + 7;
    // One transaction, as a large pull from the tracker stores it; nothing indexed yet.
    store.transaction(() => {
      for (let i = 0; i < total; i++) {
        store.append([
          {
            id: `019ab000-0000-7000-8001-${String(i).padStart(12, '0')}`,
            streamId: `019ab000-0000-7000-8002-${String(i).padStart(12, '0')}`,
            type: 'incident.created',
            payload: incidentInput({ title: `Larm ${i}` }),
            actor: 'V1',
            deviceId: 'dev-b',
            deviceTime: i,
            hlc: encodeHlc({ wallMs: 5_000 + i, counter: 0, node: 'dev-b' }),
          } as EventEnvelope,
        ]);
      }
    });
    try {
      store.registerDeferredProjector(searchProjector);
      store.catchUpDeferred();
      const n = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
      expect(n("SELECT count(*) AS n FROM incidents_fts WHERE incidents_fts MATCH 'larm'")).toBe(total);
      expect(store.getMeta('derived.through_seq')).toBe(String(n('SELECT max(seq) AS n FROM events')));
    } finally {
      store.close();
    }
  });

  it('finds a note added far down a backlog on an incident created near its start, once the backlog is caught up', () => {
    const file = join(dir.path, 'spread.sqlite');
    const store = openEventStore(file);
    store.registerProjector(incidentProjector);
    const incidents = DEFERRED_SLICE * 2 + 7;
    const id = (kind: number, i: number) => `019ab000-0000-7000-800${kind}-${String(i).padStart(12, '0')}`;
    const at = (ms: number, kind: number, i: number, type: EventEnvelope['type'], payload: unknown) =>
      ({
        id: id(kind, i),
        streamId: id(2, i),
        type,
        payload,
        actor: 'V1',
        deviceId: 'dev-b',
        deviceTime: ms,
        hlc: encodeHlc({ wallMs: ms, counter: 0, node: 'dev-b' }),
      }) as EventEnvelope;
    // Every incident first, then a note on each: each stream's events are a whole slice apart.
    store.transaction(() => {
      for (let i = 0; i < incidents; i++)
        store.append([at(5_000 + i, 1, i, 'incident.created', incidentInput({ title: `Larm ${i}` }))]);
      for (let i = 0; i < incidents; i++)
        store.append([
          at(9_000 + i, 3, i, 'incident.note_added', { noteId: id(4, i), text: `Uppföljning nummer${i}` }),
        ]);
    });
    try {
      store.registerDeferredProjector(searchProjector);
      store.catchUpDeferred();
      const n = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
      expect(n("SELECT count(*) AS n FROM incidents_fts WHERE incidents_fts MATCH 'uppföljning'")).toBe(incidents);
      expect(n("SELECT count(*) AS n FROM incidents_fts WHERE incidents_fts MATCH 'larm'")).toBe(incidents);
      expect(store.getMeta('derived.through_seq')).toBe(String(n('SELECT max(seq) AS n FROM events')));
    } finally {
      store.close();
    }
  });

  it('keeps numbering from memory across a store transaction of several appends, and drops what a savepoint undid (16u)', () => {
    const store = openEventStore(join(dir.path, 'feed-tx.sqlite'));
    const signer: EventSigner = { deviceId: 'dev-t', signCanonical: () => 'T'.repeat(86) };
    store.useSigner(signer);
    let n = 300;
    const authored = (): EventEnvelope => {
      n += 1;
      return { ...authoredNote(n, n), deviceId: 'dev-t' };
    };
    const seqOf = (r: ReturnType<typeof store.append>) => r.stored.map((e) => e.deviceSeq);
    const headReads = vi.spyOn(Object.getPrototypeOf(store.db.prepare('SELECT 1')) as { get: () => unknown }, 'get');
    const readsOfHead = () =>
      headReads.mock.contexts.filter((st) => /ORDER BY device_seq DESC LIMIT 1/.test((st as { source: string }).source))
        .length;
    try {
      expect(seqOf(store.append([authored()]))).toEqual([1]);
      const before = readsOfHead();
      // A command's incident and its escalation start in one transaction (a threat's create).
      store.transaction(() => {
        expect(seqOf(store.append([authored()]))).toEqual([2]);
        // A step that fails inside it rolls back to its savepoint: its number is not used.
        expect(() =>
          store.transaction(() => {
            expect(seqOf(store.append([authored()]))).toEqual([3]);
            throw new Error('step failed');
          }),
        ).toThrow('step failed');
        expect(seqOf(store.append([authored(), authored()]))).toEqual([3, 4]);
      });
      expect(seqOf(store.append([authored()]))).toEqual([5]);
      // The head was read only after the savepoint's rollback dropped it (to number the next
      // append, and to keep it after that append), not again for the appends after the commit.
      expect(readsOfHead() - before).toBe(2);
      expect(store.authorHead('dev-t')).toBe(5);
    } finally {
      headReads.mockRestore();
      store.close();
    }
  });

  it("numbers this console's events 1, 2, 3… without gaps, whatever rolls back or arrives", () => {
    const store = openEventStore(join(dir.path, 'feed.sqlite'));
    const signer: EventSigner = { deviceId: 'dev-a', signCanonical: () => 'A'.repeat(86) };
    store.useSigner(signer);
    let n = 100;
    const authored = (): EventEnvelope => {
      n += 1;
      return authoredNote(n, n);
    };
    const seqOf = (r: ReturnType<typeof store.append>) => r.stored.map((e) => e.deviceSeq);
    try {
      expect(seqOf(store.append([authored(), authored()]))).toEqual([1, 2]);
      // Rolled back by the enclosing transaction: number 3 was never committed, so it is reused.
      expect(() =>
        store.transaction(() => {
          expect(seqOf(store.append([authored()]))).toEqual([3]);
          throw new Error('changed my mind');
        }),
      ).toThrow('changed my mind');
      expect(seqOf(store.append([authored()]))).toEqual([3]);
      // This device's own later events coming back (a restore from the tracker): numbering continues after them.
      const restored = { ...authored(), deviceSeq: 7, sig: 'B'.repeat(86) };
      store.append([restored], { received: true });
      expect(seqOf(store.append([authored()]))).toEqual([8]);
      // A failing append leaves no number behind.
      store.registerProjector({
        name: 'fails',
        handles: () => true,
        project: () => {
          throw new Error('projection failed');
        },
      });
      expect(() => store.append([authored()])).toThrow('projection failed');
      expect(store.authorHead('dev-a')).toBe(8);
    } finally {
      store.close();
    }
    const reopened = openEventStore(join(dir.path, 'feed.sqlite'));
    reopened.useSigner(signer);
    try {
      expect(seqOf(reopened.append([authored()]))).toEqual([9]);
    } finally {
      reopened.close();
    }
  });
});
