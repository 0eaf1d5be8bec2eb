/**
 * The pure half of the gate for received events (remote-events.ts), as a function over
 * plain data so it can run on a worker thread (core/mesh/frame-preparer.ts) while the
 * console's thread stores the batch before: each payload against its type's schema, each
 * event's canonical text and author hash, and the signature checks the author check will
 * want, against the keys the console had when the batch arrived.
 *
 * Nothing here decides. The console's thread runs the same gate over its own keyring,
 * held events, revocations and clock and only takes these answers instead of computing
 * them again (verify-event.ts `PreparedEnvelope`); where this guessed differently (a key
 * learnt from the batch before, a run the held feed breaks) it checks for itself. So a
 * batch is refused with the same code and message with or without this step.
 */
import { chainHashOf } from '../../../src-common/chain-hash.ts';
import { sameJson } from '../../../src-shared/same-json.ts';
import {
  authorHashOf,
  createKeyring,
  verifyBytes,
  verifyByRuns,
  type AuthoredEvent,
  type KeyringEntry,
  type PreparedEnvelope,
} from '../../../src-common/trust/index.ts';
import { parseEventPayload, parseEventPayloadForLater, type EventEnvelope } from '../../../src-shared/events.ts';
import { quickExactPayload } from '../../../src-shared/payload-quick.ts';
import { canonicalEnvelope, DeviceEnrolledPayload, type TrustVerdict } from '../../../src-shared/signed-envelope.ts';

/** One received event, prepared ahead. */
export interface ReceivedPrep extends PreparedEnvelope {
  /** The payload's first schema issue as the gate words it (`payload.<field>: <message>`), or null. */
  payloadIssue: string | null;
  /**
   * The payload parsed, and its schema's output is the payload itself, member for member in the
   * same order (nothing stripped, defaulted or transformed). A structured clone of such a payload
   * is what the schema gives, so the console's thread may hand it to the fold as parsed
   * (remote-events.ts) instead of running zod on it a second time.
   */
  payloadExact?: boolean;
  /**
   * Its chain hash in the console's log, computed ahead from the hash the worker expected the
   * row before it to hold (ChainAhead); the append takes it only where that row holds exactly
   * `prevHash`.
   */
  chain?: { prevHash: string; hash: string } | undefined;
}

/**
 * The payload's first schema issue as the gate's refusal names it, or null when it parses (the
 * parse is then handed to the fold of the append that follows: parseEventPayloadForLater).
 */
export function payloadIssueOf(event: Pick<EventEnvelope, 'type' | 'payload'>): string | null {
  const payload = parseEventPayloadForLater(event.type, event.payload);
  if (payload.success) return null;
  const issue = payload.error.issues[0];
  return `payload.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
}

/**
 * The payload's issue as payloadIssueOf words it, and whether the schema's output is the payload
 * itself. Not handed to a later parse (parseEventPayloadForLater): this runs on the frame worker,
 * where no fold follows, and each hand-over is a WeakMap entry its GC would carry for nothing
 * (5 % of the worker's profile); the console's thread learns `exact` instead.
 */
export function payloadCheck(event: Pick<EventEnvelope, 'type' | 'payload'>): { issue: string | null; exact: boolean } {
  // The quick check beside zod (payload-quick.ts) answers only "valid, and the schema's output is the payload".
  if (quickExactPayload(event.type, event.payload)) return QUICK_EXACT;
  const payload = parseEventPayload(event.type, event.payload);
  if (payload.success) return { issue: null, exact: sameJson(payload.data, event.payload) };
  const issue = payload.error.issues[0];
  return { issue: `payload.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, exact: false };
}

const QUICK_EXACT: { issue: null; exact: true } = { issue: null, exact: true };

/** No signature checked for this event (shared, never written: a check gives the event a map of its own). */
const NO_CHECKS: ReadonlyMap<string, boolean> = new Map();

const REFUSED: TrustVerdict = { ok: false, code: 'bad_signature', field: 'sig', reason: 'not verified here' };
const ACCEPTED: TrustVerdict = { ok: true, preSignature: false };

