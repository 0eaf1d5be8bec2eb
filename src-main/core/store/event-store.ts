/**
 * The append-only event log: the workstation's source of truth.
 *
 * Each event is chained to the one before it: hash = sha256(prev_hash || canonical(event)),
 * so editing or deleting a stored event is evident to `verifyChain()`. Projections are
 * updated by registered projectors inside the same transaction as the append: a command
 * is acknowledged only after that single transaction has committed (synchronous=FULL).
 *
 * Events this console authors are numbered and signed here, inside the append
 * transaction (issue 12): the next `deviceSeq` of the author's feed is read and used in
 * the same transaction that stores the event, so the feed is gap-free 1, 2, 3… whatever
 * crashes, and the signature covers the number.
 */
import { createHash } from 'node:crypto';
import { canonicalEnvelope, type SignableEnvelope } from '../../../src-shared/signed-envelope.ts';
import type { EventEnvelope, StoredEvent } from '../../../src-shared/events.ts';
import type { ChainReport } from '../../../src-shared/api.ts';
import { checkChain } from './chain-check.ts';
import { createCheckpointer } from './checkpointer.ts';
import { openDatabase, type Db } from './database.ts';
import type { Migration } from './migrations.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Keeps a projection table in step with the log, inside the append transaction. */
export interface Projector {
  name: string;
  handles(type: string): boolean;
  /** Rebuild the projection of one stream from all of its events (already in the log). */
  project(db: Db, streamId: string, events: StoredEvent[]): void;
}

export interface AppendResult {
  /** Events newly stored, in log order. */
  stored: StoredEvent[];
  /** Ids that were already in the log (idempotent re-delivery). */
  duplicates: string[];
  /** Streams whose projections changed. */
  streams: string[];
  /** Duplicates that were pending here and are now marked synced (our own events coming back). */
  newlySynced: number;
}

export interface AppendOptions {
  receivedAt?: number;
  /**
   * Events received from elsewhere (a peer, a restore): never numbered or signed here,
   * even when they name this device as author. Events from the tracker (`synced`) are
   * treated the same way.
   */
  received?: boolean;
  synced?: { serverSeqById: ReadonlyMap<string, number>; syncedAt: number };
  /** Runs inside the append transaction after the events are stored (e.g. a sync cursor). */
  alsoInTransaction?: () => void;
}

/** Signs the events this console authors (identity feature). */
export interface EventSigner {
  deviceId: string;
  signEvent(event: SignableEnvelope): string;
}

export interface EventStore {
  readonly file: string;
  readonly schemaVersion: number;
  readonly db: Db;
  registerProjector(projector: Projector): void;
  /**
   * From now on, this device's own new events are numbered (`deviceSeq`) and signed in the
   * append transaction. The console core always sets one; null (no signing) exists so the
   * identity bench can measure what signing costs a command.
   */
  useSigner(signer: EventSigner | null): void;
  /**
   * Append events (and update projections) in one transaction. Duplicate ids are skipped.
   * `synced` marks events that came from the tracker (server sequence by id), so they are
   * never mistaken for pending work; duplicates named there are marked synced too.
   */
  append(events: readonly EventEnvelope[], options?: AppendOptions): AppendResult;
  /** Called after every committed append that stored something (never inside the transaction). */
  onCommitted(listener: (result: AppendResult) => void): () => void;
  /** Run several reads/writes atomically. */
  transaction<T>(fn: () => T): T;
  streamEvents(streamId: string): StoredEvent[];
  getEvent(id: string): StoredEvent | null;
  /**
   * Events the tracker has not acknowledged, whoever authored them (store-and-forward:
   * events from peers travel on too), oldest first, excluding quarantined ones.
   */
  outbox(limit: number): StoredEvent[];
  outboxCount(): number;
  /** Highest `deviceSeq` held of `deviceId`'s feed (0 when none). */
  authorHead(deviceId: string): number;
  /** `deviceId`'s signed events with deviceSeq > after, in feed order. */
  authoredAfter(deviceId: string, after: number, limit: number): StoredEvent[];
  /** Returns how many events were newly marked (the rest were already synced). */
  markSynced(acks: readonly { id: string; serverSeq: number }[], syncedAt: number): number;
  /** Largest HLC in the log, so the clock can resume monotonically after a restart. */
  maxHlc(): string | null;
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;
  verifyChain(): ChainReport;
  close(): void;
}

