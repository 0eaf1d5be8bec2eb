import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { chainHashOf } from '../../../src-common/chain-hash.ts';
import { canonicalEvent, openEventStore, GENESIS_HASH, isPlainJson } from '../../../src-main/core/store/event-store.ts';
import { incidentProjector } from '../../../src-main/core/incidents/projection.ts';
import { foldIncident } from '../../../src-shared/incident-fold.ts';
import { StoreOpenError } from '../../../src-main/core/store/database.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { signAsAuthor } from '../../support/device-keys.ts';
import { corridorThreat } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());
let n = 0;
const file = (name: string) => join(dir.path, name);

const INCIDENT = corridorThreat();

function event(streamId = 'stream-1', deviceId = 'dev-a'): EventEnvelope {
  n += 1;
  return {
    id: `019ab000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    streamId,
    type: 'incident.note_added',
    payload: { noteId: '019ab000-0000-7000-8000-0000000000ff', text: `note ${n}` },
    actor: 'V1',
    deviceId,
    deviceTime: 1_000 + n,
    hlc: encodeHlc({ wallMs: 1_000 + n, counter: 0, node: deviceId }),
  };
}

describe('event store', () => {
  it('opens in WAL mode with synchronous=FULL', () => {
    const store = openEventStore(file('pragmas.sqlite'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    store.close();
  });

  it('reads back what setMeta wrote at once, and the committed value after a transaction that wrote it rolled back', () => {
    // Meta values are kept in memory once read (issue 16): a rolled-back write must not stay.
    const store = openEventStore(file('meta.sqlite'));
    expect(store.getMeta('sync.facility')).toBeNull();
    store.setMeta('sync.facility', 'anstalt-a');
    expect(store.getMeta('sync.facility')).toBe('anstalt-a');
    expect(() =>
      store.transaction(() => {
        store.setMeta('sync.facility', 'anstalt-b');
        expect(store.getMeta('sync.facility')).toBe('anstalt-b');
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(store.getMeta('sync.facility')).toBe('anstalt-a');
    store.close();
    const reopened = openEventStore(file('meta.sqlite'));
    expect(reopened.getMeta('sync.facility')).toBe('anstalt-a');
    reopened.close();
  });

  it('refuses a file written by a newer Guardline, naming the file and leaving it untouched', () => {
    const path = file('newer.sqlite');
    openEventStore(path).close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_version (version) VALUES (999)').run();
    raw.close();
    const before = readFileSync(path);
    expect(() => openEventStore(path)).toThrow(StoreOpenError);
    expect(() => openEventStore(path)).toThrow(
      new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*newer Guardline \\(schema version 999`),
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not a Guardline store with a clear error', () => {
    const path = file('garbage.sqlite');
    writeFileSync(path, 'this is not sqlite at all, just a text file that someone renamed'.repeat(100));
    expect(() => openEventStore(path)).toThrow(/garbage.sqlite: not a usable Guardline store/);
  });

  it('chains every event to the one before it and skips re-delivered ids', () => {
    const store = openEventStore(file('chain.sqlite'));
    const a = event();
    const b = event();
    const first = store.append([a, b]);
    expect(first.stored.map((e) => e.prevHash)).toEqual([GENESIS_HASH, first.stored[0]!.hash]);
    const again = store.append([a, event()]);
    expect(again.duplicates).toEqual([a.id]);
    expect(again.stored).toHaveLength(1);
    expect(store.verifyChain()).toEqual({ ok: true, checked: 3, firstBroken: null });
    store.close();
  });

  it('takes a chain hash guessed ahead (the mesh frame worker) only where the row before holds the hash it was chained from', () => {
    const store = openEventStore(file('chain-ahead.sqlite'));
    const [a, b, c] = [event(), event(), event()];
    const guess = (e: EventEnvelope, prevHash: string) => ({
      canonical: canonicalEvent(e),
      authorHash: null,
      chain: { prevHash, hash: chainHashOf(prevHash, canonicalEvent(e)) },
    });
    // Right guesses, chained from the empty log's head: taken.
    const ga = guess(a, GENESIS_HASH);
    const gb = guess(b, ga.chain.hash);
    const first = store.append([a, b], {
      received: true,
      prepared: new Map([
        [a, ga],
        [b, gb],
      ]),
    });
    expect(first.stored.map((e) => e.hash)).toEqual([ga.chain.hash, gb.chain.hash]);
    // A guess chained from another head (something was stored in between): computed here instead.
    const stale = guess(c, ga.chain.hash);
    const second = store.append([c], { received: true, prepared: new Map([[c, stale]]) });
    expect(second.stored[0]!.prevHash).toBe(gb.chain.hash);
    expect(second.stored[0]!.hash).not.toBe(stale.chain.hash);
    expect(store.verifyChain()).toEqual({ ok: true, checked: 3, firstBroken: null });
    store.close();
  });

  it('stores an id once when a batch carries it twice, and reports each copy after the first as a duplicate', () => {
    const store = openEventStore(file('twice.sqlite'));
    const held = event();
    store.append([held]);
    const a = event();
    const b = event();
    const result = store.append([a, held, b, a, { ...b, payload: { noteId: b.id, text: 'other' } }]);
    expect(result.stored.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(result.duplicates).toEqual([held.id, a.id, b.id]);
    expect(store.streamEvents('stream-1').map((e) => e.id)).toEqual([held.id, a.id, b.id]);
    // What the append reports is what a read of the log gives.
    expect(result.stored).toEqual([store.getEvent(a.id), store.getEvent(b.id)]);
    expect(store.verifyChain()).toEqual({ ok: true, checked: 3, firstBroken: null });
    store.close();
  });

  it("reports each stored event as a read of the log gives it: its own numbered and linked, a peer's signed, the tracker's synced", () => {
    const store = openEventStore(file('reported.sqlite'));
    store.useSigner({ deviceId: 'dev-a', signCanonical: () => 'A'.repeat(86) });
    const own = store.append([event('stream-1', 'dev-a'), event('stream-1', 'dev-a')]);
    // A peer's feed: numbered, the second linked (prev) to the first, both signed.
    const peerFirst = signAsAuthor(event('stream-2', 'dev-peer'));
    const peerSecond = signAsAuthor(event('stream-2', 'dev-peer'));
    const received = store.append([peerFirst, peerSecond], { received: true });
    const fromTracker = event('stream-3', 'dev-c');
    const synced = store.append([fromTracker], {
      synced: { serverSeqById: new Map([[fromTracker.id, 77]]), syncedAt: 9_000 },
    });
    expect(own.stored.map((e) => [e.deviceSeq, e.prev !== undefined])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(received.stored[1]).toMatchObject({
      deviceSeq: peerSecond.deviceSeq,
      prev: peerSecond.prev,
      sig: peerSecond.sig,
    });
    expect(synced.stored[0]).toMatchObject({ syncedAt: 9_000, serverSeq: 77 });
    for (const result of [own, received, synced]) {
      expect(result.stored).toEqual(result.stored.map((e) => store.getEvent(e.id)));
      // Member for member in the same order, as JSON shows them to a peer or a hash.
      expect(result.stored.map((e) => JSON.stringify(e))).toEqual(
        result.stored.map((e) => JSON.stringify(store.getEvent(e.id))),
      );
    }
    store.close();
  });

  it('stores each event of one batch with its own columns only: a linked, signed event, then one with none of those, then a synced one', () => {
    const store = openEventStore(file('batch-columns.sqlite'));
    const peerFirst = signAsAuthor(event('stream-4', 'dev-peer'));
    const peerSecond = signAsAuthor(event('stream-4', 'dev-peer'));
    const bare = event('stream-5', 'dev-c');
    const fromTracker = event('stream-6', 'dev-c');
    const after = event('stream-6', 'dev-c');
    const result = store.append([peerFirst, peerSecond, bare, fromTracker, after], {
      received: true,
      synced: { serverSeqById: new Map([[fromTracker.id, 78]]), syncedAt: 9_100 },
    });
    expect(result.stored.map((e) => e.id)).toEqual([peerFirst, peerSecond, bare, fromTracker, after].map((e) => e.id));
    expect(result.stored[1]).toMatchObject({
      deviceSeq: peerSecond.deviceSeq,
      prev: peerSecond.prev,
      sig: peerSecond.sig,
    });
    // Nothing of the event before it (round 12q fills one parameters array per append, slot by slot).
    for (const e of [result.stored[2]!, store.getEvent(bare.id)!]) {
      expect(e).not.toHaveProperty('prev');
      expect(e).not.toHaveProperty('sig');
      expect(e).not.toHaveProperty('deviceSeq');
    }
    expect(result.stored[3]).toMatchObject({ syncedAt: 9_100, serverSeq: 78 });
    expect(result.stored[4]).toMatchObject({ syncedAt: null, serverSeq: null });
    expect(result.stored).toEqual(result.stored.map((e) => store.getEvent(e.id)));
    expect(store.verifyChain()).toEqual({ ok: true, checked: 5, firstBroken: null });
    store.close();
  });

  it('takes the held ids a receiver read just before (heldIds): those are duplicates, and a held id left out fails the append whole', () => {
    const store = openEventStore(file('held-ids.sqlite'));
    const held = event();
    store.append([held]);
    const a = event();
    const b = event();
    const result = store.append([held, a, b], { received: true, heldIds: new Set([held.id]) });
    expect(result.stored.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(result.duplicates).toEqual([held.id]);
    // A caller that got it wrong cannot store an event twice: the unique id refuses, and
    // nothing of the batch is kept.
    const c = event();
    expect(() => store.append([c, held], { received: true, heldIds: new Set() })).toThrow(/UNIQUE/);
    expect(store.getEvent(c.id)).toBeNull();
    expect(store.verifyChain()).toEqual({ ok: true, checked: 3, firstBroken: null });
    store.close();
  });

  it('hands projectors and observers the payload a read of the log gives, also when the object held more than JSON keeps', () => {
    const store = openEventStore(':memory:');
    store.registerProjector(incidentProjector);
    const stream = '019ab000-0000-7000-8000-00000000a0a0';
    const created = { ...event(stream), type: 'incident.created' as const, payload: INCIDENT };
    store.append([created]);
    // `title: undefined` is dropped by JSON: the stored event keeps the title as it was.
    const update = {
      ...event(stream),
      type: 'incident.updated' as const,
      payload: { patch: { title: undefined, location: 'Rum 4' } },
    };
    const result = store.append([update]);
    expect(result.stored[0]!.payload).toEqual({ patch: { location: 'Rum 4' } });
    expect(Object.keys((result.stored[0]!.payload as { patch: object }).patch)).toEqual(['location']);
    const row = store.db.prepare<[string], { doc: string; title: string }>(
      'SELECT doc, title FROM incidents WHERE id = ?',
    );
    expect(JSON.parse(row.get(stream)!.doc)).toEqual(foldIncident(store.streamEvents(stream)));
    expect(row.get(stream)!.title).toBe(INCIDENT.title);
    store.close();
  });

  it('tells plain JSON values from values JSON would change', () => {
    for (const plain of [null, 'a', 0, 1.5, true, [], [1, 'b', { c: [null] }], { a: { b: [1] } }, Object.create(null)])
      expect(isPlainJson(plain)).toBe(true);
    for (const changed of [
      undefined,
      -0,
      Number.NaN,
      Infinity,
      { a: undefined },
      [undefined],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 2],
      new Date(0),
      { toJSON: () => 1 },
      { a: 1n },
      new (class Point {
        x = 1;
      })(),
      Object.create({ inherited: 1 }),
    ])
      expect(isPlainJson(changed)).toBe(false);
  });

  it('tells observers of appends inside a transaction only once it commits, and never of ones rolled back', () => {
    const store = openEventStore(file('announce.sqlite'));
    const seen: string[][] = [];
    store.onCommitted((result) => seen.push(result.stored.map((e) => e.id)));
    const [a, b, c, d, e] = [event(), event(), event(), event(), event()];
    store.transaction(() => {
      store.append([a]);
      store.append([b]);
      // A savepoint that fails takes its append with it, and its announcement too.
      expect(() =>
        store.transaction(() => {
          store.append([c]);
          throw new Error('step failed');
        }),
      ).toThrow('step failed');
      expect(seen).toEqual([]); // nothing is committed yet: a peer must not be sent these
    });
    expect(seen).toEqual([[a.id, b.id]]);
    expect(() =>
      store.transaction(() => {
        store.append([d]);
        throw new Error('whole command failed');
      }),
    ).toThrow('whole command failed');
    store.append([e]);
    expect(seen).toEqual([[a.id, b.id], [e.id]]);
    expect(store.getEvent(c.id)).toBeNull();
    expect(store.getEvent(d.id)).toBeNull();
    store.close();
  });

  it('refuses to update or delete stored events', () => {
    const store = openEventStore(file('append-only.sqlite'));
    store.append([event()]);
    expect(() => store.db.prepare("UPDATE events SET payload = '{}'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    store.close();
  });

  it('reports the first tampered event when someone edits the file behind its back', () => {
    const path = file('tamper.sqlite');
    const store = openEventStore(path);
    const events = [event(), event(), event(), event()];
    store.append(events);
    store.close();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER events_no_rewrite');
    raw
      .prepare('UPDATE events SET payload = ? WHERE id = ?')
      .run(JSON.stringify({ noteId: 'x', text: 'rewritten' }), events[2]!.id);
    raw.close();
    const reopened = openEventStore(path);
    expect(reopened.verifyChain()).toEqual({
      ok: false,
      checked: 2,
      firstBroken: { seq: 3, id: events[2]!.id, reason: 'content does not match its hash' },
    });
    reopened.close();
  });

  it('lists the outbox oldest first, whoever authored an event, and forgets events once the tracker acknowledged them', () => {
    const store = openEventStore(file('outbox.sqlite'));
    const mine = [event('s', 'dev-a'), event('s', 'dev-a'), event('s', 'dev-a')];
    const relayed = event('s', 'dev-b');
    store.append([...mine, relayed]);
    // Store-and-forward (issue 12): a peer's event the tracker lacks is pushed like our own.
    expect(store.outbox(10).map((e) => e.id)).toEqual([...mine, relayed].map((e) => e.id));
    store.markSynced([{ id: mine[0]!.id, serverSeq: 41 }], 5_000);
    expect(store.outbox(10).map((e) => e.id)).toEqual([mine[1]!.id, mine[2]!.id, relayed.id]);
    expect(store.outboxCount()).toBe(3);
    expect(store.getEvent(mine[0]!.id)).toMatchObject({ syncedAt: 5_000, serverSeq: 41 });
    // The next batch while one is in flight: only events after the in-flight batch's last seq.
    const second = store.getEvent(mine[1]!.id)!;
    expect(store.outbox(10, second.seq).map((e) => e.id)).toEqual([mine[2]!.id, relayed.id]);
    store.close();
  });

  it('records a whole push of acks at once, each event with its own seq, and leaves earlier marks alone', () => {
    const store = openEventStore(file('acks.sqlite'));
    const events = Array.from({ length: 5 }, () => event('s', 'dev-a'));
    store.append(events);
    expect(store.markSynced([{ id: events[1]!.id, serverSeq: 7 }], 1_000)).toBe(1);
    const acks = events.map((e, i) => ({ id: e.id, serverSeq: 100 + i }));
    // A repeated ack (the tracker's duplicate of an id within one push) marks its event once.
    expect(store.markSynced([...acks, acks[3]!], 2_000)).toBe(4);
    expect(events.map((e) => store.getEvent(e.id))).toMatchObject([
      { syncedAt: 2_000, serverSeq: 100 },
      { syncedAt: 1_000, serverSeq: 7 },
      { syncedAt: 2_000, serverSeq: 102 },
      { syncedAt: 2_000, serverSeq: 103 },
      { syncedAt: 2_000, serverSeq: 104 },
    ]);
    expect(store.outboxCount()).toBe(0);
    store.close();
  });
});
