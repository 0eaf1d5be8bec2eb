/** The facility's line catalog as of the latest `facility.lines_declared` event (HLC order). */
import { compareEvents, type EventEnvelope } from './events.ts';
import { LinesDeclaredPayload, type LineCatalog } from './figures-catalog.ts';

/** The latest declaration in HLC order, or null. */
export function foldLineCatalog(events: readonly EventEnvelope[]): LineCatalog | null {
  let latest: EventEnvelope | null = null;
  for (const e of events) {
    if (e.type !== 'facility.lines_declared') continue;
    if (!latest || compareEvents(e, latest) > 0) latest = e;
  }
  if (!latest) return null;
  const p = LinesDeclaredPayload.safeParse(latest.payload);
  return p.success ? p.data : null;
}
