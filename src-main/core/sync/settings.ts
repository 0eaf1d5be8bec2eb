/** Sync settings and quarantine, kept in the console's own store. */
import type { EventStore } from '../store/event-store.ts';
import type { QuarantinedEvent } from '../../../src-shared/sync.ts';

const KEYS = {
  trackerUrl: 'sync.tracker_url',
  token: 'sync.device_token',
  facility: 'sync.facility',
  lastPulledSeq: 'sync.last_pulled_seq',
  lastSuccessAt: 'sync.last_success_at',
  /** The public key the tracker has bound to this console's token. */
  boundKey: 'sync.bound_key',
} as const;

export interface SyncSettings {
  trackerUrl: string | null;
  /**
   * The device token. Stored in the local database: the workstation account is the
   * trust boundary (the Electron shell may wrap it with safeStorage later).
   */
  token: string | null;
  facility: string | null;
  lastPulledSeq: number;
  lastSuccessAt: number | null;
}

export function createSyncSettings(store: EventStore) {
  const db = store.db;
  const q = {
    insert: db.prepare(
      `INSERT INTO sync_quarantine (event_id, code, field, message, quarantined_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (event_id) DO UPDATE SET code = excluded.code, field = excluded.field, message = excluded.message`,
    ),
    list: db.prepare<
      [],
      {
        event_id: string;
        type: string;
        stream_id: string;
        code: string;
        field: string | null;
        message: string;
        quarantined_at: number;
      }
    >(
      `SELECT q.*, e.type, e.stream_id FROM sync_quarantine q JOIN events e ON e.id = q.event_id ORDER BY q.quarantined_at`,
    ),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_quarantine'),
    release: db.prepare('DELETE FROM sync_quarantine WHERE event_id = ?'),
  };
  const num = (v: string | null) => (v === null ? null : Number(v));

  return {
    configured: () => store.getMeta(KEYS.trackerUrl) !== null && store.getMeta(KEYS.token) !== null,
    read(): SyncSettings {
      return {
        trackerUrl: store.getMeta(KEYS.trackerUrl),
        token: store.getMeta(KEYS.token),
        facility: store.getMeta(KEYS.facility),
        lastPulledSeq: num(store.getMeta(KEYS.lastPulledSeq)) ?? 0,
        lastSuccessAt: num(store.getMeta(KEYS.lastSuccessAt)),
      };
    },
    saveEnrolment(trackerUrl: string, token: string, facility: string) {
      store.transaction(() => {
        if (store.getMeta(KEYS.trackerUrl) !== trackerUrl) store.setMeta(KEYS.lastPulledSeq, '0');
        store.setMeta(KEYS.trackerUrl, trackerUrl);
        store.setMeta(KEYS.token, token);
        store.setMeta(KEYS.facility, facility);
      });
    },
    setLastPulledSeq: (seq: number) => store.setMeta(KEYS.lastPulledSeq, String(seq)),
    setLastSuccessAt: (at: number) => store.setMeta(KEYS.lastSuccessAt, String(at)),
    boundKey: () => store.getMeta(KEYS.boundKey),
    setBoundKey: (publicKey: string) => store.setMeta(KEYS.boundKey, publicKey),
    quarantine(eventId: string, code: string, field: string | null, message: string, at: number) {
      q.insert.run(eventId, code, field, message.slice(0, 1000), at);
    },
    quarantineList: (): QuarantinedEvent[] =>
      q.list.all().map((r) => ({
        eventId: r.event_id,
        type: r.type,
        streamId: r.stream_id,
        code: r.code,
        field: r.field,
        message: r.message,
        quarantinedAt: r.quarantined_at,
      })),
    quarantineCount: () => q.count.get()?.n ?? 0,
    release: (eventId: string) => q.release.run(eventId),
  };
}
