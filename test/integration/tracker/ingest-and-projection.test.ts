/**
 * The tracker's write path on a real SQLite file: pushes that arrive together share
 * one commit yet each is stored whole or not at all, and HQ's projections, folded
 * after commits, still show every push answered before an HQ read, including events
 * a crashed tracker stored but never projected.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_PAYLOADS, type EventEnvelope } from '../../../src-shared/events.ts';
import { HqIncident } from '../../../src-shared/sync-wire.ts';
import { hashSecret } from '../../../src-tracker/auth/tokens.ts';
import { openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { createIngestor, OVERLAP_FROM, PushRefused } from '../../../src-tracker/events/ingestor.ts';
import type { PushRefusal } from '../../../src-tracker/events/verify-authors.ts';
import { checkPushBatch, type CheckedBatch } from '../../../src-tracker/events/validate-push.ts';
import type { AuthedDevice } from '../../../src-tracker/http/auth.ts';
import { TrackerFailure } from '../../../src-tracker/http/errors.ts';
import { buildTracker } from '../../../src-tracker/server.ts';
import { BACKSTOP_PAGES } from '../../../src-common/sqlite-checkpointer.ts';
import { createProjectorThread } from '../../../src-tracker/projections/projector-thread.ts';
import { enrolInStore } from '../../support/tracker-device.ts';
import { consoleEvents } from './http-client.ts';
import { rowToEnvelope } from '../../../src-tracker/events/event-rows.ts';
import { searchText } from '../../../src-tracker/projections/incidents.ts';
import { foldIncident } from '../../../src-shared/incident-fold.ts';
import { injectHqSignIn } from './hq-inject.ts';

const FACILITY = 'Hall';
const adminToken = `gla_test_${randomBytes(16).toString('hex')}`;

let dir: string;
let store: TrackerDb;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-ingest-'));
  store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function enrolled(deviceId: string): Promise<{ device: AuthedDevice; token: string }> {
  return enrolInStore(store, FACILITY, deviceId, 'test');
}

function checked(events: EventEnvelope[]): CheckedBatch {
  const check = checkPushBatch({ events }, { facility: FACILITY, now: Date.now(), maxFutureHlcMs: 3_600_000 });
  if (!check.ok) throw new Error(check.error.message);
  return check.batch;
}

/** Ids of events consoles pushed (the tracker's own `device.enrolled` records left out). */
async function storedIds(): Promise<string[]> {
  return (await store.db.selectFrom('events').select('id').where('type', '!=', 'device.enrolled').execute()).map(
    (r) => r.id,
  );
}

