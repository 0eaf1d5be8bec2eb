/**
 * What the new-incident form holds while a guard types (all text, nothing parsed yet)
 * and how it becomes the API's input. Empty choices stay absent so the API names them.
 */
import type { IncidentCreateInput } from '../../../../src-shared/api.ts';
import type { IncidentCategory, IncidentSeverity } from '../../../../src-shared/incident.ts';
import { localInputToIso } from './occurred-at.ts';
import { parsePeople } from './people.ts';

export interface IncidentDraft {
  category: IncidentCategory | '';
  severity: IncidentSeverity | '';
  title: string;
  description: string;
  people: string;
  location: string;
  /** datetime-local text */
  occurredAt: string;
  unit: string;
  reportedBy: string;
}

/** Form order, which is also the order errors are focused in. */
export const DRAFT_FIELDS = [
  'category',
  'severity',
  'title',
  'description',
  'location',
  'peopleInvolved',
  'occurredAt',
  'unit',
  'reportedBy',
] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];

export function draftToInput(draft: IncidentDraft, id: string, facility: string): IncidentCreateInput {
  return {
    id,
    facility,
    unit: draft.unit,
    ...(draft.category ? { category: draft.category } : {}),
    ...(draft.severity ? { severity: draft.severity } : {}),
    title: draft.title,
    description: draft.description,
    peopleInvolved: parsePeople(draft.people),
    location: draft.location,
    // An unparsable date goes as typed so the API reports it on the field.
    occurredAt: localInputToIso(draft.occurredAt) ?? draft.occurredAt,
    reportedBy: draft.reportedBy,
  } as IncidentCreateInput;
}

export function isDirty(draft: IncidentDraft, initial: IncidentDraft): boolean {
  return (Object.keys(draft) as (keyof IncidentDraft)[]).some((k) => draft[k] !== initial[k]);
}
