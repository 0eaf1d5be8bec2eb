/**
 * The order of one console's pushes when it keeps two in flight (issue 16, round 16x).
 *
 * A drain sends its next push as soon as the previous one's body is on the socket, so the
 * tracker reads the next body while it stores the previous one. undici does not pipeline a
 * POST on one connection, so the second push travels on a second connection and may be read
 * first; stored first, its events would land before their predecessors', and the run anchor
 * each author run starts from (the author hash of the previous push's last event,
 * verify-authors.ts `loadRunAnchors`) would not be found. So a push names itself and the push
 * it follows (headers below); the route holds it, after its body is parsed and checked and
 * before anchors are read, until that predecessor has settled here:
 *
 * - committed: the push goes on as any push;
 * - refused (any answer but a commit, a body that never parsed, a request cut off): the push
 *   is refused too, 503 `unavailable`, nothing stored; the console reads its outbox again;
 * - not settled (or never seen) within `holdMs`: refused the same way.
 *
 * A push is known from its headers on (an `onRequest` hook, before its body is read), so a
 * successor parsed first finds its predecessor pending rather than unknown. Held pushes are
 * bounded in number (`maxHeld`; a parsed 2 MiB body is several times that in memory), and
 * settled pushes are remembered `keepMs` (a successor arrives within the console's request
 * timeout of its predecessor's body). Entries are per token, so no device can name another's
 * push. A push without these headers (a live push, an older console) is not held.
 *
 * The state is the process's: after a restart a successor finds its predecessor unknown and is
 * refused, which is safe (the console pushes again; ids make a re-push a duplicate). Trackers
 * sharing a PostgreSQL (issue 15) likewise: a successor sent to another tracker is refused.
 */
import { z } from 'zod';
import { fail } from '../http/errors.ts';

/** The push's own name, unique per console process and drain push. */
export const PUSH_ID_HEADER = 'x-guardline-push-id';
/** The name of the push this one follows in its drain; the tracker stores it only after that one. */
export const PUSH_AFTER_HEADER = 'x-guardline-push-after';

/** On every push's answer: this tracker keeps the order (a console keeps two pushes in flight only then). */
export const PUSH_ORDER_HEADER = 'x-guardline-push-order';
/** The field a refusal for order names: a console tells it from other 503s by it (and reads its outbox again). */
export const PUSH_ORDER_FIELD = `headers.${PUSH_AFTER_HEADER}`;
const FIELD = PUSH_ORDER_FIELD;

const PushName = z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/, { error: 'a push name is 1-80 of A-Z a-z 0-9 _ . : -' });

export interface PushOrderOptions {
  /** The longest a push is held for its predecessor. */
  holdMs?: number;
  /** How many pushes may be held at once, all consoles together; past it a successor is refused at once. */
  maxHeld?: number;
  /** How long a settled push is remembered for a successor. */
  keepMs?: number;
  /** How many pushes are remembered at most (the oldest settled go first). */
  maxKnown?: number;
  clock?: () => number;
  /** Told each time a push starts waiting for the push it follows (tests wait on it rather than on time). */
  onHold?: (after: string) => void;
}

type Outcome = 'committed' | 'refused';

interface Entry {
  outcome: Outcome | null;
  /** When it arrived, or was first named by a successor before it arrived. */
  since: number;
  settledAt: number;
  settled: Promise<Outcome>;
  settle(outcome: Outcome): void;
}

export interface PushOrder {
  /** A push's headers arrived; returns its key (null when it names no push) for `settle`. */
  arrive(token: string, headers: Record<string, string | string[] | undefined>): string | null;
  /**
   * Resolves once the push may be stored (no predecessor named, or it committed); rejects
   * with a 503 TrackerFailure when it may not (its predecessor refused, or not settled in time).
   */
  follow(token: string, headers: Record<string, string | string[] | undefined>): Promise<void>;
  /** The push settled: committed, or refused (anything else). Only the first call counts. */
  settle(key: string | null, outcome: Outcome): void;
  /** Pushes held now (for tests and the bench). */
  held(): number;
}

export function createPushOrder(options: PushOrderOptions = {}): PushOrder {
  const holdMs = options.holdMs ?? 10_000;
  const maxHeld = options.maxHeld ?? 8;
  const keepMs = options.keepMs ?? 60_000;
  const maxKnown = options.maxKnown ?? 100_000;
  const clock = options.clock ?? Date.now;
  // Insertion order is age order: sweeping reads from the front.
  const known = new Map<string, Entry>();
  let holding = 0;

  function entry(key: string): Entry {
    const found = known.get(key);
    if (found) return found;
    let settle!: (outcome: Outcome) => void;
    const settled = new Promise<Outcome>((resolve) => (settle = resolve));
    const created: Entry = {
      outcome: null,
      since: clock(),
      settledAt: 0,
      settled,
      settle(outcome) {
        if (created.outcome !== null) return;
        created.outcome = outcome;
        created.settledAt = clock();
        settle(outcome);
      },
    };
    known.set(key, created);
    sweep();
    return created;
  }

  /** Forgets settled pushes past keepMs, and the oldest whatever their state past maxKnown. */
  function sweep(): void {
    const now = clock();
    for (const [key, e] of known) {
      const expired = e.outcome !== null ? now - e.settledAt > keepMs : now - e.since > keepMs + holdMs;
      if (!expired && known.size <= maxKnown) break;
      // A pending entry forgotten counts as refused for anyone still holding on it.
      e.settle('refused');
      known.delete(key);
    }
  }

  function name(headers: Record<string, string | string[] | undefined>, header: string): string | null {
    const value = headers[header];
    if (value === undefined) return null;
    const parsed = PushName.safeParse(value);
    if (!parsed.success) {
      throw fail(
        'invalid_input',
        `headers.${header}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        `headers.${header}`,
      );
    }
    return parsed.data;
  }

  const keyOf = (token: string, pushName: string) => `${token}\n${pushName}`;

  return {
    arrive(token, headers) {
      let own: string | null;
      try {
        own = name(headers, PUSH_ID_HEADER);
      } catch {
        return null; // the route refuses the header itself (`follow`)
      }
      if (own === null) return null;
      const key = keyOf(token, own);
      entry(key);
      return key;
    },
    async follow(token, headers) {
      name(headers, PUSH_ID_HEADER);
      const after = name(headers, PUSH_AFTER_HEADER);
      if (after === null) return;
      const predecessor = entry(keyOf(token, after));
      let outcome = predecessor.outcome;
      if (outcome === null) {
        if (holding >= maxHeld) {
          throw fail('unavailable', `too many pushes held for their predecessor (${maxHeld}); push again`, FIELD);
        }
        holding += 1;
        options.onHold?.(after);
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          outcome = await Promise.race([
            predecessor.settled,
            new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), holdMs))),
          ]);
        } finally {
          clearTimeout(timer);
          holding -= 1;
        }
        if (outcome === null) {
          throw fail(
            'unavailable',
            `the push this one follows (${after}) did not settle within ${holdMs} ms; push again`,
            FIELD,
          );
        }
      }
      if (outcome === 'refused') {
        throw fail('unavailable', `the push this one follows (${after}) was not stored; push again from it`, FIELD);
      }
    },
    settle(key, outcome) {
      if (key === null) return;
      known.get(key)?.settle(outcome);
    },
    held: () => holding,
  };
}