/** A row of the `events` table as SQLite returns it. */
export interface EventRow {
  seq: number;
  id: string;
  stream_id: string;
  type: string;
  payload: string;
  actor: string;
  device_id: string;
  device_time: number;
  hlc: string;
  prev_hash: string;
  hash: string;
  synced_at: number | null;
  server_seq: number | null;
  device_seq: number | null;
  sig: string | null;
}

/** The bytes the chain hashes: the same canonical envelope the author signed. */
export function canonicalEvent(e: EventEnvelope): string {
  return canonicalEnvelope(e);
}

export function chainHash(prevHash: string, e: EventEnvelope): string {
  return createHash('sha256').update(prevHash).update(canonicalEvent(e)).digest('hex');
}

export function toStored(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    id: row.id,
    streamId: row.stream_id,
    type: row.type as StoredEvent['type'],
    payload: JSON.parse(row.payload) as unknown,
    actor: row.actor,
    deviceId: row.device_id,
    deviceTime: row.device_time,
    hlc: row.hlc,
    ...(row.device_seq !== null ? { deviceSeq: row.device_seq } : {}),
    ...(row.sig !== null ? { sig: row.sig } : {}),
    prevHash: row.prev_hash,
    hash: row.hash,
    syncedAt: row.synced_at,
    serverSeq: row.server_seq,
  };
}

