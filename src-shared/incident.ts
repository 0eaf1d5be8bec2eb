/** Incident domain: what a guard logs, as validated at every boundary. */
import { z } from 'zod';

export const INCIDENT_CATEGORIES = ['threat', 'medical', 'fire', 'technical', 'telephony', 'other'] as const;
export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'escalated', 'resolved', 'closed'] as const;

export const IncidentCategory = z.enum(INCIDENT_CATEGORIES);
export const IncidentSeverity = z.enum(INCIDENT_SEVERITIES);
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentCategory = z.infer<typeof IncidentCategory>;
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** Lowercase UUID (we generate v7; events from older consoles may carry any version). */
export const Uuid = z.uuid({ error: 'must be a UUID' });

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `at most ${max} characters` });
const requiredText = (max: number) => text(max).min(1, { error: 'required' });

/** ISO 8601 timestamp with an offset, e.g. 2026-11-25T21:14:00+01:00. */
export const IsoDateTime = z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' });

/**
 * The longest text each field takes (after trimming), and how many people an incident names:
 * the rules below, and the dispatch's quick check of a create (incident-create-check.ts).
 */
export const INCIDENT_LIMITS = {
  facility: 120,
  unit: 120,
  title: 200,
  description: 5000,
  person: 120,
  people: 50,
  location: 200,
  reportedBy: 120,
} as const;

const people = z
  .array(requiredText(INCIDENT_LIMITS.person))
  .max(INCIDENT_LIMITS.people, { error: `at most ${INCIDENT_LIMITS.people} people` });

/** Field rules without defaults: a patch must never fill in fields it does not mention. */
const IncidentFieldRules = z.object({
  facility: requiredText(INCIDENT_LIMITS.facility),
  unit: requiredText(INCIDENT_LIMITS.unit),
  category: IncidentCategory,
  severity: IncidentSeverity,
  title: requiredText(INCIDENT_LIMITS.title),
  description: text(INCIDENT_LIMITS.description),
  peopleInvolved: people,
  location: text(INCIDENT_LIMITS.location),
  occurredAt: IsoDateTime,
  reportedBy: requiredText(INCIDENT_LIMITS.reportedBy),
});

export const IncidentFields = IncidentFieldRules.extend({
  description: text(INCIDENT_LIMITS.description).default(''),
  peopleInvolved: people.default([]),
  location: text(INCIDENT_LIMITS.location).default(''),
});
export type IncidentFields = z.infer<typeof IncidentFields>;

/** Fields an update may change (facility and the reporter are fixed once logged). */
export const EDITABLE_INCIDENT_FIELDS = [
  'unit',
  'category',
  'severity',
  'title',
  'description',
  'peopleInvolved',
  'location',
  'occurredAt',
] as const;
export type EditableIncidentField = (typeof EDITABLE_INCIDENT_FIELDS)[number];

export const IncidentPatch = IncidentFieldRules.pick({
  unit: true,
  category: true,
  severity: true,
  title: true,
  description: true,
  peopleInvolved: true,
  location: true,
  occurredAt: true,
})
  .partial()
  .refine((p) => Object.keys(p).length > 0, { error: 'nothing to change' });
export type IncidentPatch = z.infer<typeof IncidentPatch>;

export const IncidentNote = z.object({
  id: Uuid,
  text: requiredText(5000),
  author: z.string(),
  hlc: z.string(),
  deviceTime: z.number(),
});
export type IncidentNote = z.infer<typeof IncidentNote>;

export const IncidentConflict = z.object({
  eventId: z.string(),
  kind: z.enum(['illegal_transition', 'duplicate_create', 'orphan_event']),
  detail: z.string(),
  hlc: z.string(),
  deviceId: z.string(),
});
export type IncidentConflict = z.infer<typeof IncidentConflict>;

export const Incident = IncidentFields.extend({
  id: Uuid,
  status: IncidentStatus,
  createdHlc: z.string(),
  updatedHlc: z.string(),
  createdDeviceTime: z.number(),
  notes: z.array(IncidentNote),
  conflicts: z.array(IncidentConflict),
});
export type Incident = z.infer<typeof Incident>;

/** Legal status transitions: open -> acknowledged -> escalated* -> resolved -> closed (resolved may reopen). */
export const STATUS_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  open: ['acknowledged', 'escalated', 'resolved'],
  acknowledged: ['escalated', 'resolved'],
  escalated: ['escalated', 'resolved'],
  resolved: ['closed', 'open'],
  closed: [],
};

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}
