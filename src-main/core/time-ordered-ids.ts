/**
 * Ids for what this console creates (events, incidents, notes): UUIDv7 (RFC 9562) made by
 * the uuid package, with random bytes from a pool that node:crypto fills 256 ids at a time.
 * uuid's own source calls WebCrypto's getRandomValues for every id; that was ~5 µs per id,
 * two or three per incident command (node --cpu-prof, issue 16). When uuid is given the
 * random bytes it no longer keeps its counter within a millisecond, so this keeps it as
 * uuid's v7 does (RFC 9562 §6.2, method 1: seeded from the random bits at each new
 * millisecond, raised by one within it): ids made here stay strictly increasing.
 */
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let next = pool.length;
let msecs = -Infinity;
let seq = 0;

export function timeOrderedId(now: number = Date.now()): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const random = pool.subarray(next, next + 16);
  next += 16;
  if (now > msecs) {
    msecs = now;
    seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) msecs += 1;
  }
  return v7({ random, msecs, seq });
}