export function openEventStore(file: string, migrations?: readonly Migration[]): EventStore {
  const { db, schemaVersion } = openDatabase(file, migrations);
  const projectors: Projector[] = [];
  // WAL checkpoints run in a worker, not inside a command's commit (see checkpointer.ts).
  const checkpointer =
    file === ':memory:' ? null : createCheckpointer(db, file, (message) => console.error(`[guardline] ${message}`));
  let signer: EventSigner | null = null;

  const q = {
    lastHash: db.prepare<[], { hash: string }>('SELECT hash FROM events ORDER BY seq DESC LIMIT 1'),
    exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO events (id, stream_id, type, payload, actor, device_id, device_time, hlc, prev_hash, hash, received_at,
                           synced_at, server_seq, device_seq, sig)
       VALUES (@id, @streamId, @type, @payload, @actor, @deviceId, @deviceTime, @hlc, @prevHash, @hash, @receivedAt,
               @syncedAt, @serverSeq, @deviceSeq, @sig)`,
    ),
    stream: db.prepare<[string], EventRow>('SELECT * FROM events WHERE stream_id = ? ORDER BY hlc, device_id, id'),
    byId: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
    outbox: db.prepare<[number], EventRow>(
      `SELECT * FROM events WHERE synced_at IS NULL
         AND id NOT IN (SELECT event_id FROM sync_quarantine) ORDER BY seq LIMIT ?`,
    ),
    outboxCount: db.prepare<[], { n: number }>(
      `SELECT count(*) AS n FROM events WHERE synced_at IS NULL
         AND id NOT IN (SELECT event_id FROM sync_quarantine)`,
    ),
    authorHead: db.prepare<[string], { n: number | null }>(
      'SELECT max(device_seq) AS n FROM events WHERE device_id = ? AND device_seq IS NOT NULL',
    ),
    authoredAfter: db.prepare<[string, number, number], EventRow>(
      `SELECT * FROM events WHERE device_id = ? AND device_seq IS NOT NULL AND device_seq > ?
         ORDER BY device_seq LIMIT ?`,
    ),
    markSynced: db.prepare('UPDATE events SET synced_at = ?, server_seq = ? WHERE id = ? AND synced_at IS NULL'),
    maxHlc: db.prepare<[], { hlc: string | null }>('SELECT max(hlc) AS hlc FROM events'),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };

  const markSyncedTx = db.transaction((acks: readonly { id: string; serverSeq: number }[], syncedAt: number) => {
    let changed = 0;
    for (const a of acks) changed += q.markSynced.run(syncedAt, a.serverSeq, a.id).changes;
    return changed;
  });
  const committedListeners = new Set<(result: AppendResult) => void>();
  const appendTx = db.transaction((events: readonly EventEnvelope[], options: AppendOptions): AppendResult => {
    const receivedAt = options.receivedAt ?? Date.now();
    const synced = options.synced;
    let prevHash = q.lastHash.get()?.hash ?? GENESIS_HASH;
    const stored: StoredEvent[] = [];
    const duplicates: string[] = [];
    let newlySynced = 0;
    const touched = new Map<string, Set<string>>();
    const authoring = signer !== null && !synced && options.received !== true ? signer : null;
    let nextDeviceSeq: number | null = null;
    for (const incoming of events) {
      const serverSeq = synced?.serverSeqById.get(incoming.id);
      if (q.exists.get(incoming.id)) {
        duplicates.push(incoming.id);
        if (synced && serverSeq !== undefined) {
          newlySynced += q.markSynced.run(synced.syncedAt, serverSeq, incoming.id).changes;
        }
        continue;
      }
      let event = incoming;
      if (authoring && event.deviceId === authoring.deviceId && event.sig === undefined) {
        nextDeviceSeq ??= (q.authorHead.get(authoring.deviceId)?.n ?? 0) + 1;
        const numbered = { ...event, deviceSeq: nextDeviceSeq++ };
        event = { ...numbered, sig: authoring.signEvent(numbered) };
      }
      const hash = chainHash(prevHash, event);
      const info = q.insert.run({
        id: event.id,
        streamId: event.streamId,
        type: event.type,
        payload: JSON.stringify(event.payload),
        actor: event.actor,
        deviceId: event.deviceId,
        deviceTime: event.deviceTime,
        hlc: event.hlc,
        prevHash,
        hash,
        receivedAt,
        syncedAt: synced && serverSeq !== undefined ? synced.syncedAt : null,
        serverSeq: serverSeq ?? null,
        deviceSeq: event.deviceSeq ?? null,
        sig: event.sig ?? null,
      });
      stored.push({
        ...event,
        seq: Number(info.lastInsertRowid),
        prevHash,
        hash,
        syncedAt: synced && serverSeq !== undefined ? synced.syncedAt : null,
        serverSeq: serverSeq ?? null,
      });
      prevHash = hash;
      const types = touched.get(event.streamId) ?? new Set<string>();
      types.add(event.type);
      touched.set(event.streamId, types);
    }
    for (const [streamId, types] of touched) {
      const relevant = projectors.filter((p) => [...types].some((t) => p.handles(t)));
      if (relevant.length === 0) continue;
      const streamEvents = q.stream.all(streamId).map(toStored);
      for (const p of relevant) p.project(db, streamId, streamEvents);
    }
    options.alsoInTransaction?.();
    return { stored, duplicates, streams: [...touched.keys()], newlySynced };
  });

  return {
    file,
    schemaVersion,
    db,
    registerProjector(projector) {
      if (projectors.some((p) => p.name === projector.name))
        throw new Error(`projector ${projector.name} registered twice`);
      projectors.push(projector);
    },
    useSigner(next) {
      signer = next;
    },
    append(events, options) {
      const result = appendTx.immediate(events, options ?? {});
      checkpointer?.committed();
      if (result.stored.length > 0) {
        for (const listener of committedListeners) {
          // The append has committed: a failing observer must not turn it into a reported failure.
          try {
            listener(result);
          } catch (error) {
            console.error('[guardline] onCommitted listener failed', error);
          }
        }
      }
      return result;
    },
    onCommitted(listener) {
      committedListeners.add(listener);
      return () => committedListeners.delete(listener);
    },
    transaction(fn) {
      const result = db.transaction(fn).immediate();
      checkpointer?.committed();
      return result;
    },
    streamEvents: (streamId) => q.stream.all(streamId).map(toStored),
    getEvent(id) {
      const row = q.byId.get(id);
      return row ? toStored(row) : null;
    },
    outbox: (limit) => q.outbox.all(limit).map(toStored),
    outboxCount: () => q.outboxCount.get()?.n ?? 0,
    authorHead: (deviceId) => q.authorHead.get(deviceId)?.n ?? 0,
    authoredAfter: (deviceId, after, limit) => q.authoredAfter.all(deviceId, after, limit).map(toStored),
    markSynced(acks, syncedAt) {
      // A lost "synced" mark only causes an idempotent re-push, so this commit need not
      // wait for its own fsync: in WAL mode the next durable (FULL) commit flushes it too,
      // in order. That saves one disk flush per pushed batch.
      db.pragma('synchronous = NORMAL');
      try {
        return markSyncedTx(acks, syncedAt);
      } finally {
        db.pragma('synchronous = FULL');
        checkpointer?.committed();
      }
    },
    maxHlc: () => q.maxHlc.get()?.hlc ?? null,
    getMeta: (key) => q.getMeta.get(key)?.value ?? null,
    setMeta(key, value) {
      q.setMeta.run(key, value);
    },
    verifyChain: () => checkChain(db),
    close() {
      checkpointer?.close();
      if (db.open) db.close();
    },
  };
}
