/** Sync settings and quarantine, kept in the console's own store. */
import { REKEY_TO_ADOPTED_SQL } from '../telephony/facility-identity.ts';
import type { EventStore } from '../store/event-store.ts';
import type { QuarantinedEvent } from '../../../src-shared/sync.ts';

const KEYS = {
  trackerUrl: 'sync.tracker_url',
  token: 'sync.device_token',
  facility: 'sync.facility',
  facilityName: 'sync.facility_name',
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

  /*
   * The sync status is published after every commit, and reading it took five meta rows and
   * a quarantine count each time (11 meta reads per incident command, the costliest SQL on
   * the command path: npm run bench profile). Kept in memory instead: filled only outside a
   * transaction (so never from a write that may yet roll back) and dropped by every write
   * made through here, the only writer of these keys and of the quarantine.
   */
  let cached: SyncSettings | null = null;
  let cachedQuarantine: number | null = null;
  const changed = () => {
    cached = null;
    cachedQuarantine = null;
  };
  const setMeta = (key: string, value: string) => {
    changed();
    store.setMeta(key, value);
  };
  const readNow = (): SyncSettings => ({
    trackerUrl: store.getMeta(KEYS.trackerUrl),
    token: store.getMeta(KEYS.token),
    facility: store.getMeta(KEYS.facility),
    lastPulledSeq: num(store.getMeta(KEYS.lastPulledSeq)) ?? 0,
    lastSuccessAt: num(store.getMeta(KEYS.lastSuccessAt)),
  });

  return {
    configured: () => store.getMeta(KEYS.trackerUrl) !== null && store.getMeta(KEYS.token) !== null,
    read(): SyncSettings {
      if (cached) return { ...cached };
      const now = readNow();
      if (!db.inTransaction) cached = now;
      return { ...now };
    },
    saveEnrolment(trackerUrl: string, token: string, facility: string, facilityName?: string) {
      changed();
      store.transaction(() => {
        if (store.getMeta(KEYS.trackerUrl) !== trackerUrl) setMeta(KEYS.lastPulledSeq, '0');
        setMeta(KEYS.trackerUrl, trackerUrl);
        setMeta(KEYS.token, token);
        setMeta(KEYS.facility, facility);
        setMeta(KEYS.facilityName, facilityName ?? facility);
        // What this console recorded under its config's facility is the adopted one's now.
        db.exec(REKEY_TO_ADOPTED_SQL);
      });
      changed();
    },
    setLastPulledSeq: (seq: number) => setMeta(KEYS.lastPulledSeq, String(seq)),
    setLastSuccessAt: (at: number) => setMeta(KEYS.lastSuccessAt, String(at)),
    boundKey: () => store.getMeta(KEYS.boundKey),
    setBoundKey: (publicKey: string) => setMeta(KEYS.boundKey, publicKey),
    quarantine(eventId: string, code: string, field: string | null, message: string, at: number) {
      changed();
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
    quarantineCount(): number {
      if (cachedQuarantine !== null) return cachedQuarantine;
      const n = q.count.get()?.n ?? 0;
      if (!db.inTransaction) cachedQuarantine = n;
      return n;
    },
    release(eventId: string) {
      changed();
      return q.release.run(eventId);
    },
  };
}

/**
 * The facility identity this console adopted from its tracker at enrolment (issue 15):
 * one id and one display name everywhere, so the header, reports and HQ agree. Null
 * until enrolled.
 */
export function adoptedFacility(store: Pick<EventStore, 'getMeta'>): { id: string; name: string } | null {
  const id = store.getMeta(KEYS.facility);
  if (id === null) return null;
  return { id, name: store.getMeta(KEYS.facilityName) ?? id };
}

/**
 * The enrolled tracker URL list and device token, read from the store each time (issue
 * 15: the release feed is looked up hourly, so it never needs the sync engine's cache,
 * and a console enrolled while running finds its feed at once). Null until enrolled.
 */
export function enrolledTracker(store: Pick<EventStore, 'getMeta'>): { trackerUrl: string; token: string } | null {
  const trackerUrl = store.getMeta(KEYS.trackerUrl);
  const token = store.getMeta(KEYS.token);
  return trackerUrl && token ? { trackerUrl, token } : null;
}
