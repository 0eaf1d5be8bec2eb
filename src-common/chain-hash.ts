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
  return oneShotHash('sha256', prevHash + canonical, 'hex');
}