describe('pushes sharing one commit', () => {
  it('stores each push of a group whole: a replay with different content is refused with nothing of its push stored, the others commit', async () => {
    const { device } = await enrolled('ws-1');
    const ws = consoleEvents('ws-1');
    const ingestor = createIngestor(store);
    const original = ws.incidentCreated(FACILITY);
    await ingestor.ingest(device, checked([original]), Date.now());

    const a = [ws.incidentCreated(FACILITY), ws.incidentCreated(FACILITY)];
    const freshInB = ws.incidentCreated(FACILITY);
    const tampered = { ...original, payload: { ...(original.payload as object), title: 'Ändrad i efterhand' } };
    const c = [ws.incidentCreated(FACILITY)];
    // Submitted in one turn of the event loop, so they form one group.
    const outcomes = await Promise.allSettled([
      ingestor.ingest(device, checked(a), Date.now()),
      ingestor.ingest(device, checked([freshInB, tampered]), Date.now()),
      ingestor.ingest(device, checked(c), Date.now()),
    ]);

    const [okA, refusedB, okC] = outcomes;
    expect(okA.status === 'fulfilled' && okA.value.sharedCommit).toBe(3);
    expect(okA.status === 'fulfilled' && okA.value.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(okC.status === 'fulfilled' && okC.value.results.map((r) => r.status)).toEqual(['accepted']);
    expect(refusedB.status).toBe('rejected');
    const error = (refusedB as PromiseRejectedResult).reason as TrackerFailure;
    expect(error).toBeInstanceOf(TrackerFailure);
    expect(error.error).toMatchObject({ code: 'conflict', field: 'events.1.id' });

    const ids = await storedIds();
    expect(ids).not.toContain(freshInB.id);
    expect(ids.sort()).toEqual([original.id, ...a.map((e) => e.id), ...c.map((e) => e.id)].sort());
  });

  it('answers each event with the seq it is stored under, fresh and replayed events mixed in one statement, pushes of one commit after each other', async () => {
    const { device } = await enrolled('ws-1');
    const ws = consoleEvents('ws-1');
    const ingestor = createIngestor(store);
    const earlier = Array.from({ length: 6 }, (_, i) => ws.incidentCreated(FACILITY, { title: `Tidigare ${i}` }));
    await ingestor.ingest(device, checked(earlier), Date.now());
    const fresh = Array.from({ length: 5 }, (_, i) => ws.incidentCreated(FACILITY, { title: `Ny ${i}` }));
    // Replays first, last and between the fresh ones; a repeat within the batch; two pushes in one commit.
    const mixed = [earlier[0]!, fresh[0]!, fresh[1]!, earlier[3]!, fresh[2]!, fresh[0]!, earlier[5]!];
    const later = [fresh[3]!, earlier[1]!, fresh[4]!];
    const [first, second] = await Promise.all([
      ingestor.ingest(device, checked(mixed), Date.now()),
      ingestor.ingest(device, checked(later), Date.now()),
    ]);
    expect(first.sharedCommit).toBe(2);

    const seqOf = new Map(
      (await store.db.selectFrom('events').select(['id', 'server_seq']).execute()).map((r) => [
        r.id,
        Number(r.server_seq),
      ]),
    );
    const answered = [...first.results, ...second.results];
    for (const result of answered) expect(result.serverSeq).toBe(seqOf.get(result.id));
    expect(first.results.map((r) => r.status)).toEqual([
      'duplicate',
      'accepted',
      'accepted',
      'duplicate',
      'accepted',
      'duplicate',
      'duplicate',
    ]);
    expect(second.results.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'accepted']);
    expect(first.newHead).toBe(Math.max(...[fresh[0]!, fresh[1]!, fresh[2]!].map((e) => seqOf.get(e.id)!)));
    expect(second.newHead).toBe(Math.max(...seqOf.values()));
    expect(seqOf.size).toBe(1 + earlier.length + fresh.length); // the device record, then each event once
  });

  it('stores an event that two pushes of one group both carry once; the later push reports it as a duplicate with the same seq', async () => {
    const first = await enrolled('ws-1');
    const second = await enrolled('ws-2');
    const shared = consoleEvents('ws-1').incidentCreated(FACILITY);
    const ingestor = createIngestor(store);

    const [fromFirst, fromSecond] = await Promise.all([
      ingestor.ingest(first.device, checked([shared]), Date.now()),
      ingestor.ingest(second.device, checked([shared]), Date.now()),
    ]);

    expect(fromFirst.sharedCommit).toBe(2);
    expect(fromFirst.results[0]!.status).toBe('accepted');
    expect(fromSecond.results[0]).toEqual({ ...fromFirst.results[0], status: 'duplicate' });
    expect(await storedIds()).toEqual([shared.id]);
  });
});

