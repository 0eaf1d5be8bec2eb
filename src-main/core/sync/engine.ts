/**
 * The console's sync engine: drains the outbox to the central tracker and folds the
 * facility's events back in, so every console converges on the same picture.
 *
 * Delivery is at-least-once, the effect exactly-once: event ids are idempotent at the
 * tracker and in the local log, and "synced" is recorded in the same transaction as
 * the tracker's answer, so a crash at any point only causes a harmless re-push.
 * A batch the tracker refuses as invalid is narrowed down to the offending event,
 * which is quarantined (kept, shown, never retried on its own); the rest goes through.
 */
import type { AppendResult, EventStore, OutboxRow } from '../store/event-store.ts';
import type { HybridLogicalClock } from '../../../src-shared/hlc.ts';
import { HLC_DEFAULT_MAX_DRIFT_MS } from '../../../src-shared/hlc.ts';
import {
  MESH_OFF,
  type MeshStatus,
  type QuarantinedEvent,
  type SyncState,
  type SyncStatus,
} from '../../../src-shared/sync.ts';
import { pushBody } from './push-body.ts';
import { PUSH_MAX_BYTES, PUSH_MAX_EVENTS } from '../../../src-shared/sync-wire.ts';
import { randomUUID } from 'node:crypto';
import {
  createTrackerClient,
  isOrderRefusal,
  TrackerFailure,
  type PushOrderNames,
  type TrackerClient,
} from './tracker-client.ts';
import { fullJitterDelay } from './backoff.ts';
import { createSyncSettings } from './settings.ts';

/**
 * The peer links of the facility mesh (core/mesh), run by this engine beside the tracker
 * link: one engine, many links (DESIGN §10). The engine tells them when its own tracker
 * link goes live or drops, so peers can route to HQ through whoever has it.
 */
export interface PeerLinks {
  start(): void;
  stop(): Promise<void>;
  status(trackerLive: boolean): MeshStatus;
  trackerChanged(live: boolean): void;
  /** This store learned of events the tracker holds (a push acknowledged, a pull stored). */
  trackerAcked(): void;
  /** Pending events a peer says the tracker holds (they stay in the outbox; see core/mesh). */
  vouchedPending(): number;
  /** Called when what `status` returns may have changed (already throttled). */
  onChange(listener: () => void): void;
}
import type { ConsoleKeyring, DeviceIdentity } from '../identity/index.ts';

export interface SyncEngineDeps {
  store: EventStore;
  deviceId: string;
  /** Signs nothing here: its public key goes to the tracker at enrolment (or once, on upgrade). */
  identity: Pick<DeviceIdentity, 'publicKey' | 'signingSince'>;
  /** Verifies pulled events before they are stored. */
  trust: ConsoleKeyring;
  clock: HybridLogicalClock;
  wallClock: () => number;
  onStatus(status: SyncStatus): void;
  random?: () => number;
  batchSize?: number;
  pullLimit?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  streamSilenceMs?: number;
  log?: (message: string) => void;
  mesh?: PeerLinks | null;
}

export interface SyncEngine {
  start(): void;
  stop(): Promise<void>;
  status(): SyncStatus;
  enroll(trackerUrl: string, code: string, label: string): Promise<SyncStatus>;
  retryNow(): SyncStatus;
  quarantine(): QuarantinedEvent[];
  release(eventId: string): SyncStatus;
}

/** A wake-up that is not lost when it fires before anyone waits. */
function createWakeup() {
  let pending = false;
  let resolve: (() => void) | null = null;
  return {
    fire() {
      pending = true;
      resolve?.();
    },
    wait(ms: number | null): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((done) => {
        const timer = ms === null ? null : setTimeout(finish, ms);
        function finish() {
          if (timer) clearTimeout(timer);
          resolve = null;
          pending = false;
          done();
        }
        resolve = finish;
      });
    },
  };
}

const noop = () => {};

