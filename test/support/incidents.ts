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