/**
 * Prepares `events` (in batch order) against `entries`, the console's keyring when the
 * batch was posted, plus the keys the batch's own `device.enrolled` records name (whether
 * the console takes a record is its thread's decision; checking against its key is only
 * a guess that saves work when it does). Signatures are checked the way the author check
 * will: by author runs, one check per linked run, each event of a run whose head fails.
 */
export function prepareReceived(events: readonly EventEnvelope[], entries: readonly KeyringEntry[]): ReceivedPrep[] {
  const keyring = createKeyring(entries);
  for (const event of events) {
    if (event.type !== 'device.enrolled') continue;
    const record = DeviceEnrolledPayload.safeParse(event.payload);
    if (record.success) {
      keyring.add({ deviceId: record.data.deviceId, publicKey: record.data.publicKey, facility: record.data.facility });
    }
  }
  const preps = new Map<object, ReceivedPrep>();
  for (const event of events) {
    const signed = (event as AuthoredEvent).sig;
    const canonical = signed === undefined ? null : canonicalEnvelope(event);
    const payload = payloadCheck(event);
    preps.set(event, {
      payloadIssue: payload.issue,
      payloadExact: payload.exact,
      canonical,
      authorHash: canonical !== null && event.deviceSeq !== undefined ? authorHashOf(canonical, signed!) : null,
      // Most events of a run are never checked themselves (the head's check covers them).
      signatures: NO_CHECKS,
    });
  }
  verifyByRuns(events, {
    prepared: (event) => preps.get(event),
    // The held feed is the console's to check: here every run is taken to start where it holds.
    heldHash: () => null,
    verifyOne(event) {
      const prep = preps.get(event)!;
      if (event.sig === undefined || prep.canonical === null) return REFUSED;
      const bytes = Buffer.from(prep.canonical, 'utf8');
      const signature = Buffer.from(event.sig, 'base64url');
      const signatures =
        prep.signatures === NO_CHECKS ? new Map<string, boolean>() : (prep.signatures as Map<string, boolean>);
      prep.signatures = signatures;
      for (const entry of keyring.entries(event.deviceId)) {
        if (entry.publicKey === null || signatures.has(entry.publicKey)) continue;
        let key;
        try {
          key = keyring.keyObject(entry.publicKey);
        } catch {
          continue; // not a key: the console's thread meets the same error itself
        }
        const ok = verifyBytes(key, bytes, signature);
        signatures.set(entry.publicKey, ok);
        if (ok) return ACCEPTED;
      }
      return REFUSED;
    },
  });
  return events.map((event) => preps.get(event)!);
}

/**
 * prepareReceived's answers for a frame's events as a few flat columns, the form the frame
 * worker posts back: a structured clone of one object per event, each with a Map of signature
 * checks, cost the worker a serialisation and the console's thread a rebuild of every object
 * (with GC on both); texts end to end in one string and numbers in typed arrays clone as
 * copies of their bytes. `unpackReceived` gives the same ReceivedPrep values back.
 */
export interface PackedPreps {
  count: number;
  /** The canonical texts end to end; `canonicalAt[2i]`, `[2i + 1]`: where event i's starts and ends (-1: null). */
  canonicals: string;
  canonicalAt: Int32Array;
  /** The author hashes end to end, placed the same way. */
  authorHashes: string;
  authorHashAt: Int32Array;
  /** 1 where the payload's schema output is the payload itself (`payloadExact`). */
  exact: Uint8Array;
  /** Events whose payload has an issue (few: a bad payload refuses the batch), and the issue. */
  issueAt: number[];
  issues: string[];
  /** Signature checks run (one per author run, mostly): event index, public key, outcome (1 good). */
  checkAt: number[];
  checkKey: string[];
  checkOk: number[];
  /** The first events' chain hashes (64 hex characters each) from `chainStart` (ChainAhead), or none. */
  chainStart: string | null;
  chainHashes: string;
}

/** A column of optional texts as one string and their places in it (-1 for a null). */
function packTexts(values: readonly (string | null)[]): { text: string; at: Int32Array } {
  const at = new Int32Array(values.length * 2);
  const parts: string[] = [];
  let offset = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      at[2 * i] = -1;
      at[2 * i + 1] = -1;
      continue;
    }
    parts.push(value);
    at[2 * i] = offset;
    offset += value.length;
    at[2 * i + 1] = offset;
  }
  return { text: parts.join(''), at };
}

