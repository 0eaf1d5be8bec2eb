/**
 * Threat escalation: the policies a facility configures, the facts an escalation
 * leaves in the log, and what a console shows as an alarm.
 *
 * An escalation walks a ladder of levels; each level notifies its targets and waits
 * for an acknowledgement. Nobody acknowledges in time: the next level. The ladder
 * runs `repeat` times in all. Incidents of the severities in `twoPersonSeverities`
 * need acknowledgements from two different supervisors.
 *
 * Levels and rounds are numbered from 1 in events and in the API, as people say them.
 */
import { z } from 'zod';
import { IncidentCategory, IncidentSeverity, Uuid } from './incident.ts';
import { Role, StaffNumber } from './staff.ts';

const PolicyId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, {
  error: 'must be 1-64 letters, digits or . _ : -',
});

export const EscalationTarget = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('role'),
      role: Role.exclude(['guard'], { error: 'must be supervisor or admin: only they can acknowledge' }),
      /** `unit`: only staff whose units include the incident's unit. */
      scope: z.enum(['unit', 'facility']).default('facility'),
    })
    .strict(),
  z.object({ kind: z.literal('staff'), staffNumbers: z.array(StaffNumber).min(1).max(50) }).strict(),
]);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

export const EscalationLevel = z
  .object({
    targets: z.array(EscalationTarget).min(1, { error: 'a level needs at least one target' }).max(10),
    ackTimeoutMs: z.number().int().min(1000).max(3_600_000),
  })
  .strict();
export type EscalationLevel = z.infer<typeof EscalationLevel>;

export const EscalationPolicy = z
  .object({
    id: PolicyId,
    /** Incidents that start this policy by themselves, as soon as they are logged. */
    trigger: z
      .object({
        categories: z.array(IncidentCategory).min(1),
        severities: z.array(IncidentSeverity).min(1),
      })
      .strict(),
    levels: z.array(EscalationLevel).min(1, { error: 'a policy needs at least one level' }).max(10),
    /** How many times the whole ladder runs before the escalation is exhausted (it still alarms). */
    repeat: z.number().int().min(1).max(10).default(2),
    twoPersonSeverities: z.array(IncidentSeverity).default(['critical']),
  })
  .strict();
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

export const EscalationPolicies = z
  .array(EscalationPolicy)
  .max(20)
  .superRefine((policies, ctx) => {
    const seen = new Set<string>();
    policies.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate policy id "${p.id}"` });
      seen.add(p.id);
    });
  });

export const DEFAULT_ESCALATION_POLICIES: EscalationPolicy[] = EscalationPolicies.parse([
  {
    id: 'threat',
    trigger: { categories: ['threat'], severities: ['high', 'critical'] },
    levels: [
      { targets: [{ kind: 'role', role: 'supervisor', scope: 'unit' }], ackTimeoutMs: 60_000 },
      { targets: [{ kind: 'role', role: 'supervisor', scope: 'facility' }], ackTimeoutMs: 60_000 },
      { targets: [{ kind: 'role', role: 'admin', scope: 'facility' }], ackTimeoutMs: 120_000 },
    ],
    repeat: 2,
    twoPersonSeverities: ['critical'],
  },
]);

/** The first policy whose trigger matches the incident, if any. */
export function matchingPolicy(
  policies: readonly EscalationPolicy[],
  incident: { category: IncidentCategory; severity: IncidentSeverity },
): EscalationPolicy | null {
  return (
    policies.find(
      (p) => p.trigger.categories.includes(incident.category) && p.trigger.severities.includes(incident.severity),
    ) ?? null
  );
}

// --- Events (stream = escalation id) -----------------------------------------------------

const Step = z.number().int().min(1).max(100);

export const EscalationStartedPayload = z.object({
  incidentId: Uuid,
  /** `auto`: the incident matched the policy's trigger; `manual`: a supervisor started it. */
  trigger: z.enum(['auto', 'manual']),
  /** The policy as it was when the escalation started, so every console runs the same ladder. */
  policyId: PolicyId,
  levels: z.array(EscalationLevel).min(1).max(10),
  repeat: z.number().int().min(1).max(10),
  requiredAcks: z.union([z.literal(1), z.literal(2)]),
  unit: z.string(),
  severity: IncidentSeverity,
  title: z.string(),
});
export const EscalationNotifiedPayload = z.object({
  incidentId: Uuid,
  level: Step,
  round: Step,
  /** Staff numbers the level's targets resolved to on the roster at that moment. */
  targets: z.array(z.string()).max(500),
});
export const EscalationAcknowledgedPayload = z.object({ incidentId: Uuid, by: StaffNumber, role: Role });
export const EscalationTimedOutPayload = z.object({ incidentId: Uuid, level: Step, round: Step });
export const EscalationResolvedPayload = z.object({
  incidentId: Uuid,
  reason: z.enum(['acknowledged', 'incident_resolved', 'cancelled']),
});

// --- API shapes ----------------------------------------------------------------------------

export const ESCALATION_STATUSES = ['active', 'exhausted', 'resolved'] as const;
export const EscalationStatus = z.enum(ESCALATION_STATUSES);
export type EscalationStatus = z.infer<typeof EscalationStatus>;

export const EscalationView = z.object({
  escalationId: z.string(),
  incidentId: z.string(),
  /** `exhausted`: every level of every round timed out; it alarms until acknowledged. */
  status: EscalationStatus,
  policyId: z.string(),
  trigger: z.enum(['auto', 'manual']),
  unit: z.string(),
  severity: IncidentSeverity,
  title: z.string(),
  level: z.number().int(),
  round: z.number().int(),
  levels: z.number().int(),
  repeat: z.number().int(),
  requiredAcks: z.number().int(),
  acknowledgedBy: z.array(z.string()),
  /** Everyone notified so far, all levels and rounds. */
  notified: z.array(z.string()),
  startedAt: z.number().int(),
  /** Wall-clock ms when the current level times out; null when nothing is pending. */
  nextDueAt: z.number().int().nullable(),
  resolvedReason: EscalationResolvedPayload.shape.reason.nullable(),
});
export type EscalationView = z.infer<typeof EscalationView>;

export const Alarm = z.object({
  escalationId: z.string(),
  incidentId: z.string(),
  title: z.string(),
  severity: IncidentSeverity,
  unit: z.string(),
  level: z.number().int(),
  round: z.number().int(),
  since: z.number().int(),
  acknowledgedBy: z.array(z.string()),
  needsSecondAck: z.boolean(),
  exhausted: z.boolean(),
});
export type Alarm = z.infer<typeof Alarm>;

export const EscalationStartInput = z.object({ incidentId: Uuid, policyId: PolicyId.optional() }).strict();
/** Names one escalation (acknowledge, get). */
export const EscalationRef = z.object({ escalationId: Uuid }).strict();
export const EscalationListInput = z
  .object({
    status: z.array(EscalationStatus).max(3).optional(),
    incidentId: Uuid.optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();
