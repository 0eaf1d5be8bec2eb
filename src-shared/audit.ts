/**
 * The audit trail: who did what, when, read straight from the event log. Exports
 * are themselves facts in the log (`audit.exported`), so taking data out of the
 * console leaves a trace that syncs like everything else.
 */
import { z } from 'zod';
import { Uuid } from './incident.ts';
import { StaffNumber, type Role } from './staff.ts';

export const AuditQueryInput = z
  .object({
    /** Events this staff member did (actor) or that concern them (sign-in attempts, roster changes). */
    staffNumber: StaffNumber.optional(),
    /** Events of the incident and of its escalations. */
    incidentId: Uuid.optional(),
    /** Producing device's wall clock, ms, inclusive. */
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
    /** Page backwards: only events logged before this sequence number. */
    beforeSeq: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type AuditQueryInput = z.input<typeof AuditQueryInput>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  id: z.string(),
  type: z.string(),
  streamId: z.string(),
  actor: z.string(),
  deviceId: z.string(),
  deviceTime: z.number().int(),
  hlc: z.string(),
  /** The event's payload, secrets (PIN hashes) replaced by `[redacted]`. */
  payload: z.unknown(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQueryOutput = z.object({
  items: z.array(AuditEntry),
  /** Pass as `beforeSeq` for the next (older) page; null when this was the last. */
  nextBeforeSeq: z.number().int().nullable(),
});

/** What may be exported, and the least role that may export it. */
export const EXPORT_KINDS = {
  'audit-trail': 'admin',
  incidents: 'supervisor',
  'outage-evidence': 'supervisor',
} as const satisfies Record<string, Role>;
export type ExportKind = keyof typeof EXPORT_KINDS;
export const ExportKindSchema = z.enum(Object.keys(EXPORT_KINDS) as [ExportKind, ...ExportKind[]]);

const FilterValue = z.union([
  z.string().max(500),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string().max(200)).max(50),
]);
export const ExportFilters = z
  .record(z.string().max(60), FilterValue)
  .refine((f) => Object.keys(f).length <= 30, { error: 'at most 30 filters' });

export const AuditExportedPayload = z.object({
  kind: ExportKindSchema,
  filters: ExportFilters,
  /** How many records the export held, when the caller knows. */
  count: z.number().int().nonnegative().nullable(),
});

export const AuditExportInput = z
  .object({
    kind: ExportKindSchema,
    filters: ExportFilters.default({}),
    count: z.number().int().nonnegative().optional(),
  })
  .strict();
export const AuditExportOutput = z.object({ eventId: z.string(), loggedAt: z.number().int() });

export const REDACTED = '[redacted]';
