/**
 * Per-author hash chains, verified by runs (Secure Scuttlebutt's feed model, issue 12/16).
 *
 * Every event a console authors carries `prev`: the author hash of the same author's
 * previous event (deviceSeq − 1), i.e. sha256 over its signed form — canonical envelope
 * *and* signature (`authorSignedForm`, src-shared/signed-envelope.ts). `prev` is inside
 * the signed bytes. So in a contiguous run seq a..b of one author in which each event's
 * `prev` is the author hash of the event before it, the signature on b covers b's bytes,
 * which fix a's..(b−1)'s bytes through the hashes, their signatures included: one Ed25519
 * verification (≈100 µs) authenticates the run, the other events cost one sha256 over text
 * the receiver canonicalises anyway (a few µs).
 *
 * Rules, the same at the tracker, a console pulling and a console taking a peer's batch:
 * - a run's first event's `prev` is checked against the author hash of seq a−1 the receiver
 *   already holds (when it holds it). A mismatch is a fork or a tamper: the run is verified
 *   event by event and the event whose `prev` contradicts the held feed is refused
 *   (`fork`, field `prev`);
 * - any break — no `prev`, a gap, a `prev` that is not its predecessor's hash, a head whose
 *   signature fails (another device's key, tampered bytes) — falls back to the per-event
 *   rule for that run, so exactly the bad events are refused and the good ones pass;
 * - events signed before chains existed (no `prev`) and pre-signature events go through
 *   the receiver's per-event rule, unchanged.
 *
 * Limit: an author that signs a run whose middle event carries a broken signature of its
 * own gets that run accepted here (its key vouched for those bytes), while a receiver that
 * later gets that event alone refuses it. Only the key's holder can build such a run, and it
 * only ever hurts its own feed. Two different events with one deviceSeq, both signed by the
 * author (equivocation, or a data directory restored from an old backup), are caught where
 * the receiver holds one of them as a predecessor; other equivocation is out of scope.
 */
import { sha256OfJoined } from '../chain-hash.ts';
import { canonicalEnvelope, type TrustVerdict } from '../../src-shared/signed-envelope.ts';
import type { AuthoredEvent, PreparedEnvelope } from './verify-event.ts';

/** The author hash of a signed event from its canonical text: sha256, base64url (43 characters). */
export function authorHashOf(canonical: string, sig: string): string {
  // One-shot: the same digest without a Hash object per event (the receiver's frame worker
  // computes one per received event; a Hash object cost about as much as the digest).
  // authorSignedForm's bytes (canonical, a newline, sig) without building its text (sha256OfJoined).
  return sha256OfJoined('base64url', canonical, '\n', sig);
}

/** The author hash of a signed event; null for an unsigned one (pre-signature events end no chain). */
export function authorHash(event: AuthoredEvent): string | null {
  if (event.sig === undefined) return null;
  return authorHashOf(canonicalEnvelope(event), event.sig);
}

export interface RunVerifyOptions {
  /** The receiver's full per-event rule (keyring, facility, pre-signature policy). */
  verifyOne(event: AuthoredEvent): TrustVerdict;
  /**
   * The author hash of `deviceId`'s event `seq` that the receiver already holds, or null
   * when it holds none (then a run's start is authenticated by its head alone).
   */
  heldHash(deviceId: string, seq: number): string | null;
  /** An event's canonical text and author hash computed ahead (verify-event.ts `PreparedEnvelope`). */
  prepared?: (event: AuthoredEvent) => PreparedEnvelope | undefined;
}

export interface RunVerdicts {
  /** One verdict per input event, in input order. */
  verdicts: TrustVerdict[];
  /** Ed25519 verifications actually run (for the bench and logs). */
  signatureChecks: number;
  /** Runs of two or more events accepted on their head's signature. */
  runs: number;
  /** Author hash of each input event (null where unsigned), for the receiver to store. */
  hashes: (string | null)[];
  /**
   * Canonical text of each input event hashed here, so the receiver need not compute it again
   * (null where unsigned, or where its author hash came prepared without it).
   */
  canonicals: (string | null)[];
}

