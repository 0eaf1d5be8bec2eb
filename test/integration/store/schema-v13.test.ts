/**
 * Migration 13 (issue 16) replaces the outbox index (`events_outbox`) by a low-water mark:
 * every event below `sync.outbox_from` is synced or quarantined. A console upgraded with a
 * half-pushed outbox and a quarantined event must push exactly what it pushed before, count
 * it the same, take back a released event, and read the outbox as a range of the log.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { OUTBOX_FROM_META, openEventStore, type EventStore } from '../../../src-main/core/store/event-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src-main/core/store/migrations.ts';
import { createSyncSettings } from '../../../src-main/core/sync/settings.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { authoredNote } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => {
  vi.restoreAllMocks();
  dir.cleanup();
});

let n = 0;
function event(deviceId = 'dev-a'): EventEnvelope {
  n += 1;
  return authoredNote(n, 1_000 + n, deviceId);
}

const ids = (events: readonly { id: string }[]) => events.map((e) => e.id);
const mark = (store: EventStore) =>
  Number(store.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(OUTBOX_FROM_META));

describe('schema 13: the outbox as a low-water mark', () => {
  it('an upgraded console pushes, counts and takes back exactly what it did with the index', () => {
    const file = join(dir.path, 'upgrade.sqlite');
    const old = openEventStore(
      file,
      MIGRATIONS.filter((m) => m.version <= 12),
    );
    const e = Array.from({ length: 6 }, () => event());
    const seqs = old.append(e).stored.map((x) => x.seq);
    // Pushed: 1, 2 and (out of order, e.g. a peer's ack path) 5. Quarantined: 3.
    old.markSynced(
      [1, 2, 5].map((i) => ({ id: e[i - 1]!.id, serverSeq: 100 + i })),
      5_000,
    );
    createSyncSettings(old).quarantine(e[2]!.id, 'invalid', null, 'refused', 6_000);
    expect(ids(old.outbox(10))).toEqual(ids([e[3]!, e[5]!]));
    old.close();

    const prepared: string[] = [];
    const prepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
      prepared.push(sql);
      return prepare.call(this, sql);
    } as typeof prepare);
    const store = openEventStore(file);
    vi.restoreAllMocks();
    const settings = createSyncSettings(store);
    try {
      expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(store.db.prepare("SELECT name FROM sqlite_schema WHERE name = 'events_outbox'").get()).toBeUndefined();
      // Below 4 every event is synced or quarantined.
      expect(mark(store)).toBe(seqs[3]);
      expect(ids(store.outbox(10))).toEqual(ids([e[3]!, e[5]!]));
      expect(store.outboxCount()).toBe(2);

      // A new command's event is pending at once.
      const [fresh] = store.append([event()]).stored;
      expect(ids(store.outbox(10))).toEqual(ids([e[3]!, e[5]!, fresh!]));
      expect(store.outboxCount()).toBe(3);
      // An event received already synced (from the tracker) is never pushed.
      const pulled = event('dev-b');
      store.append([pulled], {
        received: true,
        synced: { serverSeqById: new Map([[pulled.id, 300]]), syncedAt: 7_000 },
      });
      expect(store.outboxCount()).toBe(3);

      // The push acks 4 and 6: the mark moves past the synced 5 to the fresh event.
      store.markSynced(
        [e[3]!, e[5]!].map((x, i) => ({ id: x.id, serverSeq: 200 + i })),
        8_000,
      );
      expect(mark(store)).toBe(fresh!.seq);
      expect(ids(store.outbox(10))).toEqual([fresh!.id]);
      // The last pending one acked: the mark is the next seq, and the next event is pending.
      store.markSynced([{ id: fresh!.id, serverSeq: 210 }], 9_000);
      expect(store.outboxCount()).toBe(0);
      expect(store.outbox(10)).toEqual([]);
      const [next] = store.append([event()]).stored;
      expect(mark(store)).toBe(next!.seq);
      expect(ids(store.outbox(10))).toEqual([next!.id]);

      // Releasing the quarantined event puts it back, oldest first, though the mark had passed it.
      settings.release(e[2]!.id);
      expect(ids(store.outbox(10))).toEqual([e[2]!.id, next!.id]);
      expect(store.outboxCount()).toBe(2);
      // In flight after the released one: the next batch starts after it.
      expect(ids(store.outbox(10, store.getEvent(e[2]!.id)!.seq))).toEqual([next!.id]);
      // A cleared synced mark (no code does it today) makes the event pending again too.
      store.db.prepare('UPDATE events SET synced_at = NULL, server_seq = NULL WHERE id = ?').run(e[0]!.id);
      expect(ids(store.outbox(10))).toEqual([e[0]!.id, e[2]!.id, next!.id]);

      // Every statement that reads the outbox through the mark walks a range of the rowid.
      const outboxSql = prepared.filter((sql) => sql.includes(OUTBOX_FROM_META) && sql.startsWith('SELECT'));
      expect(outboxSql.length).toBeGreaterThanOrEqual(2);
      for (const sql of outboxSql) {
        const plan = (
          store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(sql.split('?').length - 1).fill(0)) as {
            detail: string;
          }[]
        ).map((r) => r.detail);
        expect(plan[0], sql).toMatch(/^SEARCH events USING INTEGER PRIMARY KEY \(rowid>\?/);
      }
    } finally {
      store.close();
    }
  });
});
