import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { insertEvents, type EventInsert } from '../../../src-tracker/events/insert-events.ts';
import { enrolInStore } from '../../support/tracker-device.ts';
import { tempDir } from '../../support/temp.ts';

const FACILITY = 'Kumla';
let dir: ReturnType<typeof tempDir>;
let store: TrackerDb;
let pushedBy: string;

beforeEach(async () => {
  dir = tempDir('guardline-insert-events-');
  store = await openTrackerDb({ kind: 'sqlite', file: join(dir.path, 'tracker.sqlite') });
  pushedBy = (await enrolInStore(store, FACILITY, 'ws-insert', 'test')).device.id;
});

afterEach(async () => {
  await store.close();
  dir.cleanup();
});

function rows(from: number, count: number): EventInsert[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `0192a0c0-0000-7000-8000-${String(from + i).padStart(12, '0')}`,
    facility: FACILITY,
    stream_id: `stream-${(from + i) % 7}`,
    type: 'incident.note_added',
    payload: JSON.stringify({ text: `note ${from + i}` }),
    actor: 'V1',
    device_id: 'ws-insert',
    device_time: 1_764_100_000_000 + from + i,
    hlc: `${String(1_764_100_000_000 + from + i).padStart(15, '0')}-000000-ws-insert`,
    received_at: 1_764_100_000_000,
    pushed_by: pushedBy,
    device_seq: from + i + 1,
    sig: null,
    prev: null,
  }));
}

/** What the table holds for `ids`, id → seq, read apart from the code under test. */
async function storedSeqs(ids: readonly string[]): Promise<Map<string, number>> {
  const found = await store.db.selectFrom('events').select(['id', 'server_seq']).where('id', 'in', ids).execute();
  return new Map(found.map((r) => [r.id, Number(r.server_seq)]));
}

const insert = (batch: EventInsert[]) =>
  store.db
    .transaction()
    .execute(async (trx) =>
      (await insertEvents(trx, 'sqlite', batch)).map((r) => ({ id: r.id, seq: Number(r.server_seq) })),
    );

describe('the push INSERT on SQLite', () => {
  it('answers every row of a fresh batch with the seq it was stored under, in the batch order, reading none back', async () => {
    // The statements the push runs, by their text (better-sqlite3's Statement, under the tracker's statement cache).
    const probe = new Database(':memory:');
    const statements = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { all(...args: unknown[]): unknown[] };
    probe.close();
    const reads = vi.spyOn(statements, 'all');
    await insert(rows(0, 3));
    const batch = rows(3, 1000);
    const answered = await insert(batch);
    // Its seqs come from the statement's last rowid (round 16ab), not from reading the new rows' range back.
    const readBacks = reads.mock.contexts
      .map((statement) => (statement as { source: string }).source)
      .filter((text) => /where "server_seq" > \?/.test(text));
    reads.mockRestore();
    expect(readBacks).toEqual([]);
    const stored = await storedSeqs(batch.map((r) => r.id as string));
    expect(answered.map((r) => r.id)).toEqual(batch.map((r) => r.id));
    expect(answered.map((r) => r.seq)).toEqual(batch.map((r) => stored.get(r.id as string)));
  });

  it('answers only the rows it stored when some ids were stored before', async () => {
    await insert(rows(0, 10));
    const batch = [...rows(5, 10), ...rows(20, 3)];
    const answered = await insert(batch);
    const fresh = batch.filter((r) => !rows(0, 10).some((old) => old.id === r.id));
    const stored = await storedSeqs(fresh.map((r) => r.id as string));
    expect(answered).toEqual(fresh.map((r) => ({ id: r.id, seq: stored.get(r.id as string) })));
  });

  it('numbers a batch right after the newest rows were deleted (AUTOINCREMENT does not reuse their seqs)', async () => {
    await insert(rows(0, 20));
    await sql`DELETE FROM events WHERE server_seq > (SELECT max(server_seq) - 5 FROM events)`.execute(store.db);
    const batch = rows(100, 50);
    const answered = await insert(batch);
    const stored = await storedSeqs(batch.map((r) => r.id as string));
    expect(answered.map((r) => r.seq)).toEqual(batch.map((r) => stored.get(r.id as string)));
    expect(answered[0]!.seq).toBeGreaterThan(21);
  });
});