describe('pushes verified while they are inserted', () => {
  it('answers no push before its signature check is in, and stores nothing of a push the check refuses after its rows went in', async () => {
    const { device } = await enrolled('ws-1');
    const ws = consoleEvents('ws-1');
    const ingestor = createIngestor(store);
    // Pushes large enough to be inserted while they are verified (a drain's).
    const refused = Array.from({ length: OVERLAP_FROM }, () => ws.incidentCreated(FACILITY));
    const accepted = Array.from({ length: OVERLAP_FROM }, () => ws.incidentCreated(FACILITY));
    const refusal: PushRefusal = {
      kind: 'author',
      eventId: refused[1]!.id,
      author: 'ws-1',
      error: { code: 'forbidden', message: 'events.1.sig: forged [bad_signature]', field: 'events.1.sig' },
    };
    const seen: string[] = [];
    // A verdict that is in only once the ingestor asks for it, i.e. after it inserted the push's rows.
    const verdictWhenAsked = (name: string, value: PushRefusal | null) =>
      ({
        then(resolve: (v: PushRefusal | null) => void) {
          seen.push(`${name}: verdict asked`);
          resolve(value);
        },
      }) as unknown as Promise<PushRefusal | null>;
    // Submitted in one turn of the event loop: one group, one transaction.
    const first = ingestor.ingest(device, checked(refused), Date.now(), verdictWhenAsked('refused', refusal));
    const second = ingestor.ingest(device, checked(accepted), Date.now(), verdictWhenAsked('accepted', null));
    first.catch(() => seen.push('refused: answered'));
    void second.then(() => seen.push('accepted: answered'));
    await expect(first).rejects.toBeInstanceOf(PushRefused);
    await expect(first).rejects.toMatchObject({ refusal });
    expect((await second).results.every((r) => r.status === 'accepted')).toBe(true);
    expect(seen.slice(0, 2)).toEqual(['refused: verdict asked', 'accepted: verdict asked']);
    expect(seen.slice(2).sort()).toEqual(['accepted: answered', 'refused: answered']);
    expect((await storedIds()).sort()).toEqual(accepted.map((e) => e.id).sort());
  });

  it('checks a small push before it joins a commit, so no transaction waits on its verdict', async () => {
    const { device } = await enrolled('ws-1');
    const ws = consoleEvents('ws-1');
    const ingestor = createIngestor(store);
    const small = [ws.incidentCreated(FACILITY)];
    const refusal: PushRefusal = {
      kind: 'author',
      eventId: small[0]!.id,
      author: 'ws-1',
      error: { code: 'forbidden', message: 'events.0.sig: forged [bad_signature]', field: 'events.0.sig' },
    };
    let refuse!: (refusal: PushRefusal) => void;
    const refused = ingestor.ingest(device, checked(small), Date.now(), new Promise((resolve) => (refuse = resolve)));
    // A push behind it commits while its verdict is still out.
    const other = [ws.incidentCreated(FACILITY)];
    expect((await ingestor.ingest(device, checked(other), Date.now())).sharedCommit).toBe(1);
    refuse(refusal);
    await expect(refused).rejects.toBeInstanceOf(PushRefused);
    expect(await storedIds()).toEqual(other.map((e) => e.id));
  });
});

