/**
 * The incident reducer. Pure and deterministic: any console (and the tracker) that
 * holds the same events computes the same incident, whatever order they arrived in.
 * - fields are last-writer-wins by (hlc, deviceId): events are sorted, then applied;
 * - status follows STATUS_TRANSITIONS; an illegal transition is kept as a conflict,
 *   never dropped silently.
 */
import { canTransition, type Incident, type IncidentConflict } from './incident.ts';
import { inFoldOrder, parseEventPayload, type EventEnvelope } from './events.ts';

export function foldIncident(events: readonly EventEnvelope[]): Incident | null {
  const ordered = inFoldOrder(events);
  let incident: Incident | null = null;
  const orphans: EventEnvelope[] = [];

  for (const event of ordered) {
    if (incident) {
      applyEvent(incident, event);
      continue;
    }
    if (event.type !== 'incident.created') {
      orphans.push(event);
      continue;
    }
    const parsed = parseEventPayload('incident.created', event.payload);
    if (!parsed.success) continue;
    incident = {
      ...parsed.data,
      id: event.streamId,
      status: 'open',
      createdHlc: event.hlc,
      updatedHlc: event.hlc,
      createdDeviceTime: event.deviceTime,
      notes: [],
      conflicts: [],
    };
  }
  if (incident) {
    for (const orphan of orphans) {
      incident.conflicts.push(
        conflict(orphan, 'orphan_event', `${orphan.type} ordered before the incident was created`),
      );
    }
  }
  return incident;
}

/**
 * The fold carried on: `incident` is `foldIncident(held)` and every one of `later` sorts
 * after every held event (compareEvents), so the result equals `foldIncident([...held,
 * ...later])` — provided no held event was an orphan (ordered before the creation), whose
 * conflicts the full fold appends last. The caller checks that (the incident's `createdHlc`
 * is the stream's first HLC); the store uses this to fold a stream's new events onto its
 * projected incident instead of re-reading the whole stream (issue 12, mesh catch-up).
 * Mutates and returns `incident`.
 */
export function continueIncident(incident: Incident, later: readonly EventEnvelope[]): Incident {
  for (const event of inFoldOrder(later)) applyEvent(incident, event);
  return incident;
}

/** One event after the creation, in order: a second creation is a conflict, the rest change the incident. */
function applyEvent(incident: Incident, event: EventEnvelope): void {
  if (event.type !== 'incident.created') return applyChange(incident, event);
  const parsed = parseEventPayload('incident.created', event.payload);
  if (!parsed.success) return;
  incident.conflicts.push(conflict(event, 'duplicate_create', 'incident created twice; first creation kept'));
}

function applyChange(incident: Incident, event: EventEnvelope): void {
  switch (event.type) {
    case 'incident.updated': {
      const parsed = parseEventPayload('incident.updated', event.payload);
      if (!parsed.success) return;
      Object.assign(incident, parsed.data.patch);
      break;
    }
    case 'incident.status_changed': {
      const parsed = parseEventPayload('incident.status_changed', event.payload);
      if (!parsed.success) return;
      const { to } = parsed.data;
      if (!canTransition(incident.status, to)) {
        incident.conflicts.push(conflict(event, 'illegal_transition', `${incident.status} -> ${to}`));
        return;
      }
      incident.status = to;
      break;
    }
    case 'incident.note_added': {
      const parsed = parseEventPayload('incident.note_added', event.payload);
      if (!parsed.success) return;
      incident.notes.push({
        id: parsed.data.noteId,
        text: parsed.data.text,
        author: event.actor,
        hlc: event.hlc,
        deviceTime: event.deviceTime,
      });
      break;
    }
    default:
      return;
  }
  incident.updatedHlc = event.hlc;
}

function conflict(event: EventEnvelope, kind: IncidentConflict['kind'], detail: string): IncidentConflict {
  return { eventId: event.id, kind, detail, hlc: event.hlc, deviceId: event.deviceId };
}
