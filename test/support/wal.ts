/**
 * Where a WAL's last committed frame ends, in bytes from the file's start. Not the file's
 * size: the store writes its WAL to a working size at open (src-common/sqlite-checkpointer.ts,
 * presizeWal), and frames overwrite it in place. The wal-index in `<file>-shm`
 * (sqlite.org/walformat.html, "the WAL-index header") holds what every connection reads:
 * mxFrame, the last valid frame, at byte 16 and the page size at byte 14, in the machine's
 * byte order. 0 when there is no wal-index (no connection has the file open in WAL mode).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import os from 'node:os';

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export function walEnd(file: string): number {
  const header = Buffer.alloc(48);
  let fd: number;
  try {
    fd = openSync(`${file}-shm`, 'r');
  } catch {
    return 0;
  }
  try {
    if (readSync(fd, header, 0, header.length, 0) < header.length) return 0;
  } finally {
    closeSync(fd);
  }
  const le = os.endianness() === 'LE';
  const pageSize = le ? header.readUInt16LE(14) : header.readUInt16BE(14);
  const frames = le ? header.readUInt32LE(16) : header.readUInt32BE(16);
  return frames === 0 ? 0 : WAL_HEADER + frames * (pageSize + FRAME_HEADER);
}
