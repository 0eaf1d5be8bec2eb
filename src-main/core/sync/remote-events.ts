/**
 * The one gate for events this console did not author, whether a peer on the LAN or the
 * tracker delivered them: the same checks the tracker applies to a push (payload schema,
 * HLC form, not far in the future, one id = one fact), the author's signature and key
 * (issue 12a's keyring), then a single append transaction that also moves the link's
 * cursor. A batch that breaks the wire rules (bad payload, clock skew, one id with two
 * contents) is refused whole. Signatures are checked by author runs (issue 12/16): events
 * whose signature or author link fails are refused and logged one by one, the batch's good
 * events are stored, and the sender is still told (and disconnected) — a forged event in
 * between good ones is caught without losing the good ones around it.
 */
import { isDerivedEventId } from '../../../src-shared/derived-ids.ts';
import { markParsed, type EventEnvelope } from '../../../src-shared/events.ts';
import { HLC_WALL_DIGITS, isHlc, type HybridLogicalClock } from '../../../src-shared/hlc.ts';
import { MAX_FUTURE_HLC_MS } from '../../../src-shared/sync-wire.ts';
import { canonicalEvent, type AppendResult, type EventStore, type PreparedEvent } from '../store/event-store.ts';
import { payloadIssueOf, type ReceivedPrep } from './received-prep.ts';

export interface RemoteRefusal {
  code: 'bad_event' | 'bad_signature' | 'clock_skew';
  message: string;
  eventId: string | null;
}

/**
 * The author checks of issue 12a's keyring: splits a batch into events whose signature and
 * author hold and refused ones (which it logs). In order, so a verified `device.enrolled`
 * record makes its device's later events in the same batch verifiable.
 */
export interface AuthorCheck {
  screen<E extends EventEnvelope>(
    events: readonly E[],
    source: `peer:${string}`,
    ahead?: ReadonlyMap<object, ReceivedPrep>,
    held?: ReadonlySet<string>,
  ): { accepted: E[]; refused: number; withheld?: number; prepared?: ReadonlyMap<object, PreparedEvent> };
  refused(limit?: number): { eventId: string; code: string; reason: string }[];
}

export interface RemoteEventsDeps {
  store: EventStore;
  clock: HybridLogicalClock;
  wallClock: () => number;
  authors?: AuthorCheck | null;
  maxFutureHlcMs?: number;
}

export interface RemoteBatch {
  events: readonly (EventEnvelope & Record<string, unknown>)[];
  /** Tracker seq of events whose origin already holds them at the tracker. */
  serverSeqById?: ReadonlyMap<string, number>;
  alsoInTransaction?: () => void;
  /**
   * Commit without waiting for the disk (`AppendOptions.flushLater`): for a sender that sends
   * the batch again unless told it is stored, and is told only once `store.flushed()` settles
   * (a peer's feed, mesh.ts). The cursor written by `alsoInTransaction` is in the same commit,
   * so a power cut takes both back and the sender starts again from the old cursor.
   */
  flushLater?: boolean;
}

function sameFact(a: EventEnvelope, b: EventEnvelope): boolean {
  // A derived id names a fact several consoles record independently: their envelopes differ.
  if (isDerivedEventId(a.id)) return a.streamId === b.streamId && a.type === b.type;
  return canonicalEvent(a) === canonicalEvent(b);
}

