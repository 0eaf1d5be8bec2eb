/**
 * What this console owes the tracker: every event it holds that the tracker has not
 * acknowledged, whoever authored it (store-and-forward, DESIGN §10). A console whose own
 * WAN is down gets its events to HQ through any peer that reaches the tracker; the
 * tracker keeps each event once by id, so two consoles forwarding the same event cost
 * one duplicate answer, never a second copy. Quarantined events wait for an admin.
 */
import type { EventStore } from '../store/event-store.ts';
import type { StoredEvent } from '../../../src-shared/events.ts';

export function createForwardOutbox(store: EventStore) {
  const q = {
    ids: store.db.prepare<[number], { id: string }>(
      `SELECT id FROM events WHERE synced_at IS NULL
         AND id NOT IN (SELECT event_id FROM sync_quarantine) ORDER BY seq LIMIT ?`,
    ),
    count: store.db.prepare<[], { n: number }>(
      `SELECT count(*) AS n FROM events WHERE synced_at IS NULL
         AND id NOT IN (SELECT event_id FROM sync_quarantine)`,
    ),
  };
  return {
    take(limit: number): StoredEvent[] {
      return q.ids
        .all(limit)
        .map((r) => store.getEvent(r.id))
        .filter((e): e is StoredEvent => e !== null);
    },
    count: () => q.count.get()?.n ?? 0,
  };
}
