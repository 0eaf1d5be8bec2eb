/**
 * Outages for HQ, folded generically from `outage.*` events: the outage catalogue
 * (issue 4) settles its event names and payloads separately, so this fold only assumes
 * that payloads are objects, later ones refine earlier ones, and an event type ending
 * in `closed` or `resolved` ends the outage.
 * TODO(issue 4): fold with the shared outage reducer once `src-shared` has one.
 */
import type { EventEnvelope } from '../../src-shared/events.ts';
import { compareEvents } from '../../src-shared/events.ts';
import type { HqOutage } from '../../src-shared/sync-wire.ts';

export const OUTAGE_EVENT_PREFIX = 'outage.';

export function foldOutage(facility: string, events: readonly EventEnvelope[]): HqOutage | null {
  const ordered = [...events].sort(compareEvents);
  const first = ordered[0];
  const last = ordered.at(-1);
  if (!first || !last) return null;
  const details: Record<string, unknown> = {};
  let status: HqOutage['status'] = 'open';
  for (const event of ordered) {
    if (typeof event.payload === 'object' && event.payload !== null && !Array.isArray(event.payload)) {
      Object.assign(details, event.payload);
    }
    status = /\.(closed|resolved)$/.test(event.type) ? 'closed' : 'open';
  }
  return {
    id: first.streamId,
    facility,
    status,
    openedHlc: first.hlc,
    updatedHlc: last.hlc,
    lastType: last.type,
    events: ordered.length,
    details,
  };
}