function textAt(text: string, at: Int32Array, i: number): string | null {
  const start = at[2 * i]!;
  return start < 0 ? null : text.slice(start, at[2 * i + 1]);
}

export function packReceived(
  preps: readonly ReceivedPrep[],
  chain: { start: string; hashes: readonly string[] } | null = null,
): PackedPreps {
  // Every text goes, although with the author hash and a chain guess in hand the console's thread
  // needs one only where a guess misses: misses are frequent (every frame prepared ahead of one of
  // the console's own events, issue 12m), and without the text each cost that thread the
  // canonical text as well as the hash (`canonicalEnvelope` 3.3 % of its busy time in the mesh
  // bench's profile at 193c800, where the worker kept them), more than unpacking them here saves.
  const canonicals = packTexts(preps.map((p) => p.canonical));
  const hashes = packTexts(preps.map((p) => p.authorHash));
  const packed: PackedPreps = {
    count: preps.length,
    canonicals: canonicals.text,
    canonicalAt: canonicals.at,
    authorHashes: hashes.text,
    authorHashAt: hashes.at,
    exact: new Uint8Array(preps.length),
    issueAt: [],
    issues: [],
    checkAt: [],
    checkKey: [],
    checkOk: [],
    chainStart: chain && chain.hashes.length > 0 ? chain.start : null,
    chainHashes: chain ? chain.hashes.join('') : '',
  };
  for (const [i, prep] of preps.entries()) {
    if (prep.payloadExact === true) packed.exact[i] = 1;
    if (prep.payloadIssue !== null) {
      packed.issueAt.push(i);
      packed.issues.push(prep.payloadIssue);
    }
    for (const [key, ok] of prep.signatures) {
      packed.checkAt.push(i);
      packed.checkKey.push(key);
      packed.checkOk.push(ok ? 1 : 0);
    }
  }
  return packed;
}

export function unpackReceived(packed: PackedPreps): ReceivedPrep[] {
  const checks = new Map<number, Map<string, boolean>>();
  for (let j = 0; j < packed.checkAt.length; j++) {
    const i = packed.checkAt[j]!;
    let map = checks.get(i);
    if (!map) checks.set(i, (map = new Map()));
    map.set(packed.checkKey[j]!, packed.checkOk[j] === 1);
  }
  const issues = new Map<number, string>();
  for (let j = 0; j < packed.issueAt.length; j++) issues.set(packed.issueAt[j]!, packed.issues[j]!);
  const out = new Array<ReceivedPrep>(packed.count);
  const chained = packed.chainStart === null ? 0 : packed.chainHashes.length / CHAIN_HASH_LENGTH;
  let prevHash = packed.chainStart;
  for (let i = 0; i < packed.count; i++) {
    let chain: ReceivedPrep['chain'];
    if (i < chained) {
      const hash = packed.chainHashes.slice(i * CHAIN_HASH_LENGTH, (i + 1) * CHAIN_HASH_LENGTH);
      chain = { prevHash: prevHash!, hash };
      prevHash = hash;
    }
    const payloadIssue = issues.get(i) ?? null;
    const payloadExact = packed.exact[i] === 1;
    const canonical = textAt(packed.canonicals, packed.canonicalAt, i);
    const authorHash = textAt(packed.authorHashes, packed.authorHashAt, i);
    const signatures = checks.get(i) ?? NO_CHECKS;
    // Two literals rather than a spread of `{ chain }` or `{}`: that was a third object per
    // event on the console's thread (round 12t). The same members, `chain` last when there.
    out[i] = chain
      ? { payloadIssue, payloadExact, canonical, authorHash, signatures, chain }
      : { payloadIssue, payloadExact, canonical, authorHash, signatures };
  }
  return out;
}

const CHAIN_HASH_LENGTH = 64;

/**
 * Where the console's thread stands when it posts a frame: its log's last chain hash, and the
 * last frame (by job number) it has stored since; `job` is this frame's number.
 */
export interface ChainPlan {
  job: number;
  head: string;
  storedThrough: number;
}

