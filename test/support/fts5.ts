/**
 * An FTS5 index's shape, read from its structure record (the `%_data` row with id 10), as
 * SQLite's fts5StructureDecode reads it (fts5_index.c): a 4-byte cookie, an optional
 * "structure v2" marker, the level and segment counts, the write counter, then per level the
 * segments under merge and the segments, each with its id and leaf page range (v2: its origin
 * range, tombstone pages and tombstones, and rows). SQLite offers this only in test builds
 * (`fts5_structure()`), so the tests and benches read the record themselves.
 */
import type { Database } from 'better-sqlite3';

export interface FtsSegment {
  id: number;
  firstPage: number;
  lastPage: number;
  tombstones: number;
}

export interface FtsShape {
  /** Per level, oldest data last: the segments, and how many of them a merge is consuming. */
  levels: { merging: number; segments: FtsSegment[] }[];
  segments: number;
  writeCounter: number;
}

const V2 = Buffer.from([0xff, 0x00, 0x00, 0x01]);

export function ftsShape(db: Database, table = 'incidents_fts'): FtsShape {
  const row = db.prepare(`SELECT block FROM ${table}_data WHERE id = 10`).get() as { block: Buffer } | undefined;
  if (!row) return { levels: [], segments: 0, writeCounter: 0 };
  const b = row.block;
  let at = 4;
  const v2 = b.subarray(4, 8).equals(V2);
  if (v2) at += 4;
  // SQLite's varint: big-endian groups of 7 bits, a high bit for "more"; the 9th byte has 8.
  const varint = (): number => {
    let v = 0n;
    for (let i = 0; i < 9; i++) {
      const byte = b[at++]!;
      if (i === 8) return Number((v << 8n) | BigInt(byte));
      v = (v << 7n) | BigInt(byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
    return Number(v);
  };
  const levelCount = varint();
  const segments = varint();
  const writeCounter = varint();
  const levels: FtsShape['levels'] = [];
  for (let l = 0; l < levelCount; l++) {
    const merging = varint();
    const n = varint();
    const segs: FtsSegment[] = [];
    for (let s = 0; s < n; s++) {
      const id = varint();
      const firstPage = varint();
      const lastPage = varint();
      let tombstones = 0;
      if (v2) {
        varint(); // origin 1
        varint(); // origin 2
        varint(); // tombstone pages
        tombstones = varint();
        varint(); // rows
      }
      segs.push({ id, firstPage, lastPage, tombstones });
    }
    levels.push({ merging, segments: segs });
  }
  return { levels, segments, writeCounter };
}

/** The segments of each level, as a short text ("3 1 0 2"): for failure messages and logs. */
export function ftsLevels(shape: FtsShape): string {
  return shape.levels.map((l) => l.segments.length).join(' ');
}
