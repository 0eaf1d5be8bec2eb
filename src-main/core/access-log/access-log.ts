/**
 * Who opened which incident. Opening one (`incidents.get`) appends an `incident.viewed`
 * event to the incident's own stream, so `audit.query` by incident or by staff member
 * answers it, and the fact syncs to the tracker like any other. Lists and searches are
 * not logged: they show summaries, and logging them would flood the log.
 *
 * Kept cheap: one append without any refold (no projector handles the type), and at most
 * one entry per person and incident within `windowMs` on this console, because the detail
 * view reloads whenever the incident changes and each reload is not a new decision to read.
 */
import type { EventFactory } from '../event-factory.ts';
import type { EventStore } from '../store/event-store.ts';

export const VIEW_WINDOW_MS = 10 * 60 * 1000;
/** Entries older than the window are dropped once the memory holds this many. */
const MAX_REMEMBERED = 5_000;

export interface AccessLog {
  /** Record that `actor` opened the incident; returns whether a new entry was written. */
  incidentOpened(incidentId: string, actor: string): boolean;
}

export interface AccessLogDeps {
  store: EventStore;
  event: EventFactory;
  wallClock: () => number;
  windowMs?: number;
}

export function createAccessLog({ store, event, wallClock, windowMs = VIEW_WINDOW_MS }: AccessLogDeps): AccessLog {
  const lastLogged = new Map<string, number>();

  function forgetOld(now: number): void {
    if (lastLogged.size < MAX_REMEMBERED) return;
    for (const [key, at] of lastLogged) if (now - at >= windowMs) lastLogged.delete(key);
    // Still full of recent entries: start over rather than grow without bound.
    if (lastLogged.size >= MAX_REMEMBERED) lastLogged.clear();
  }

  return {
    incidentOpened(incidentId, actor) {
      const now = wallClock();
      const key = `${actor}\u0000${incidentId}`;
      const previous = lastLogged.get(key);
      if (previous !== undefined && now - previous < windowMs && now >= previous) return false;
      store.append([event('incident.viewed', incidentId, {}, actor)]);
      forgetOld(now);
      lastLogged.set(key, now);
      return true;
    },
  };
}
