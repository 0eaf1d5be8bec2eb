/**
 * Data protection on the console: closed incidents leave the console's list and search
 * after a retention period (they stay in the append-only log and at the tracker, which
 * keeps them), and opening an incident is itself a fact, so "who read this" can be
 * answered from the audit trail.
 */
import { z } from 'zod';

/** Why an incident left this console's views. The only reason today is the retention period. */
export const IncidentArchivedPayload = z.object({
  reason: z.literal('retention'),
  /** The period in force on the console that archived it. */
  retentionDays: z.number().int().min(1).max(36_500),
  /** The incident's last change (HLC wall time, ms) that the period was counted from. */
  lastActivityAt: z.number().int().nonnegative(),
});
export type IncidentArchivedPayload = z.infer<typeof IncidentArchivedPayload>;

/** Someone opened the incident (`incidents.get`); who and when are the event's actor and time. */
export const IncidentViewedPayload = z.object({}).strict();

export const RetentionStatus = z.object({
  /** Closed incidents untouched this many days are archived; null: retention is off. */
  closedIncidentDays: z.number().int().nullable(),
  /** Closed incidents past the period now, waiting for the next run. */
  due: z.number().int(),
  /** Incidents archived on this console so far (by any console of the facility). */
  archived: z.number().int(),
  lastRun: z.object({ at: z.number().int(), archived: z.number().int() }).nullable(),
});
export type RetentionStatus = z.infer<typeof RetentionStatus>;

export const RetentionRunOutput = z.object({
  archived: z.number().int(),
  status: RetentionStatus,
});
export type RetentionRunOutput = z.infer<typeof RetentionRunOutput>;

export const DAY_MS = 24 * 60 * 60 * 1000;