export function createRemoteEvents(deps: RemoteEventsDeps) {
  const maxFuture = deps.maxFutureHlcMs ?? MAX_FUTURE_HLC_MS;

  /**
   * `ahead[i]`, when given, is what received-prep.ts computed for `events[i]` off this thread.
   * Also answers the ids the log holds, for the author check and the append after it.
   */
  function check(
    events: RemoteBatch['events'],
    ahead?: readonly (ReceivedPrep | undefined)[],
  ): { refused: RemoteRefusal | null; held: ReadonlySet<string> } {
    // One statement for the whole batch (a catch-up's batches are fresh: it finds nothing).
    const held = deps.store.heldEvents(events.map((event) => event.id));
    return { refused: rulesBroken(events, held, ahead), held: new Set(held.keys()) };
  }

  function rulesBroken(
    events: RemoteBatch['events'],
    held: ReadonlyMap<string, EventEnvelope>,
    ahead?: readonly (ReceivedPrep | undefined)[],
  ): RemoteRefusal | null {
    const now = deps.wallClock();
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const prep = ahead?.[i];
      const payloadIssue = prep ? prep.payloadIssue : payloadIssueOf(event);
      if (payloadIssue !== null)
        return { code: 'bad_event', eventId: event.id, message: `event ${event.id} ${payloadIssue}` };
      // Prepared on a worker thread: its zod parse gave this payload back unchanged (a structured
      // clone of it), so the fold takes it as parsed instead of running zod again. Only an event
      // the preparer validated is marked; any other is parsed by the fold as before. A member on
      // the fresh object, not a WeakMap entry per received event (16q's mark for HQ's fold; the
      // entries were ~45 ms of a 21,674-event catch-up's main thread, round 12q).
      if (prep?.payloadExact === true && typeof event.payload === 'object' && event.payload !== null)
        markParsed(event.type, event.payload);
      if (!isHlc(event.hlc))
        return { code: 'bad_event', eventId: event.id, message: `event ${event.id} hlc: not an HLC` };
      // The wall time is the first digits of a timestamp isHlc accepted, read without matching
      // the whole pattern again (as the tracker's push check does since 16j).
      const aheadMs = Number(event.hlc.slice(0, HLC_WALL_DIGITS)) - now;
      if (aheadMs > maxFuture) {
        return {
          code: 'clock_skew',
          eventId: event.id,
          message: `event ${event.id} is ${Math.round(aheadMs / 3_600_000)} h ahead of this console's clock`,
        };
      }
      const copy = held.get(event.id);
      if (copy && !sameFact(copy, event)) {
        return { code: 'bad_event', eventId: event.id, message: `event ${event.id} differs from the copy held here` };
      }
    }
    return null;
  }

  function checkAuthors<E extends RemoteBatch['events'][number]>(
    events: readonly E[],
    source: `peer:${string}`,
    ahead: ReadonlyMap<object, ReceivedPrep>,
    held: ReadonlySet<string>,
  ): { accepted: readonly E[]; refusal: RemoteRefusal | null; prepared?: ReadonlyMap<object, PreparedEvent> } {
    if (!deps.authors || events.length === 0) return { accepted: events, refusal: null };
    const { accepted, refused, prepared } = deps.authors.screen(events, source, ahead, held);
    // Withheld events (a revoked device's, after its cutoff) are dropped, the rest stored.
    if (refused === 0) return { accepted, refusal: null, ...(prepared ? { prepared } : {}) };
    const last = deps.authors.refused(1)[0];
    return {
      accepted,
      ...(prepared ? { prepared } : {}),
      refusal: {
        code: 'bad_signature',
        eventId: last?.eventId ?? null,
        message: `${refused} event(s) refused by author check${last ? `: ${last.code}: ${last.reason}` : ''}`,
      },
    };
  }

  return {
    check,
    /**
     * Check, then store. A wire-rule refusal stores nothing; an author refusal stores the
     * batch's good events (and moves the cursor past the refused ones, which are logged)
     * and still answers the refusal, so the sender is told and disconnected. `ahead[i]` is
     * what received-prep.ts computed for `batch.events[i]` on a worker thread, if anything:
     * the same checks run, only without computing that again.
     */
    accept(
      batch: RemoteBatch,
      source: `peer:${string}`,
      ahead?: readonly (ReceivedPrep | undefined)[],
    ): { refused: RemoteRefusal; result?: AppendResult } | { result: AppendResult } {
      const { refused, held } = check(batch.events, ahead);
      if (refused) return { refused };
      const byEvent = new Map<object, ReceivedPrep>();
      // Indexed, not entries(): that made an [i, event] array per event (round 12q).
      if (ahead) {
        for (let i = 0; i < batch.events.length; i++) {
          const prep = ahead[i];
          if (prep) byEvent.set(batch.events[i]!, prep);
        }
      }
      // The held ids were read just now, and nothing writes events until the append: the author
      // check and the append take them instead of each reading them again (receiver's profile).
      const { accepted: events, refusal, prepared } = checkAuthors(batch.events, source, byEvent, held);
      if (events.length > 0) {
        const maxHlc = events.reduce((m, e) => (e.hlc > m ? e.hlc : m), events[0]!.hlc);
        deps.clock.receive(maxHlc);
      }
      const serverSeqById = batch.serverSeqById ?? new Map<string, number>();
      const result = deps.store.append(events, {
        ...(serverSeqById.size > 0 ? { synced: { serverSeqById, syncedAt: deps.wallClock() } } : {}),
        ...(batch.alsoInTransaction ? { alsoInTransaction: batch.alsoInTransaction } : {}),
        ...(batch.flushLater ? { flushLater: true } : {}),
        ...(prepared ? { prepared } : {}),
        heldIds: held,
      });
      return refusal ? { refused: refusal, result } : { result };
    },
  };
}

export type RemoteEvents = ReturnType<typeof createRemoteEvents>;
