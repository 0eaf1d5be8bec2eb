/**
 * Outages: one record per root cause while phones are out. The monitor opens one
 * when a critical line goes DOWN (lines behind the same trunk join it), a guard's
 * report on a line that still looks UP opens a `reported` one, and recovery or a
 * supervisor closes it. These are the facts issue 7's ledger and reports read.
 */
import { z } from 'zod';
import { LineEvidence, LineProblem } from './telephony.ts';

export const OUTAGE_KINDS = ['automatic', 'reported'] as const;
export const OutageKind = z.enum(OUTAGE_KINDS);
export type OutageKind = z.infer<typeof OutageKind>;

/** `trunk_down`: the trunk line itself failed; `lines_down`: lines failed (maybe behind a trunk); `reported`: a guard said so. */
export const OutageCause = z.enum(['trunk_down', 'lines_down', 'reported']);
export type OutageCause = z.infer<typeof OutageCause>;

export const OutageLineEvidence = z.object({
  lineId: z.string().max(64),
  evidence: LineEvidence,
  /** The console whose probe this is (stamped by the fold): one outage holds every console's evidence. */
  deviceId: z.string().max(64).optional(),
});
export type OutageLineEvidence = z.infer<typeof OutageLineEvidence>;

export const OutageReport = z.object({
  reportId: z.uuid(),
  lineId: z.string().max(64),
  problem: LineProblem,
  text: z.string().max(2000),
  reporter: z.string().max(120),
});

export const OutageOpenedPayload = z.object({
  facilityId: z.string().max(64),
  outageId: z.uuid(),
  kind: OutageKind,
  cause: OutageCause,
  lineIds: z.array(z.string().max(64)).min(1).max(2000),
  /** The trunk line the affected lines share (`via`), or the trunk itself; null when none. */
  trunk: z.string().max(64).nullable(),
  openedAt: z.number().int().nonnegative(),
  evidence: z.array(OutageLineEvidence).max(2000),
  report: OutageReport.nullable(),
});
export type OutageOpenedPayload = z.infer<typeof OutageOpenedPayload>;

export const OutageLineJoinedPayload = z.object({
  outageId: z.uuid(),
  lineId: z.string().max(64),
  at: z.number().int().nonnegative(),
  evidence: LineEvidence,
});
export type OutageLineJoinedPayload = z.infer<typeof OutageLineJoinedPayload>;

export const OutageResolvedPayload = z.object({
  outageId: z.uuid(),
  resolvedAt: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative(),
  /** `recovered`: every line came back UP; `manual`: a supervisor closed it; `lines_removed`: the config dropped them. */
  reason: z.enum(['recovered', 'manual', 'lines_removed']),
  note: z.string().trim().max(2000).default(''),
});
export type OutageResolvedPayload = z.infer<typeof OutageResolvedPayload>;

export const OutageConfirmedPayload = z.object({
  outageId: z.uuid(),
  at: z.number().int().nonnegative(),
  note: z.string().trim().max(2000).default(''),
});
export const OutageDismissedPayload = z.object({
  outageId: z.uuid(),
  at: z.number().int().nonnegative(),
  reason: z.string().trim().max(2000).default(''),
});

export const OutageStatus = z.enum(['open', 'resolved', 'dismissed']);
export type OutageStatus = z.infer<typeof OutageStatus>;

const Decision = z.object({ by: z.string(), at: z.number().int(), text: z.string() });

export const Outage = z.object({
  id: z.string(),
  facilityId: z.string(),
  kind: OutageKind,
  cause: OutageCause,
  status: OutageStatus,
  lineIds: z.array(z.string()),
  trunk: z.string().nullable(),
  openedAt: z.number().int(),
  openedBy: z.string(),
  resolvedAt: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  resolution: z.enum(['recovered', 'manual', 'lines_removed']).nullable(),
  confirmed: Decision.nullable(),
  dismissed: Decision.nullable(),
  evidence: z.array(OutageLineEvidence),
  report: OutageReport.nullable(),
  openedHlc: z.string(),
  updatedHlc: z.string(),
});
export type Outage = z.infer<typeof Outage>;

// Console API shapes (see `consoleApi` in api.ts).
export const OutageListInput = z
  .object({ open: z.boolean().optional(), limit: z.number().int().min(1).max(1000).default(100) })
  .strict();
export const OutageDecisionInput = z
  .object({ outageId: z.uuid(), note: z.string().trim().max(2000).default('') })
  .strict();