export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const { store, deviceId } = deps;
  const settings = createSyncSettings(store);
  const random = deps.random ?? Math.random;
  const batchSize = deps.batchSize ?? PUSH_MAX_EVENTS;
  const pullLimit = deps.pullLimit ?? 1000;
  const log = deps.log ?? (() => {});
  const mesh = deps.mesh ?? null;

  let state: SyncState = settings.configured() ? 'connecting' : 'not_configured';
  let reason: SyncStatus['reason'] = null;
  let progress: SyncStatus['progress'] = null;
  let driftMs: number | null = null;
  let nextAttemptAt: number | null = null;
  let attempt = 0;
  let stopped = true;
  let loop: Promise<void> | null = null;
  let live: AbortController | null = null;
  const wakeup = createWakeup();
  /** Local commits or a newer tracker seq while live. */
  let workPending = false;

  /**
   * Outbox size, counted once and then kept up to date from commits and acks: a recount
   * on every status update costs milliseconds per call on a large outbox.
   */
  let pendingCache: number | null = null;
  const pending = () => (pendingCache ??= store.outboxCount());

  function status(): SyncStatus {
    const s = settings.read();
    return {
      state,
      reason,
      trackerUrl: s.trackerUrl,
      facility: s.facility,
      // What HQ lacks as far as this console knows: a peer may have forwarded some already.
      pending: Math.max(0, pending() - (mesh?.vouchedPending() ?? 0)),
      quarantined: settings.quarantineCount(),
      progress,
      lastSuccessAt: s.lastSuccessAt,
      driftMs,
      driftFlagged: driftMs !== null && Math.abs(driftMs) > HLC_DEFAULT_MAX_DRIFT_MS,
      nextAttemptAt,
      lastPulledSeq: s.lastPulledSeq,
      mesh: mesh?.status(state === 'live') ?? MESH_OFF,
    };
  }
  const publish = () => deps.onStatus(status());
  mesh?.onChange(publish);
  function setState(next: SyncState, why: SyncStatus['reason'] = null) {
    if ((next === 'live') !== (state === 'live')) mesh?.trackerChanged(next === 'live');
    state = next;
    reason = why;
    publish();
  }

  /**
   * The status push after commits is sent once the commit's other observers have run: they
   * include the escalation runner, whose alarm must not wait behind a status recount and
   * its push (measured on the LAN alarm path), and a burst of commits gives one push.
   */
  let publishQueued = false;
  function publishSoon() {
    if (publishQueued) return;
    publishQueued = true;
    setImmediate(() => {
      publishQueued = false;
      if (observing) publish(); // not after stop(): the store may be closed
    });
  }

  const onCommitted = (result: AppendResult) => {
    // Store-and-forward: events from peers the tracker has not seen are pending too.
    const added = result.stored.filter((e) => e.syncedAt === null).length;
    if (added === 0) return;
    if (pendingCache !== null) pendingCache += added;
    workPending = true;
    wakeup.fire();
    publishSoon();
  };
  // stop() unsubscribes; a run after a restart subscribes again and recounts, since
  // commits made while stopped were not counted.
  let observing: (() => void) | null = null;
  function observe() {
    if (observing) return;
    pendingCache = null;
    observing = store.onCommitted(onCommitted);
  }
  function stopObserving() {
    observing?.();
    observing = null;
  }
  observe();

  function measureDrift(serverTime: number, sentAt: number) {
    const now = deps.wallClock();
    driftMs = Math.round(serverTime - (sentAt + now) / 2);
  }

  /**
   * Pushes one batch. The tracker's acks are recorded at once, or, when `deferMark` is
   * given, handed to it as a function to call later (the drain records them while the
   * next batch is in flight). Refusals are narrowed down and recorded at once either way.
   * Resolves true only when the tracker's first answer took the whole batch as sent; a
   * refusal, a split or a quarantine resolves false (the drain then drops its read-ahead).
   */
  async function pushBatch(
    client: TrackerClient,
    events: OutboxRow[],
    onDone: (n: number) => void,
    deferMark?: (mark: () => void) => void,
    // The stored payload texts go out unparsed (push-body.ts); the drain writes it ahead.
    body: string = pushBody(events),
    // Called once the body is on its way to the tracker (tracker-client.ts `push`).
    sent?: () => void,
    // Called when the first answer's status says the tracker committed the whole batch (a 200);
    // the answer's body is read once what it returns settles.
    committed?: () => unknown,
    // The push's name and the one it follows in the drain (tracker-client.ts `push`).
    order?: PushOrderNames,
  ): Promise<boolean> {
    if (events.length === 0) {
      sent?.();
      return false;
    }
    const sentAt = deps.wallClock();
    let response;
    try {
      response = await client.push(body, sent, committed, order);
    } catch (error) {
      if (!(error instanceof TrackerFailure)) throw error;
      const refusesContent =
        error.kind === 'invalid' || error.kind === 'conflict' || (error.kind === 'forbidden' && error.field !== null);
      if (error.kind === 'too_large' && events.length > 1) {
        await splitAndPush(client, events, onDone);
        return false;
      }
      if (!refusesContent) throw error;
      const index = indexFromField(error.field);
      if (index !== null && index < events.length) {
        settings.quarantine(events[index]!.id, error.code, error.field, error.message, deps.wallClock());
        pendingCache = null;
        log(`quarantined ${events[index]!.id}: ${error.message}`);
        onDone(1);
        await pushBatch(
          client,
          events.filter((_, i) => i !== index),
          onDone,
        );
        return false;
      }
      if (events.length > 1) {
        await splitAndPush(client, events, onDone);
        return false;
      }
      settings.quarantine(events[0]!.id, error.code, error.field, error.message, deps.wallClock());
      pendingCache = null;
      onDone(1);
      return false;
    }
    const acks = response.results;
    if (acks.length !== events.length || acks.some((a, i) => a.id !== events[i]!.id)) {
      throw new TrackerFailure('protocol', 'bad_acks', 'the tracker acknowledged different events than were sent');
    }
    measureDrift(response.serverTime, sentAt);
    if (response.serverHlcHint) deps.clock.receive(response.serverHlcHint);
    const mark = () => {
      const marked = store.markSynced(
        acks.map((a) => ({ id: a.id, serverSeq: a.serverSeq })),
        deps.wallClock(),
      );
      if (pendingCache !== null) pendingCache -= marked;
      if (marked > 0) mesh?.trackerAcked();
      onDone(events.length);
    };
    if (deferMark) deferMark(mark);
    else mark();
    return true;
  }

  async function splitAndPush(client: TrackerClient, events: OutboxRow[], onDone: (n: number) => void) {
    const half = Math.ceil(events.length / 2);
    await pushBatch(client, events.slice(0, half), onDone);
    await pushBatch(client, events.slice(half), onDone);
  }

  async function drain(client: TrackerClient) {
    const total = pending();
    if (total === 0) return;
    let done = 0;
    progress = { done, total };
    setState('pushing');
    const onDone = (n: number) => {
      done += n;
      progress = { done: Math.min(done, Math.max(total, done)), total: Math.max(total, done) };
      publish();
    };
    // Two pushes in flight (16x): the next push leaves as soon as the previous one's body is on
    // the socket, so the tracker reads and parses it while it stores the previous one. The
    // tracker keeps the order: each push names itself and the push it follows, and is stored
    // only after that one committed; it is refused (503, nothing stored, `isOrderRefusal`) when
    // that one was not (src-tracker/events/push-order.ts). So a push is stored only when every
    // batch before it in the outbox is. While the pushes fly the console records the previous
    // acks, reads the batch after the one in flight and writes its body (16m, 16o), the wire
    // first (16t). An answer's body is read, parsed and its acks checked once the push after it
    // is on the wire (16v). On any answer but a plain success (a refusal, a split or quarantine,
    // a failure) the drain lets the other push settle before it goes on: after a refusal, split
    // or quarantine it reads the outbox again from the start (a push refused for its order goes
    // again then, its events already pushed answered as duplicates); after a failure the cycle
    // ends as before. An unrecorded ack only means a re-push.
    const unrecorded: (() => void)[] = [];
    const record = () => {
      for (const mark of unrecorded.splice(0)) mark();
    };
    // The same outbox read as ever (up to `shareableThrough`, quarantine left out), its
    // body written at once: events appended after it simply go in a later batch.
    const read = (afterSeq?: number) => {
      const rows = takeBatch(store.outboxRows(batchSize, afterSeq));
      return { rows, body: rows.length > 0 ? pushBody(rows) : '' };
    };
    const drainName = randomUUID();
    let pushes = 0;
    const launch = (batch: ReturnType<typeof read>, after: string | null) => {
      let sent!: () => void;
      let isWhole!: () => void;
      let readAnswer!: () => void;
      const onItsWay = new Promise<void>((resolve) => (sent = resolve));
      const whole = new Promise<void>((resolve) => (isWhole = resolve));
      // The answer's body is read and checked once the next push is on the wire (or none goes).
      const answerMayBeRead = new Promise<void>((resolve) => (readAnswer = resolve));
      const order = { id: `${drainName}.${(pushes += 1)}`, after };
      const done = pushBatch(
        client,
        batch.rows,
        onDone,
        (mark) => unrecorded.push(mark),
        batch.body,
        sent,
        () => {
          isWhole();
          return answerMayBeRead;
        },
        order,
      );
      // Awaited below; a failure meanwhile is not an unhandled rejection.
      const settled = done.then(noop, noop);
      return { batch, done, settled, onItsWay, whole, readAnswer, id: order.id };
    };
    // A push the loop will not follow up: its answer is read at once, and the drain waits for it
    // (its own read would otherwise wait for a next push that never comes).
    const settle = async (flight: ReturnType<typeof launch> | null) => {
      flight?.readAnswer();
      await flight?.settled;
    };
    // Two in flight only with a tracker that keeps their order (it says so on its answers), and
    // not again in this drain once a push was refused for its order (the tracker holds too many).
    let orderRefused = false;
    const twoInFlight = () => client.ordersPushes() && !orderRefused;
    /**
     * The push after `flight`: sent at once when two may fly; else on the status of flight's
     * answer when it says the tracker committed the whole push (16v), else none.
     */
    const launchNext = async (flight: ReturnType<typeof launch>, next: ReturnType<typeof read>) => {
      if (stopped || next.rows.length === 0) return null;
      if (twoInFlight()) return launch(next, flight.id);
      const status = await Promise.race([flight.whole.then(() => 'committed'), flight.settled.then(() => 'settled')]);
      return status === 'committed' && !stopped ? launch(next, null) : null;
    };
    let flight: ReturnType<typeof launch> | null = null;
    let following: ReturnType<typeof launch> | null = null;
    try {
      const first = read();
      flight = first.rows.length > 0 ? launch(first, null) : null;
      while (flight) {
        // The body on the socket first, then this work: fetch writes a request only some turns
        // after it is called, and the tracker can do nothing with a push until it has it (16t).
        await Promise.race([flight.onItsWay, flight.settled]);
        record();
        const next = read(flight.batch.rows.at(-1)!.seq);
        following = await launchNext(flight, next);
        // As for the acks above, the body on the socket before this process reads the answer (16t).
        if (following) void Promise.race([following.onItsWay, following.settled]).then(flight.readAnswer);
        else flight.readAnswer();
        let tookAll: boolean;
        try {
          tookAll = await flight.done;
        } catch (error) {
          // The other push settles before the drain goes on (its acks, if good, are recorded).
          await settle(following);
          following = null;
          // Refused only for its order (a push before it was not stored in time): read again.
          if (!isOrderRefusal(error)) throw error;
          orderRefused = true;
          tookAll = false;
        }
        if (stopped) {
          await settle(following);
          return;
        }
        if (tookAll && following) {
          flight = following;
          following = null;
          continue;
        }
        // Past the end, or an answer other than a plain success: record the last acks,
        // then read again from the start (an event released from quarantine meanwhile
        // sits before the batches just sent; events appended since the read-ahead are in).
        await settle(following);
        following = null;
        record();
        const again = read();
        flight = again.rows.length > 0 ? launch(again, null) : null;
      }
    } finally {
      // Left by a throw (an outbox read): no push may wait on the loop to read its answer.
      flight?.readAnswer();
      following?.readAnswer();
      record();
      progress = null;
    }
  }

  async function pullAll(client: TrackerClient) {
    setState('pulling');
    for (;;) {
      const after = settings.read().lastPulledSeq;
      // A long pull is a stream of received batches like a peer's catch-up: past the WAL's
      // high-water mark its next commit waits for room (store.roomInWal, issue 12r/12s), so
      // SQLite's backstop checkpoint never runs inside one of its commits on this thread. Asked
      // before the request, so the worker's copy overlaps the page's round trip.
      const room = store.roomInWal()?.catch((error: unknown) => {
        log(`sync: waiting for room in the WAL failed: ${(error as Error).stack ?? String(error)}`);
      });
      const page = await client.pull(after, pullLimit);
      if (room) await room;
      if (page.events.length > 0) {
        const maxHlc = page.events.reduce((m, e) => (e.hlc > m ? e.hlc : m), page.events[0]!.hlc);
        deps.clock.receive(maxHlc);
      }
      // Relayed by anyone, authored by no one else: refused events are logged, never stored.
      const { accepted } = deps.trust.screen(page.events, 'tracker');
      const appended = store.append(accepted, {
        synced: { serverSeqById: new Map(page.events.map((e) => [e.id, e.serverSeq])), syncedAt: deps.wallClock() },
        alsoInTransaction: () => settings.setLastPulledSeq(page.nextAfter),
      });
      // Our own events coming back (acks lost on the way) are marked synced by the append.
      if (pendingCache !== null) pendingCache -= appended.newlySynced;
      if (appended.stored.length > 0 || appended.newlySynced > 0) mesh?.trackerAcked();
      if (page.events.length === 0) settings.setLastPulledSeq(page.nextAfter);
      if (!page.hasMore || stopped) return;
    }
  }

  async function cycle() {
    const s = settings.read();
    const client = createTrackerClient({ baseUrl: s.trackerUrl!, token: s.token });
    setState('connecting');
    const sentAt = deps.wallClock();
    const health = await client.health();
    measureDrift(health.time, sentAt);
    if (settings.boundKey() !== deps.identity.publicKey) {
      // Enrolled before signing existed: bind this console's key to its token once.
      const bound = await client.bindKey(deps.identity.publicKey, deps.identity.signingSince);
      deps.trust.setTrackerKey(bound.trackerKey);
      settings.setBoundKey(deps.identity.publicKey);
    }
    await drain(client);
    await pullAll(client);
    attempt = 0;
    nextAttemptAt = null;
    settings.setLastSuccessAt(deps.wallClock());
    setState('live');

    live = new AbortController();
    let streamFailure: unknown = null;
    let streamEnded = false;
    const following = client
      .follow(
        (seq) => {
          if (seq > settings.read().lastPulledSeq) {
            workPending = true;
            wakeup.fire();
          }
        },
        live.signal,
        deps.streamSilenceMs,
      )
      .catch((error: unknown) => {
        streamFailure = error;
      })
      .finally(() => {
        streamEnded = true;
        wakeup.fire();
      });
    try {
      while (!stopped) {
        await wakeup.wait(null);
        if (stopped || streamEnded) break;
        if (!workPending) continue;
        workPending = false;
        await drain(client);
        await pullAll(client);
        settings.setLastSuccessAt(deps.wallClock());
        setState('live');
      }
    } finally {
      live.abort();
      live = null;
      await following;
    }
    if (streamFailure) throw streamFailure;
    if (!stopped && streamEnded)
      throw new TrackerFailure('network', 'stream_ended', 'the tracker closed the live stream');
  }

  async function run() {
    observe();
    while (!stopped) {
      if (!settings.configured()) {
        setState('not_configured');
        await wakeup.wait(null);
        continue;
      }
      try {
        await cycle();
      } catch (error) {
        if (stopped) break;
        const failure = error instanceof TrackerFailure ? error : null;
        if (!failure) log(`sync cycle failed: ${(error as Error)?.stack ?? String(error)}`);
        const why = { code: failure?.code ?? 'internal', detail: failure?.message ?? String(error) };
        const delay = fullJitterDelay(attempt, deps.backoffBaseMs ?? 500, deps.backoffCapMs ?? 30_000, random);
        attempt += 1;
        nextAttemptAt = deps.wallClock() + delay;
        setState(failure?.kind === 'network' ? 'offline' : 'error', why);
        await wakeup.wait(delay);
        nextAttemptAt = null;
      }
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop = run();
      mesh?.start();
    },
    async stop() {
      stopped = true;
      live?.abort();
      wakeup.fire();
      stopObserving();
      await Promise.all([loop, mesh?.stop()]);
    },
    status,
    async enroll(trackerUrl, code, label) {
      const client = createTrackerClient({ baseUrl: trackerUrl, token: null });
      const answer = await client.enroll(code, deviceId, label, deps.identity.publicKey, deps.identity.signingSince);
      deps.trust.setTrackerKey(answer.trackerKey);
      settings.saveEnrolment(trackerUrl.replace(/\/+$/, ''), answer.deviceToken, answer.facility, answer.facilityName);
      settings.setBoundKey(deps.identity.publicKey);
      attempt = 0;
      live?.abort();
      wakeup.fire();
      return status();
    },
    retryNow() {
      attempt = 0;
      workPending = true;
      wakeup.fire();
      return status();
    },
    quarantine: () => settings.quarantineList(),
    release(eventId) {
      settings.release(eventId);
      pendingCache = null;
      workPending = true;
      wakeup.fire();
      publish();
      return status();
    },
  };
}

function indexFromField(field: string | null): number | null {
  const m = field ? /^events\.(\d+)(\.|$)/.exec(field) : null;
  return m ? Number(m[1]) : null;
}

/** Keep a batch under the tracker's body limit (estimated from its JSON size). */
function takeBatch(events: OutboxRow[]): OutboxRow[] {
  let bytes = 64;
  const out: OutboxRow[] = [];
  for (const e of events) {
    // The stored text is the payload's JSON as sent (push-body.ts): its length, no serialising.
    const size = e.payload.length + 400;
    if (out.length > 0 && bytes + size > PUSH_MAX_BYTES * 0.9) break;
    bytes += size;
    out.push(e);
  }
  return out;
}
