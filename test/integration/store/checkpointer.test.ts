/**
 * WAL checkpoints run in a worker thread (issue 16), so no command's commit copies the
 * WAL into the database file. Real SQLite files, a real worker thread.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CHECKPOINT_EVERY, createCheckpointer } from '../../../src-main/core/store/checkpointer.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
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
});
