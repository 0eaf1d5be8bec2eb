/**
 * The console's log chain (event-store.ts): each row's hash is sha256 (hex) over the hash of
 * the row before it and the event's canonical envelope text, both as UTF-8. One function for
 * the store's append and its chain check and for the mesh frame worker, which computes a
 * received frame's chain ahead from the hash it expects the log to end with when the frame is
 * stored (core/sync/received-prep.ts); the append takes such a hash only where the row before
 * holds exactly that expected hash.
 */
import { hash as oneShotHash } from 'node:crypto';

export function chainHashOf(prevHash: string, canonical: string): string {
  // One-shot: the same bytes without a Hash object per event, which cost twice the digest
  // itself over a catch-up's tens of thousands (receiver's profile, issue 12i).
  return sha256OfJoined('hex', prevHash, canonical);
}

/** Bytes for sha256OfJoined, kept per thread (each worker loads its own copy of this module). */
let joined = Buffer.allocUnsafe(8 * 1024);
/**
 * Views of `joined` from its start, by length: a view per hash was an object per hash (2.1 MB
 * of a catch-up's append path, receive-costs --heap with inlining off, round 12t), while a
 * catch-up's texts come in a few hundred lengths. Emptied when `joined` is replaced, and past
 * VIEWS lengths.
 */
const views = new Map<number, Buffer>();
const VIEWS = 1_024;

/**
 * sha256 of the UTF-8 bytes of `a`, `b`, `c` and `d` one after another: the same digest as hashing their
 * concatenation, without it. Hashing `a + b` made a string of the whole text and copied it
 * flat (V8 flattens a concatenation before its bytes can be read), a canonical text's length
 * of garbage per hash; the receiver hashes each event's text twice (its chain and its author
 * hash), on the frame worker in a catch-up: 14.6 MB of the append path's 87.0 MB sampled
 * (node test/bench/receive-costs.ts --heap, round 12s). Here each part's bytes are written
 * into one buffer kept for the next call, and the digest reads a view of it (`views`). Synchronous:
 * nothing else writes the buffer between the writes and the digest.
 */
export function sha256OfJoined(encoding: 'hex' | 'base64url', a: string, b: string, c = '', d = ''): string {
  // Four parameters rather than a rest array: no array per hash.
  // A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair: 4 bytes for 2 units).
  const most = (a.length + b.length + c.length + d.length) * 3;
  if (joined.length < most) {
    joined = Buffer.allocUnsafe(Math.max(most, joined.length * 2));
    views.clear();
  }
  let length = joined.write(a, 0, 'utf8');
  length += joined.write(b, length, 'utf8');
  if (c !== '') length += joined.write(c, length, 'utf8');
  if (d !== '') length += joined.write(d, length, 'utf8');
  let view = views.get(length);
  if (!view) {
    if (views.size >= VIEWS) views.clear();
    views.set(length, (view = joined.subarray(0, length)));
  }
  return oneShotHash('sha256', view, encoding);
}