/**
 * The frame worker's guess of each received event's chain hash (the console's log chain,
 * src-common/chain-hash.ts), so the console's thread need not hash it while it stores the
 * batch. A frame is stored after the frames posted before it that the console has not stored
 * yet, so the worker chains it from the console's last hash through those frames' events; it
 * keeps their canonical texts until the console says it stored them, and chains a kept frame
 * again where the hash it started from was not the one now expected (something else was stored
 * in between: the console's own events, another peer's, a refused or already held event). Only
 * a guess: the append takes a hash only where the row before holds the hash it was computed
 * from, and computes it otherwise.
 */
export function createChainAhead(keep = 16) {
  /** Per frame kept: its chain now, and the start the console's thread holds guesses from (`told`). */
  const pending: { job: number; start: string; hashes: string[]; told: string; canonicals: readonly string[] }[] = [];
  const chainFrom = (start: string, canonicals: readonly string[]): string[] => {
    const hashes = new Array<string>(canonicals.length);
    let prev = start;
    for (let i = 0; i < canonicals.length; i++) prev = hashes[i] = chainHashOf(prev, canonicals[i]!);
    return hashes;
  };
  /** Drops the stored frames and chains the others again from `head` where they no longer start from the hash expected. */
  const follow = (head: string, storedThrough: number): string => {
    while (pending.length > 0 && pending[0]!.job <= storedThrough) pending.shift();
    let expected = head;
    for (const frame of pending) {
      if (frame.start !== expected) {
        frame.start = expected;
        frame.hashes = chainFrom(expected, frame.canonicals);
      }
      expected = frame.hashes.at(-1) ?? expected;
    }
    return expected;
  };
  return {
    /** The chain of a frame's events (their canonical texts in order; null: unknown, the chain stops there). */
    chain(plan: ChainPlan, canonicals: readonly (string | null)[]): { start: string; hashes: string[] } {
      const expected = follow(plan.head, plan.storedThrough);
      const known = canonicals.indexOf(null);
      const texts = (known < 0 ? canonicals : canonicals.slice(0, known)) as string[];
      const hashes = chainFrom(expected, texts);
      // A frame with an event the worker has no text for ends every chain after it too.
      if (known >= 0) pending.length = 0;
      else pending.push({ job: plan.job, start: expected, hashes, told: expected, canonicals: texts });
      if (pending.length > keep) pending.shift();
      return { start: expected, hashes };
    },
    /**
     * The frames answered and not yet stored whose guesses the console's thread holds from a
     * start that is no longer the one expected, chained from `head`: the console's own events
     * (its escalation runner, a line's status) went into the log after those guesses were made,
     * and every guess of every frame prepared ahead then missed (more than half of a catch-up's
     * events in the mesh bench, issue 12m). The console's thread puts the new guesses on the
     * frames still queued.
     */
    rechain(plan: Pick<ChainPlan, 'head' | 'storedThrough'>): RechainedFrame[] {
      follow(plan.head, plan.storedThrough);
      const out: RechainedFrame[] = [];
      for (const frame of pending) {
        if (frame.told === frame.start) continue;
        frame.told = frame.start;
        out.push({ job: frame.job, start: frame.start, hashes: frame.hashes.join('') });
      }
      return out;
    },
  };
}

/** A frame's chain guesses made again (ChainAhead `rechain`): its first event's from `start`, all hashes end to end. */
export interface RechainedFrame {
  job: number;
  start: string;
  hashes: string;
}

/**
 * Puts a rechained frame's guesses on its prepared events (in batch order, as unpackReceived
 * gives them). `from`: the frame's events before it were stored already and `preps` holds the
 * rest (the peer session stored the front of the frame in a merge: MESH_SPLIT_LEAST).
 */
export function applyRechain(preps: readonly ReceivedPrep[], rechained: RechainedFrame, from = 0): void {
  let prevHash =
    from === 0 ? rechained.start : rechained.hashes.slice((from - 1) * CHAIN_HASH_LENGTH, from * CHAIN_HASH_LENGTH);
  const n = Math.min(preps.length, rechained.hashes.length / CHAIN_HASH_LENGTH - from);
  for (let i = 0; i < n; i++) {
    const at = from + i;
    const hash = rechained.hashes.slice(at * CHAIN_HASH_LENGTH, (at + 1) * CHAIN_HASH_LENGTH);
    preps[i]!.chain = { prevHash, hash };
    prevHash = hash;
  }
}
export type ChainAhead = ReturnType<typeof createChainAhead>;
