/**
 * Several tracker processes on one PostgreSQL (issue 15). Two things assumed one
 * process per database: the live fan-out of facility heads to SSE streams, and the HQ
 * projector. Here:
 *
 *  - Heads travel through `LISTEN/NOTIFY` on the `guardline_heads` channel. A process
 *    that stored a push publishes to its own streams at once and NOTIFYs the others,
 *    which publish to theirs. When the listening connection is lost and comes back,
 *    every facility's head is republished: a notification missed meanwhile costs a
 *    pull that finds nothing new, never a missed update.
 *  - The HQ projector runs in the process that holds a session-level advisory lock.
 *    PostgreSQL releases it when that process's connection ends (crash, kill -9,
 *    network loss), and a standby that retries every `leaderRetryMs` takes over; the
 *    projector's per-facility cursors make the new leader resume where the old one
 *    committed, and its refolds are idempotent, so nothing is counted twice.
 *
 * A hand-written part (about 150 lines on node-postgres' Client) rather than a
 * library: the two primitives are a few SQL statements, and what matters is the
 * reconnect and republish policy above.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TrackerDb } from '../db/database.ts';
import type { FacilityHeads } from '../stream/heads.ts';

const CHANNEL = 'guardline_heads';
/** Any fixed 64-bit key; every Guardline tracker on the database uses the same. */
const PROJECTOR_LOCK_KEY = 7_250_615_001;
const RECONNECT_MS = 500;

export interface ClusterOptions {
  url: string;
  /** How often a standby asks for the projector lock. */
  leaderRetryMs?: number;
  onLeaderChange?: (leader: boolean) => void;
  onError?: (error: unknown, what: string) => void;
}

export interface PgCluster {
  /** Heads that also reach (and hear from) every other tracker process on the database. */
  heads: FacilityHeads;
  isLeader(): boolean;
  close(): Promise<void>;
}

export function createPgCluster(store: TrackerDb, local: FacilityHeads, options: ClusterOptions): PgCluster {
  const instance = randomUUID();
  const leaderRetryMs = options.leaderRetryMs ?? 1_000;
  let closed = false;
  let listener: Client | null = null;
  let lockHolder: Client | null = null;
  let leader = false;
  let leaderTimer: NodeJS.Timeout | null = null;
  let listenTimer: NodeJS.Timeout | null = null;
  const report = (error: unknown, what: string) => options.onError?.(error, what);

  const setLeader = (next: boolean) => {
    if (next === leader) return;
    leader = next;
    options.onLeaderChange?.(next);
  };

  async function republishAll(): Promise<void> {
    const rows = await store.db
      .selectFrom('events')
      .select(['facility', (eb) => eb.fn.max('server_seq').as('head')])
      .groupBy('facility')
      .execute();
    for (const row of rows) local.publish(row.facility, Number(row.head));
  }

  async function listen(): Promise<void> {
    if (closed) return;
    const client = new Client({ connectionString: options.url });
    client.on('error', (error) => report(error, 'heads listener'));
    client.on('end', () => {
      if (listener === client) listener = null;
      if (!closed) listenTimer = setTimeout(() => void listen(), RECONNECT_MS);
    });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const { i, f, s } = JSON.parse(message.payload) as { i: string; f: string; s: number };
        if (i !== instance) local.publish(f, s);
      } catch (error) {
        report(error, 'heads notification');
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      listener = client;
      await republishAll();
    } catch (error) {
      report(error, 'heads listener connect');
      await client.end().catch(() => {});
    }
  }

  async function campaign(): Promise<void> {
    leaderTimer = null;
    if (closed) return;
    try {
      if (!lockHolder) {
        const client = new Client({ connectionString: options.url });
        client.on('error', (error) => report(error, 'projector lock'));
        client.on('end', () => {
          if (lockHolder === client) {
            lockHolder = null;
            setLeader(false);
          }
        });
        await client.connect();
        lockHolder = client;
      }
      if (!leader) {
        const { rows } = await lockHolder.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
          PROJECTOR_LOCK_KEY,
        ]);
        setLeader(rows[0]?.ok === true);
      } else {
        // Still holding it? A lost connection shows here even when no 'end' came yet.
        await lockHolder.query('SELECT 1');
      }
    } catch (error) {
      report(error, 'projector lock');
      const lost = lockHolder;
      lockHolder = null;
      setLeader(false);
      await lost?.end().catch(() => {});
    }
    if (!closed) leaderTimer = setTimeout(() => void campaign(), leaderRetryMs);
  }

  const heads: FacilityHeads = {
    publish(facility, seq) {
      local.publish(facility, seq);
      const payload = JSON.stringify({ i: instance, f: facility, s: seq });
      // After the push committed: a lost NOTIFY only delays the others until their next pull.
      store.db
        .selectNoFrom((eb) => eb.fn('pg_notify', [eb.val(CHANNEL), eb.val(payload)]).as('n'))
        .execute()
        .catch((error: unknown) => report(error, 'heads notify'));
    },
    subscribe: (facility, listener) => local.subscribe(facility, listener),
    subscribeAll: (listener) => local.subscribeAll(listener),
    listenerCount: () => local.listenerCount(),
  };

  void listen();
  void campaign();

  return {
    heads,
    isLeader: () => leader,
    async close() {
      closed = true;
      if (leaderTimer) clearTimeout(leaderTimer);
      if (listenTimer) clearTimeout(listenTimer);
      await Promise.all([listener?.end().catch(() => {}), lockHolder?.end().catch(() => {})]);
      listener = null;
      lockHolder = null;
      setLeader(false);
    },
  };
}
