import { v7 as uuidv7 } from 'uuid';
import type { IncidentCreateInput } from '../../src-shared/api.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { encodeHlc } from '../../src-shared/hlc.ts';

export function incidentInput(overrides: Partial<IncidentCreateInput> = {}): IncidentCreateInput {
  return {
    facility: 'Märsta',
    unit: 'Avdelning B',
    category: 'threat',
    severity: 'high',
    title: 'Hot mot personal vid matsalen',
    description: 'Intagen hotade personal med överfall efter telefonsamtal.',
    peopleInvolved: ['A. Andersson'],
    location: 'Matsalen',
    occurredAt: '2026-11-25T21:14:00+01:00',
    reportedBy: 'V1234',
    ...overrides,
  };
}

/**
 * An incident with the fields the form requires and no more, occurring now: a high threat on
 * Avdelning B in Märsta unless overridden (what the mesh tests log from a console).
 */
export function incidentNow(
  title: string,
  reportedBy: string,
  overrides: Partial<IncidentCreateInput> = {},
): IncidentCreateInput {
  return {
    facility: 'Märsta',
    unit: 'Avdelning B',
    category: 'threat',
    severity: 'high',
    title,
    occurredAt: new Date().toISOString(),
    reportedBy,
    ...overrides,
  };
}

/** A medium technical incident: what the sync tests log by the hundred (no escalation policy matches it). */
export function technicalIncident(title: string, overrides: Partial<IncidentCreateInput> = {}): IncidentCreateInput {
  return incidentInput({ title, category: 'technical', severity: 'medium', ...overrides });
}

/** The store tests' incident: a threat in corridor 2 as guard-1 logged it (a fresh object each call). */
export function corridorThreat(): IncidentCreateInput {
  return incidentInput({
    title: 'Hot mot personal',
    description: 'Intagen hotade personal.',
    location: 'Korridor 2',
    reportedBy: 'guard-1',
  });
}

let created = 0;

/** An `incident.created` event as another console would have authored it (straight into a store). */
export function incidentCreated(
  overrides: Partial<IncidentCreateInput> = {},
  at = Date.UTC(2026, 10, 25, 20, 14) + created * 1000,
): EventEnvelope {
  created += 1;
  const streamId = uuidv7();
  const payload = incidentInput(overrides);
  return {
    id: uuidv7(),
    streamId,
    type: 'incident.created',
    payload,
    actor: payload.reportedBy,
    deviceId: 'support-console',
    deviceTime: at,
    hlc: encodeHlc({ wallMs: at, counter: created, node: 'support-console' }),
  };
}

/**
 * Note number `n` on one stream, as console `deviceId` (default `dev-a`) would author it at `at` (its device time and
 * HLC wall time): the store tests' smallest authored event, numbered and signed by the store.
 */
export function authoredNote(n: number, at: number, deviceId = 'dev-a'): EventEnvelope {
  return {
    id: `019ab000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    streamId: 'stream-1',
    type: 'incident.note_added',
    payload: { noteId: '019ab000-0000-7000-8000-0000000000ff', text: `note ${n}` },
    actor: 'V1',
    deviceId,
    deviceTime: at,
    hlc: encodeHlc({ wallMs: at, counter: 0, node: deviceId }),
  };
}
