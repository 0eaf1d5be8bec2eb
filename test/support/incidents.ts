import type { IncidentCreateInput } from '../../src-shared/api.ts';

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
