/**
 * The hash chain check over a store's event log, on any connection: the store's own
 * (`EventStore.verifyChain`) or a read-only one in the background worker (issue 16),
 * so both give the same answer from the same code. Reads in pages of CHAIN_PAGE rows so
 * a large log never sits in memory at once, and reports progress after each page.
 */
import type { ChainReport } from '../../../src-shared/api.ts';
import type { Db } from './database.ts';
import { chainHash, GENESIS_HASH, toStored, type EventRow } from './event-store.ts';

export const CHAIN_PAGE = 5000;

export type Progress = (done: number, total: number) => void;

export function checkChain(db: Db, progress?: Progress): ChainReport {
  const page = db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
  const total = progress ? (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n : 0;
  progress?.(0, total);
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = page.all(lastSeq, CHAIN_PAGE);
    if (rows.length === 0) return { ok: true, checked, firstBroken: null };
    for (const row of rows) {
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          checked,
          firstBroken: { seq: row.seq, id: row.id, reason: 'prev_hash does not match the event before it' },
        };
      }
      if (chainHash(prevHash, toStored(row)) !== row.hash) {
        return {
          ok: false,
          checked,
          firstBroken: { seq: row.seq, id: row.id, reason: 'content does not match its hash' },
        };
      }
      prevHash = row.hash;
      lastSeq = row.seq;
      checked += 1;
    }
    progress?.(checked, Math.max(total, checked));
  }
}
