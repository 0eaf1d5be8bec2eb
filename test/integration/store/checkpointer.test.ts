/**
 * WAL checkpoints run in a worker thread (issue 16), so no command's commit copies the
 * WAL into the database file. Real SQLite files, a real worker thread.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CHECKPOINT_EVERY, createCheckpointer } from '../../../src-main/core/store/checkpointer.ts';
import { openEventStore } from '../../../src-main/core/store/event-store.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();

/** The WAL header's checkpoint sequence number: SQLite raises it each time it restarts the WAL. */
function walRestarts(file: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(file + '-wal', 'r');
  readSync(fd, header, 0, 16, 0);
  closeSync(fd);
  return header.readUInt32BE(12);
}
afterAll(() => dir.cleanup());

describe('WAL checkpointer', () => {
  it('moves committed pages into the database file from its own thread, and the data survives reopening', async () => {
    const file = join(dir.path, 'cp.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const logged: string[] = [];
    const checkpointer = createCheckpointer(db, file, (m) => logged.push(m));
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const before = statSync(file).size;
    // The commits alone, in a loop that never yields: the worker works beside it.
    for (let i = 0; i < CHECKPOINT_EVERY * 3; i++) {
      insert.run('x'.repeat(2000));
      checkpointer.committed();
    }
    await checkpointer.settled();
    expect(checkpointer.completed).toBeGreaterThanOrEqual(1);
    // The rows reached the database file itself, though this connection never checkpointed
    // (its automatic checkpoint is far above what these commits wrote).
    expect(statSync(file).size).toBeGreaterThan(before + 2000 * CHECKPOINT_EVERY);
    expect(logged).toEqual([]);
    checkpointer.close();
    db.close();

    const again = new Database(file);
    expect((again.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(CHECKPOINT_EVERY * 3);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });

  it('copies the commits made during a checkpoint too, so the next commit overwrites the WAL from its start', async () => {
    // SQLite restarts the WAL only when a writer begins with every frame copied; a single pass
    // left behind the frames of commits made while it ran, and the WAL file grew instead (the
    // store bench: 38 % of commands grew it, and those made most of its p99).
    const file = join(dir.path, 'restart.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const checkpointer = createCheckpointer(db, file, () => {});
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const commit = (bytes: number) => {
      insert.run('x'.repeat(bytes));
      checkpointer.committed();
    };
    const restarts = () => walRestarts(file);
    for (let i = 0; i < CHECKPOINT_EVERY; i++) commit(2000); // the worker is up
    await checkpointer.settled();
    // A large WAL, so the next pass takes a while, and commits made while it runs.
    for (let i = 0; i < CHECKPOINT_EVERY; i++) commit(40_000);
    let duringCheckpoint = 0;
    while (checkpointer.running && duringCheckpoint < 3) {
      commit(100);
      duringCheckpoint += 1;
    }
    expect(duringCheckpoint).toBeGreaterThan(0);
    await checkpointer.settled();
    await new Promise<void>((resolve) => setImmediate(resolve)); // the writer's turn after it
    const before = { restarts: restarts(), size: statSync(file + '-wal').size };
    commit(100);
    expect(restarts()).toBe(before.restarts + 1);
    expect(statSync(file + '-wal').size).toBe(before.size);
    checkpointer.close();
    db.close();
  });

  it('restarts the WAL under back-to-back commits too: the writer copies the last commits itself between two', async () => {
    // Commits with only a turn of the event loop between them (a burst of commands) outrun
    // the worker's passes, so it never finds the WAL fully copied; without the writer's own
    // copy of that tail, the WAL file grew with every commit up to the 10,000-page backstop.
    const file = join(dir.path, 'burst.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const checkpointer = createCheckpointer(db, file, () => {});
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const burst = async (commits: number) => {
      for (let i = 0; i < commits; i++) {
        insert.run('x'.repeat(8000));
        checkpointer.committed();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    await burst(CHECKPOINT_EVERY); // the worker is up
    await checkpointer.settled();
    const before = { restarts: walRestarts(file), size: statSync(file + '-wal').size, done: checkpointer.completed };
    const commits = CHECKPOINT_EVERY * 6;
    await burst(commits);
    expect(checkpointer.completed - before.done).toBeGreaterThanOrEqual(3);
    expect(walRestarts(file) - before.restarts).toBeGreaterThanOrEqual(2);
    // Overwritten in place: the file grew by far less than the burst's pages.
    expect(statSync(file + '-wal').size - before.size).toBeLessThan((commits * 8000) / 2);
    await checkpointer.settled();
    checkpointer.close();
    db.close();
  });

  it('starts no worker before a checkpoint is due', () => {
    const file = join(dir.path, 'few.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    const checkpointer = createCheckpointer(db, file, () => {});
    db.exec('CREATE TABLE t (v)');
    checkpointer.committed();
    expect(checkpointer.completed).toBe(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(1000);
    checkpointer.close();
    db.close();
  });

  it('a store closed in the middle of a checkpoint is at rest once closed() settles: its copy opens intact', async () => {
    // A console's close() waits for this (console-core.ts): a backup, a template copy or a
    // second opener acting on the file right after close must not see a checkpoint half-way.
    const file = join(dir.path, 'closing.sqlite');
    const store = openEventStore(file);
    const events = Array.from({ length: CHECKPOINT_EVERY * 2 }, (_, i) => ({
      id: `01a24000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      streamId: `01a24000-0000-7000-9000-${String(i).padStart(12, '0')}`,
      type: 'incident.note_added' as const,
      payload: { text: 'x'.repeat(1500) },
      actor: 'G1',
      deviceId: 'dev-a',
      deviceTime: 1_780_000_000_000 + i,
      hlc: encodeHlc({ wallMs: 1_780_000_000_000 + i, counter: 0, node: 'dev-a' }),
    }));
    for (const event of events) store.append([event]);
    expect(store.checkpoints()?.running).toBe(true); // the last commits asked for one
    store.close();
    await store.closed();
    // The last connection to close checkpoints the rest and removes the WAL: nothing is open.
    expect(existsSync(file + '-wal')).toBe(false);
    copyFileSync(file, join(dir.path, 'closing-copy.sqlite'));
    const copy = new Database(join(dir.path, 'closing-copy.sqlite'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((copy.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(events.length);
    copy.close();
  });
});

describe('closing a store in a process with nothing else to do', () => {
  it('keeps the process alive until the checkpoint worker has exited, so the awaited close returns', () => {
    // The worker is unref'd while the console runs; a process whose last work is `await
    // store.closed()` (a bench, a migration script, a quitting host) must still get past it.
    const script = `
      import { openEventStore } from ${JSON.stringify(join(process.cwd(), 'src-main/core/store/event-store.ts'))};
      import { CHECKPOINT_EVERY } from ${JSON.stringify(join(process.cwd(), 'src-main/core/store/checkpointer.ts'))};
      import { encodeHlc } from ${JSON.stringify(join(process.cwd(), 'src-shared/hlc.ts'))};
      const store = openEventStore(process.argv[2]);
      for (let i = 0; i < CHECKPOINT_EVERY * 2; i++) {
        const n = String(i).padStart(12, '0');
        store.append([{ id: '01a24000-0000-7000-8000-' + n, streamId: '01a24000-0000-7000-9000-' + n,
          type: 'incident.note_added', payload: { text: 'x'.repeat(1500) }, actor: 'G1', deviceId: 'dev-a',
          deviceTime: 1780000000000 + i, hlc: encodeHlc({ wallMs: 1780000000000 + i, counter: 0, node: 'dev-a' }) }]);
      }
      store.close();
      await store.closed();
      console.log('closed');
    `;
    const scriptFile = join(dir.path, 'close-alone.mts');
    writeFileSync(scriptFile, script);
    const runs = Array.from({ length: 3 }, (_, i) =>
      execFileSync(process.execPath, [scriptFile, join(dir.path, `alone-${i}.sqlite`)], { encoding: 'utf8' }).trim(),
    );
    expect(runs).toEqual(['closed', 'closed', 'closed']);
  });
});