describe('HQ projections folded after commits', () => {
  it.each(['thread', 'inline'] as const)(
    'shows a pushed incident to an HQ read sent right after the push was answered (projector: %s)',
    async (projector) => {
      const { token } = await enrolled('ws-1');
      const app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken), projector });
      try {
        const ws = consoleEvents('ws-1');
        const created = ws.incidentCreated(FACILITY, { title: 'Larm i korridor C' });
        const pushed = await app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: { authorization: `Bearer ${token}` },
          payload: { events: [created, ws.statusChanged(created.streamId, 'open', 'acknowledged')] },
        });
        expect(pushed.statusCode).toBe(200);

        const hq = await app.inject({ url: '/v1/hq/incidents', headers: await injectHqSignIn(app, adminToken) });
        const incidents = HqIncident.array().parse(hq.json<{ incidents: unknown }>().incidents);
        expect(incidents).toMatchObject([{ id: created.streamId, title: 'Larm i korridor C', status: 'acknowledged' }]);
      } finally {
        await app.close();
      }
    },
  );

  it('holds, for every incident, what a full fold of all its stored events gives (the projector reads only the columns folds use)', async () => {
    const { token } = await enrolled('ws-1');
    const app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken) });
    try {
      const ws = consoleEvents('ws-1');
      const a = ws.incidentCreated(FACILITY, { title: '  Brand i tvättstugan ', peopleInvolved: ['Intagen 7'] });
      const b = ws.incidentCreated(FACILITY, { title: 'Hot mot personal', severity: 'high' });
      const pushes = [
        [a, ws.noteAdded(a.streamId, 'Rökdetektor utlöst'), b],
        [
          ws.statusChanged(a.streamId, 'open', 'acknowledged'),
          ws.envelope('incident.updated', b.streamId, {
            patch: { title: 'Hot mot personal, avd. C  ', location: 'C' },
          }),
          // Not a legal transition from open: kept as a conflict by the reducer.
          ws.statusChanged(b.streamId, 'open', 'closed'),
        ],
        [ws.noteAdded(b.streamId, 'Larm kvitterat'), ws.statusChanged(a.streamId, 'acknowledged', 'resolved')],
      ];
      for (const events of pushes) {
        const pushed = await app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: { authorization: `Bearer ${token}` },
          payload: { events },
        });
        expect(pushed.statusCode).toBe(200);
      }
      // An HQ read settles the projector: everything pushed before it is folded.
      expect(
        (await app.inject({ url: '/v1/hq/incidents', headers: await injectHqSignIn(app, adminToken) })).statusCode,
      ).toBe(200);

      const rows = await store.db.selectFrom('events').selectAll().where('type', 'like', 'incident.%').execute();
      const byStream = new Map<string, EventEnvelope[]>();
      for (const e of rows.map(rowToEnvelope)) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
      const expected = [...byStream.values()].map((events) => {
        const incident = foldIncident(events)!;
        return {
          id: incident.id,
          title: incident.title,
          status: incident.status,
          severity: incident.severity,
          updated_hlc: incident.updatedHlc,
          note_count: incident.notes.length,
          conflict_count: incident.conflicts.length,
          search_text: searchText(incident),
        };
      });
      const held = await store.db
        .selectFrom('incidents')
        .select(['id', 'title', 'status', 'severity', 'updated_hlc', 'note_count', 'conflict_count', 'search_text'])
        .execute();
      const byId = (x: { id: string }, y: { id: string }) => (x.id < y.id ? -1 : 1);
      expect(
        held
          .map((r) => ({ ...r, note_count: Number(r.note_count), conflict_count: Number(r.conflict_count) }))
          .sort(byId),
      ).toEqual(expected.sort(byId));
      expect(expected).toMatchObject(
        [
          { id: a.streamId, title: 'Brand i tvättstugan', status: 'resolved', note_count: 1 },
          { id: b.streamId, title: 'Hot mot personal, avd. C', status: 'open', note_count: 1, conflict_count: 1 },
        ].sort(byId),
      );
    } finally {
      await app.close();
    }
  });

  it('folds the payloads the verification workers found already in their parsed form without parsing them again; an untrimmed title is still parsed and trimmed', async () => {
    const { token } = await enrolled('ws-1');
    const app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken), projector: 'inline' });
    // The inline projector folds on this thread; the push's own check runs on the workers (a push of 8 or more).
    const parses = vi.spyOn(EVENT_PAYLOADS['incident.created'], 'safeParse');
    try {
      const ws = consoleEvents('ws-1');
      const plain = Array.from({ length: 5 }, (_, i) => ws.incidentCreated(FACILITY, { title: `Larm ${i}` }));
      const padded = ws.incidentCreated(FACILITY, { title: '  Brand i tvättstugan ' });
      const events = [...plain, padded, ...plain.map((e) => ws.noteAdded(e.streamId, 'Vakt på plats'))];
      const pushed = await app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { authorization: `Bearer ${token}` },
        payload: { events },
      });
      expect(pushed.statusCode).toBe(200);
      parses.mockClear();

      const hq = await app.inject({ url: '/v1/hq/incidents', headers: await injectHqSignIn(app, adminToken) });
      const incidents = HqIncident.array().parse(hq.json<{ incidents: unknown }>().incidents);
      expect(incidents.map((i) => i.title).sort()).toEqual(
        ['Brand i tvättstugan', ...plain.map((_, i) => `Larm ${i}`)].sort(),
      );
      expect(incidents.filter((i) => i.noteCount === 1)).toHaveLength(5);
      // Only the creation whose title the schema trims was parsed again by the fold.
      expect(parses.mock.calls.map(([payload]) => (payload as { title: string }).title)).toEqual([
        '  Brand i tvättstugan ',
      ]);
    } finally {
      parses.mockRestore();
      await app.close();
    }
  });

  it('keeps the hints for a later fold: a stream folded again when a later push extends it does not parse its earlier payloads again', async () => {
    const { token } = await enrolled('ws-1');
    const app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken), projector: 'inline' });
    const parses = vi.spyOn(EVENT_PAYLOADS['incident.created'], 'safeParse');
    const hqIncidents = async () => {
      const hq = await app.inject({ url: '/v1/hq/incidents', headers: await injectHqSignIn(app, adminToken) });
      return HqIncident.array().parse(hq.json<{ incidents: unknown }>().incidents);
    };
    const push = async (events: unknown[]) => {
      const pushed = await app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { authorization: `Bearer ${token}` },
        payload: { events },
      });
      expect(pushed.statusCode).toBe(200);
    };
    try {
      const ws = consoleEvents('ws-1');
      // 8 events a push, so the push's own check runs on the workers, which give the hints.
      const created = Array.from({ length: 8 }, (_, i) => ws.incidentCreated(FACILITY, { title: `Larm ${i}` }));
      await push(created);
      // The first fold (HQ reads settle it) folds the creations from their hints.
      expect((await hqIncidents()).filter((i) => i.noteCount === 0)).toHaveLength(8);
      parses.mockClear();

      // A later push extends every incident: each stream is folded again from all its events.
      await push(created.map((e) => ws.noteAdded(e.streamId, 'Vakt på plats')));
      const incidents = await hqIncidents();
      expect(
        incidents
          .filter((i) => i.noteCount === 1)
          .map((i) => i.title)
          .sort(),
      ).toEqual(created.map((_, i) => `Larm ${i}`).sort());
      // The creations were read again, but taken from the first push's hints, not parsed again.
      expect(parses).not.toHaveBeenCalled();
    } finally {
      parses.mockRestore();
      await app.close();
    }
  });

  it('catches up on events a tracker stored but never projected before it stopped', async () => {
    const { device } = await enrolled('ws-1');
    const ws = consoleEvents('ws-1');
    const created = ws.incidentCreated(FACILITY);
    // Stored through the ingestor alone: as if the tracker died before its projector ran.
    await createIngestor(store).ingest(
      device,
      checked([created, ws.noteAdded(created.streamId, 'Vakt på plats')]),
      Date.now(),
    );
    expect(await store.db.selectFrom('incidents').selectAll().execute()).toEqual([]);

    const app = await buildTracker({ db: store, adminTokenHash: hashSecret(adminToken) });
    try {
      const hq = await app.inject({ url: '/v1/hq/incidents', headers: await injectHqSignIn(app, adminToken) });
      const incidents = HqIncident.array().parse(hq.json<{ incidents: unknown }>().incidents);
      expect(incidents).toMatchObject([{ id: created.streamId, noteCount: 1 }]);
      const cursor = await store.db.selectFrom('projection_cursors').selectAll().executeTakeFirstOrThrow();
      // The device record written at enrolment, then the two pushed events.
      expect(Number(cursor.projected_seq)).toBe(3);
    } finally {
      await app.close();
    }
  });
});