const ACCEPTED: TrustVerdict = { ok: true, preSignature: false };

export function verifyByRuns(events: readonly AuthoredEvent[], options: RunVerifyOptions): RunVerdicts {
  const verdicts: (TrustVerdict | undefined)[] = new Array<TrustVerdict | undefined>(events.length);
  const hashes: (string | null)[] = new Array<string | null>(events.length).fill(null);
  const canonicals: (string | null)[] = new Array<string | null>(events.length).fill(null);
  const byAuthor = new Map<string, number[]>();
  let signatureChecks = 0;
  let runs = 0;

  for (const [i, e] of events.entries()) {
    if (e.sig === undefined || e.deviceSeq === undefined) continue;
    const prepared = options.prepared?.(e);
    // With the author hash computed ahead (the frame worker), the text is needed only where a
    // signature is checked here, which computes it then (verify-event.ts `verifyEnvelope`).
    const authorHash = prepared?.authorHash ?? null;
    const canonical = prepared?.canonical ?? (authorHash !== null ? null : canonicalEnvelope(e));
    canonicals[i] = canonical;
    hashes[i] = authorHash ?? authorHashOf(canonical!, e.sig);
    const list = byAuthor.get(e.deviceId);
    if (list) list.push(i);
    else byAuthor.set(e.deviceId, [i]);
  }

  const one = (i: number) => {
    const event = events[i]!;
    const verdict = options.verifyOne(event);
    if (event.sig !== undefined) signatureChecks += 1;
    verdicts[i] = verdict.ok ? (forkCheck(event, options) ?? verdict) : verdict;
  };

  for (const [deviceId, indexes] of byAuthor) {
    // A feed arrives in order (a catch-up's batches): checking that costs less than a sort's
    // comparator calls, which were a receiver's largest cost here.
    let ordered = true;
    for (let j = 1; j < indexes.length && ordered; j += 1)
      ordered = events[indexes[j - 1]!]!.deviceSeq! <= events[indexes[j]!]!.deviceSeq!;
    if (!ordered) indexes.sort((x, y) => events[x]!.deviceSeq! - events[y]!.deviceSeq!);
    let start = 0;
    for (let j = 1; j <= indexes.length; j += 1) {
      const linked =
        j < indexes.length &&
        events[indexes[j]!]!.deviceSeq === events[indexes[j - 1]!]!.deviceSeq! + 1 &&
        events[indexes[j]!]!.prev === hashes[indexes[j - 1]!];
      if (linked) continue;
      const run = indexes.slice(start, j);
      start = j;
      if (run.length < 2) continue; // a single event: per-event below
      const first = events[run[0]!]!;
      const held = first.prev === undefined ? null : options.heldHash(deviceId, first.deviceSeq! - 1);
      if (held !== null && held !== first.prev) continue; // fork or tamper at the start: event by event
      const head = run.at(-1)!;
      const verdict = options.verifyOne(events[head]!);
      signatureChecks += 1;
      if (!verdict.ok || verdict.preSignature) continue; // event by event finds exactly the bad ones
      for (const i of run) verdicts[i] = ACCEPTED;
      runs += 1;
    }
  }

  for (let i = 0; i < events.length; i += 1) if (verdicts[i] === undefined) one(i);
  return { verdicts: verdicts as TrustVerdict[], signatureChecks, runs, hashes, canonicals };
}

/** A `prev` that contradicts the author hash the receiver holds for seq − 1. */
function forkCheck(event: AuthoredEvent, options: RunVerifyOptions): TrustVerdict | null {
  if (event.prev === undefined || event.deviceSeq === undefined || event.deviceSeq < 2) return null;
  const held = options.heldHash(event.deviceId, event.deviceSeq - 1);
  if (held === null || held === event.prev) return null;
  return {
    ok: false,
    code: 'fork',
    field: 'prev',
    reason:
      `event ${event.id}: prev does not match ${event.deviceId}'s event ${event.deviceSeq - 1} held here ` +
      '(a fork of that device’s feed, or a tampered link)',
  };
}
