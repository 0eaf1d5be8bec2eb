/**
 * The outage reducer: pure and deterministic, so every console and the tracker fold
 * the same events into the same outage, whatever order they arrived in. The first
 * closing event (resolved or dismissed, by HLC order) wins; a later one from another
 * console is ignored as a duplicate of the same fact.
 */
import { compareEvents, parseEventPayload, type EventEnvelope } from './events.ts';
import type { Outage } from './outages.ts';

export function foldOutage(events: readonly EventEnvelope[]): Outage | null {
  const ordered = [...events].sort(compareEvents);
  let outage: Outage | null = null;
  for (const event of ordered) {
    if (event.type === 'outage.opened') {
      const p = parseEventPayload('outage.opened', event.payload);
      if (!p.success || outage) continue;
      outage = {
        id: event.streamId,
        facilityId: p.data.facilityId,
        kind: p.data.kind,
        cause: p.data.cause,
        status: 'open',
        lineIds: [...new Set(p.data.lineIds)],
        trunk: p.data.trunk,
        openedAt: p.data.openedAt,
        openedBy: event.actor,
        resolvedAt: null,
        durationMs: null,
        resolution: null,
        confirmed: null,
        dismissed: null,
        evidence: p.data.evidence,
        report: p.data.report,
        openedHlc: event.hlc,
        updatedHlc: event.hlc,
      };
      continue;
    }
    if (!outage) continue; // events for an outage whose opening has not arrived yet
    if (applyChange(outage, event)) outage.updatedHlc = event.hlc;
  }
  return outage;
}

function applyChange(outage: Outage, event: EventEnvelope): boolean {
  switch (event.type) {
    case 'outage.line_joined': {
      const p = parseEventPayload('outage.line_joined', event.payload);
      if (!p.success || outage.lineIds.includes(p.data.lineId)) return false;
      outage.lineIds.push(p.data.lineId);
      outage.evidence.push({ lineId: p.data.lineId, evidence: p.data.evidence });
      // Lines behind a trunk may fail before the trunk's own probe does: once it joins, the trunk is the cause.
      if (p.data.lineId === outage.trunk && outage.cause === 'lines_down') outage.cause = 'trunk_down';
      return true;
    }
    case 'outage.resolved': {
      const p = parseEventPayload('outage.resolved', event.payload);
      if (!p.success || outage.status !== 'open') return false;
      outage.status = 'resolved';
      outage.resolvedAt = p.data.resolvedAt;
      outage.durationMs = p.data.durationMs;
      outage.resolution = p.data.reason;
      return true;
    }
    case 'outage.confirmed': {
      const p = parseEventPayload('outage.confirmed', event.payload);
      if (!p.success || outage.confirmed || outage.status === 'dismissed') return false;
      outage.confirmed = { by: event.actor, at: p.data.at, text: p.data.note };
      return true;
    }
    case 'outage.dismissed': {
      const p = parseEventPayload('outage.dismissed', event.payload);
      if (!p.success || outage.status !== 'open') return false;
      outage.status = 'dismissed';
      outage.dismissed = { by: event.actor, at: p.data.at, text: p.data.reason };
      outage.resolvedAt = p.data.at;
      outage.durationMs = Math.max(0, p.data.at - outage.openedAt);
      return true;
    }
    default:
      return false;
  }
}