describe('HQ projector on its own thread', () => {
  async function incidentIds(): Promise<string[]> {
    return (await store.db.selectFrom('incidents').select('id').execute()).map((r) => r.id).sort();
  }

  it('folds pushes on its own connection, survives the thread dying (logged, replaced) and catches up what came meanwhile', async () => {
    const { device } = await enrolled('ws-1');
    const ws = consoleEvents('ws-1');
    const ingestor = createIngestor(store);
    const crashes: Error[] = [];
    const thread = createProjectorThread(store.file!, store.writerGate!.buffer, {
      onCrash: (error) => crashes.push(error),
    });
    try {
      const first = ws.incidentCreated(FACILITY);
      await ingestor.ingest(device, checked([first]), Date.now());
      thread.notify(FACILITY);
      await thread.settled();
      expect(await incidentIds()).toEqual([first.streamId]);

      const dying = thread.worker()!;
      await dying.terminate();
      expect(crashes).toHaveLength(1);
      expect(crashes[0]!.message).toMatch(/exited with code/);
      // Stored and notified while no thread runs: the notify has nowhere to go.
      const second = ws.incidentCreated(FACILITY);
      await ingestor.ingest(device, checked([second, ws.noteAdded(first.streamId, 'Efter kraschen')]), Date.now());
      thread.notify(FACILITY);
      // The read waits for the replacement, which catches every facility up from its cursor.
      await thread.settled();
      expect(thread.started).toBe(2);
      expect(thread.worker()).not.toBe(dying);
      expect(await incidentIds()).toEqual([first.streamId, second.streamId].sort());
      const folded = await store.db
        .selectFrom('incidents')
        .select('note_count')
        .where('id', '=', first.streamId)
        .executeTakeFirstOrThrow();
      expect(folded.note_count).toBe(1);
    } finally {
      await thread.stop();
    }
    expect(thread.worker()).toBeNull();
  });

  it('holds the writer from the start of a tracker transaction, so a second writer on the file cannot fail one that reads before it writes', async () => {
    await enrolled('ws-1');
    // The projector thread's role: another connection that writes to the same file.
    const other = new Database(join(dir, 'tracker.sqlite'));
    other.pragma('busy_timeout = 0');
    try {
      const attempts: string[] = [];
      await store.db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom('facilities').select('id').execute();
        // Between this transaction's read and its write, the other connection tries to commit.
        try {
          other.prepare("INSERT INTO facilities (id, created_at, name) VALUES ('Annex', 0, 'Annex')").run();
          attempts.push('other committed');
        } catch (error) {
          attempts.push(`other waited: ${(error as { code?: string }).code}`);
        }
        await trx
          .insertInto('facilities')
          .values({ id: `${before[0]!.id}-2`, created_at: 0, name: 'Andra' })
          .execute();
      });
      expect(attempts).toEqual(['other waited: SQLITE_BUSY']);
      const ids = (await store.db.selectFrom('facilities').select('id').execute()).map((r) => r.id).sort();
      expect(ids).toEqual([FACILITY, `${FACILITY}-2`]);
    } finally {
      other.close();
    }
  });

  it('reports a failed run with its facility and retries it, without dying', async () => {
    const { device } = await enrolled('ws-1');
    const ws = consoleEvents('ws-1');
    const errors: { error: Error; facility: string }[] = [];
    const crashes: Error[] = [];
    const thread = createProjectorThread(store.file!, store.writerGate!.buffer, {
      onError: (error, facility) => errors.push({ error, facility }),
      onCrash: (error) => crashes.push(error),
    });
    try {
      await thread.settled();
      // HQ's table gone from under the thread: its next run fails on the upsert.
      await sql`ALTER TABLE incidents RENAME TO incidents_away`.execute(store.db);
      await createIngestor(store).ingest(device, checked([ws.incidentCreated(FACILITY)]), Date.now());
      thread.notify(FACILITY);
      await thread.settled();
      expect(errors.map((e) => e.facility)).toEqual([FACILITY]);
      expect(errors[0]!.error.message).toMatch(/incidents/);
      await sql`ALTER TABLE incidents_away RENAME TO incidents`.execute(store.db);
      // The facility stays dirty; the retry (a second later) or the next read folds it.
      await thread.settled();
      expect(await incidentIds()).toHaveLength(1);
      expect(crashes).toEqual([]);
      expect(thread.started).toBe(1);
    } finally {
      await thread.stop();
    }
  });
});

