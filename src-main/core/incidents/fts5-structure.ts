/**
 * What the search index (FTS5) holds, read from its structure record: how many rows its
 * segments hold, how many of those are deleted rows still in them (tombstones, on a
 * `contentless_delete` table), and whether a merge is under way. The upkeep reads it to decide
 * when the deleted rows are worth a full merge in steps (searchProjector.tidy).
 *
 * Hand-written: SQLite decodes this record only in test builds (`fts5_structure()`), and
 * `fts5vocab` counts terms, not deleted rows (and walks the whole index to do it). The record
 * is one row of `<table>_data` (id 10) of some dozens of bytes; the layout is
 * fts5StructureDecode's (fts5_index.c): a 4-byte cookie, the "structure v2" marker when the
 * table keeps tombstones, the level and segment counts, the write counter, then per level the
 * segments under merge and the segments, each with its id and leaf page range and, in v2, its
 * origin range, tombstone pages, tombstones and rows.
 */
import type { Db } from '../store/database.ts';

export interface Fts5Totals {
  /** Rows the segments hold, deleted ones included (v2 records only; else 0). */
  rows: number;
  /** Deleted rows still in the segments (v2 records only; else 0). */
  tombstones: number;
  segments: number;
  /** A level's segments are inputs of a merge not yet finished. */
  merging: boolean;
}

const FTS5_STRUCTURE_ROWID = 10;
const V2 = [0xff, 0x00, 0x00, 0x01];

/** The statement reading a table's structure record; prepared once by the caller. */
export function prepareFts5Structure(db: Db, table: string) {
  return db.prepare<[], Buffer>(`SELECT block FROM ${table}_data WHERE id = ${FTS5_STRUCTURE_ROWID}`).pluck();
}

export function fts5Totals(block: Buffer | undefined): Fts5Totals {
  const totals: Fts5Totals = { rows: 0, tombstones: 0, segments: 0, merging: false };
  if (!block) return totals;
  let at = 4;
  const v2 = V2.every((byte, i) => block[4 + i] === byte);
  if (v2) at += 4;
  // SQLite's varint: big-endian groups of 7 bits, the high bit for "more"; a 9th byte holds 8.
  // Counts of rows stay far below 2^53, so a double holds them exactly.
  const varint = (): number => {
    let v = 0;
    for (let i = 0; i < 9; i++) {
      const byte = block[at++];
      if (byte === undefined) throw new Error('the search index structure record is truncated');
      if (i === 8) return v * 256 + byte;
      v = v * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
    return v;
  };
  const levels = varint();
  totals.segments = varint();
  varint(); // write counter
  for (let l = 0; l < levels; l++) {
    if (varint() > 0) totals.merging = true;
    const n = varint();
    for (let s = 0; s < n; s++) {
      varint(); // segment id
      varint(); // first leaf page
      varint(); // last leaf page
      if (!v2) continue;
      varint(); // origin range
      varint();
      varint(); // tombstone hash pages
      totals.tombstones += varint();
      totals.rows += varint();
    }
  }
  return totals;
}
