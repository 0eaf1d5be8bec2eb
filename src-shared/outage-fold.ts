/**
 * The outage reducer: pure and deterministic, so every console and the tracker fold
 * the same events into the same outage, whatever order they arrived in. The first
 * closing event (resolved or dismissed, by HLC order) wins; a later one from another
 * console is ignored as a duplicate of the same fact.
 *
 * Several consoles watching one trunk open the same automatic outage (derived id, see
 * core/telephony/outage-model.ts): each console's `outage.opened` and `line_joined`
 * lands in the one stream. The first opening sets the outage; later ones merge in —
 * their lines and their evidence (stamped with the console's device id), the earliest
 * opening time — so the failure is one outage with every console's evidence, counted once.
 */
import { compareEvents, parseEventPayload, type EventEnvelope } from './events.ts';
import type { Outage } from './outages.ts';

export function foldOutage(events: readonly EventEnvelope[]): Outage | null {
  const ordered = [...events].sort(compareEvents);
  let outage: Outage | null = null;
  for (const event of ordered) {
    if (event.type === 'outage.opened') {
      const p = parseEventPayload('outage.opened', event.payload);
      if (!p.success) continue;
      const evidence = p.data.evidence.map((e) => ({ ...e, deviceId: event.deviceId }));
      if (outage) {
        if (mergeOpening(outage, p.data.lineIds, evidence, p.data.openedAt, p.data.cause))
          outage.updatedHlc = event.hlc;
        continue;
      }
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
        evidence,
        report: p.data.report,
        openedHlc: event.hlc,
        updatedHlc: event.hlc,
      };
      continue;
    }
    if (!outage) continue; // events for an outage whose opening has not arrived yet
    if (applyChange(outage, event)) outage.updatedHlc = event.hlc;
  }
  // With several openings the earliest sets openedAt: the duration runs from it.
  if (outage && outage.resolvedAt !== null) outage.durationMs = Math.max(0, outage.resolvedAt - outage.openedAt);
  return outage;
}

/** Another console's opening of the same outage: its lines and evidence join, the earliest start wins. */
function mergeOpening(
  outage: Outage,
  lineIds: readonly string[],
  evidence: Outage['evidence'],
  openedAt: number,
  cause: Outage['cause'],
): boolean {
  let changed = false;
  for (const lineId of lineIds) {
    if (outage.lineIds.includes(lineId)) continue;
    outage.lineIds.push(lineId);
    changed = true;
  }
  for (const e of evidence) changed = addEvidence(outage, e) || changed;
  if (openedAt < outage.openedAt) {
    outage.openedAt = openedAt;
    changed = true;
  }
  if (cause === 'trunk_down' && outage.cause === 'lines_down') {
    outage.cause = 'trunk_down';
    changed = true;
  }
  return changed;
}

/** One piece of evidence per line and console. */
function addEvidence(outage: Outage, e: Outage['evidence'][number]): boolean {
  if (outage.evidence.some((x) => x.lineId === e.lineId && x.deviceId === e.deviceId)) return false;
  outage.evidence.push(e);
  return true;
}

function applyChange(outage: Outage, event: EventEnvelope): boolean {
  switch (event.type) {
    case 'outage.line_joined': {
      const p = parseEventPayload('outage.line_joined', event.payload);
      if (!p.success) return false;
      const evidence = { lineId: p.data.lineId, evidence: p.data.evidence, deviceId: event.deviceId };
      if (outage.lineIds.includes(p.data.lineId)) return addEvidence(outage, evidence);
      outage.lineIds.push(p.data.lineId);
      outage.evidence.push(evidence);
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
