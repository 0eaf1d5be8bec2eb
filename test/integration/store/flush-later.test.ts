/**
 * `flushLater` appends (issue 16, the retention sweep): committed without waiting for their
 * fsync, so a power cut may take them back, and therefore held from everything that tells
 * others of them until the store has synced the WAL off the core's thread, or a durable
 * commit after them has. Events a peer or the tracker held first and this console then
 * lost would be numbered again: a fork of its feed every receiver refuses.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openEventStore, type AppendResult, type EventSigner } from '../../../src-main/core/store/event-store.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { authoredNote } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());
let n = 0;

function authored(): EventEnvelope {
  n += 1;
  return authoredNote(n, 1_000 + n);
}

function open(name: string) {
  const store = openEventStore(join(dir.path, name));
  const signer: EventSigner = { deviceId: 'dev-a', signCanonical: () => 'A'.repeat(86) };
  store.useSigner(signer);
  const heard: number[][] = [];
  store.onCommitted((r: AppendResult) => heard.push(r.stored.map((e) => e.seq)));
  return { store, heard };
}

const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);

describe('appends flushed later', () => {
  it('are held from observers, the outbox and what peers are fed until the WAL is synced, then announced in order', async () => {
    const { store, heard } = open('held.sqlite');
    try {
      store.append([authored()]);
      expect(heard).toEqual([[1]]);
      const later = store.append([authored(), authored()], { flushLater: true });
      expect(seqs(later.stored)).toEqual([2, 3]);
      // Committed (the log holds them, numbered) but not announced and not shareable yet.
      expect(store.getEvent(later.stored[0]!.id)).not.toBeNull();
      expect(heard).toEqual([[1]]);
      expect(store.shareableThrough()).toBe(1);
      expect(seqs(store.outbox(100))).toEqual([1]);
      expect(store.outboxCount()).toBe(1);
      // The commit skipped its own fsync only: commands keep theirs.
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);

      await store.flushed();
      expect(heard).toEqual([[1], [2, 3]]);
      expect(store.shareableThrough()).toBe(Number.MAX_SAFE_INTEGER);
      expect(seqs(store.outbox(100))).toEqual([1, 2, 3]);
      expect(store.outboxCount()).toBe(3);
    } finally {
      store.close();
    }
  });

  it('flushed() waits for the appends made before it, not for later ones (a peer session acknowledges each batch by it)', async () => {
    const { store, heard } = open('waits-for-its-own.sqlite');
    try {
      const first = store.append([authored()], { flushLater: true });
      const firstOnDisk = store.flushed();
      const second = store.append([authored()], { flushLater: true });
      await firstOnDisk;
      // The first batch is on disk and announced; the second, committed after the flush began, waits for its own.
      expect(heard).toEqual([seqs(first.stored)]);
      expect(store.shareableThrough()).toBe(second.stored[0]!.seq - 1);
      await store.flushed();
      expect(heard).toEqual([seqs(first.stored), seqs(second.stored)]);
    } finally {
      store.close();
    }
  });

  it('are released by a durable commit after them, before it is announced, without waiting for their own flush', async () => {
    const { store, heard } = open('released.sqlite');
    try {
      store.append([authored()], { flushLater: true });
      store.append([authored()], { flushLater: true });
      expect(heard).toEqual([]);
      // A command commits with its fsync, which syncs every WAL frame before it too.
      store.append([authored()]);
      expect(heard).toEqual([[1, 2], [3]]);
      expect(seqs(store.outbox(100))).toEqual([1, 2, 3]);
      await store.flushed();
      // The off-thread flush finishing later announces nothing twice.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toEqual([[1, 2], [3]]);
    } finally {
      store.close();
    }
  });

  it('are not released by a commit that wrote nothing (it synced nothing)', async () => {
    const { store, heard } = open('nothing.sqlite');
    try {
      const first = authored();
      store.append([first]);
      store.append([authored()], { flushLater: true });
      // A re-delivered event and a read-only transaction commit without writing a frame.
      store.append([first]);
      store.transaction(() => store.getEvent(first.id));
      expect(heard).toEqual([[1]]);
      expect(store.shareableThrough()).toBe(1);
      await store.flushed();
      expect(heard).toEqual([[1], [2]]);
    } finally {
      store.close();
    }
  });

  it('in a flushLater transaction are held together until the WAL is synced, then announced as one commit', async () => {
    const { store, heard } = open('transaction.sqlite');
    try {
      store.append([authored()]);
      const inside = store.transaction(() => [store.append([authored()]), store.append([authored(), authored()])], {
        flushLater: true,
      });
      expect(inside.flatMap((r) => seqs(r.stored))).toEqual([2, 3, 4]);
      // Committed, not announced nor shareable, and commands keep their fsync.
      expect(store.getEvent(inside[1]!.stored[1]!.id)).not.toBeNull();
      expect(heard).toEqual([[1]]);
      expect(store.shareableThrough()).toBe(1);
      expect(seqs(store.outbox(100))).toEqual([1]);
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      await store.flushed();
      expect(heard).toEqual([[1], [2, 3, 4]]);
      expect(seqs(store.outbox(100))).toEqual([1, 2, 3, 4]);
      // Only the outermost transaction decides.
      expect(() => store.transaction(() => store.transaction(() => 0, { flushLater: true }))).toThrow(
        'a flushLater transaction is a transaction of its own',
      );
    } finally {
      store.close();
    }
  });

  it('are refused inside a transaction, where the enclosing commit decides', () => {
    const { store } = open('nested.sqlite');
    try {
      expect(() => store.transaction(() => store.append([authored()], { flushLater: true }))).toThrow(
        'a flushLater append is a transaction of its own',
      );
      expect(store.outboxCount()).toBe(0);
    } finally {
      store.close();
    }
  });
});