describe('WAL checkpoints on the checkpointer thread', () => {
  it('moves the pushes WAL into the database file off the push commits, with SQLite own checkpoint only as a large backstop', async () => {
    const { device } = await enrolled('ws-1');
    const ws = consoleEvents('ws-1');
    const ingestor = createIngestor(store);
    // One push at a time: each commits on its own, so every commit counts.
    for (let push = 0; push < 8; push++) {
      await ingestor.ingest(
        device,
        checked(Array.from({ length: 50 }, () => ws.incidentCreated(FACILITY))),
        Date.now(),
      );
    }
    await store.checkpointsSettled();
    expect(store.checkpoints).toBeGreaterThanOrEqual(1);
    // The tracker connection's own automatic checkpoint is the backstop, far above a push's pages.
    const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(store.db);
    expect(rows[0]!.wal_autocheckpoint).toBe(BACKSTOP_PAGES);
    // What the thread checkpointed is in the database file itself: a copy of the file alone holds it.
    const copy = join(dir, 'copy.sqlite');
    copyFileSync(join(dir, 'tracker.sqlite'), copy);
    const alone = new Database(copy, { readonly: true });
    try {
      const stored = alone.prepare("SELECT count(*) AS n FROM events WHERE type != 'device.enrolled'").get() as {
        n: number;
      };
      expect(stored.n).toBeGreaterThanOrEqual(50);
    } finally {
      alone.close();
    }
  });
});
