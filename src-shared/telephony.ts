/**
 * Phone line status: what a probe measured, the state a line is in, and the facts
 * (events) a state change or a guard's report leaves in the log. Times are epoch
 * milliseconds of the measuring device's wall clock: evidence, never ordering (the
 * envelope's HLC orders events).
 */
import { z } from 'zod';
import { LINE_CRITICALITIES, LINE_KINDS, PROBE_TYPES, ConfigIssueSchema, ReserveProcedure } from './facility-config.ts';

export const LINE_STATES = ['UP', 'DEGRADED', 'DOWN', 'UNKNOWN'] as const;
export const LineState = z.enum(LINE_STATES);
export type LineState = z.infer<typeof LineState>;

/** A single probe's verdict. `unknown` = the probe could not tell (bad spec, registrar unreachable). */
export const PROBE_OUTCOMES = ['up', 'down', 'degraded', 'unknown'] as const;
export const ProbeOutcome = z.enum(PROBE_OUTCOMES);
export type ProbeOutcome = z.infer<typeof ProbeOutcome>;

/** Machine-readable reason, so the renderer can translate; `detail` keeps the raw evidence. */
export const PROBE_CODES = [
  'sip_status', // a final SIP response; detail has code and reason
  'timeout', // nothing came back in time
  'refused', // ICMP port unreachable (UDP) or TCP RST: nothing listens there
  'network_error', // another socket error (host unreachable, reset...)
  'parse_error', // something answered, but not with a SIP response we could read
  'registered', // registrar has a live contact for the AOR
  'no_contact', // registrar answered: no live contact
  'registrar_error', // registrar unreachable or answered something we cannot read
  'http_status',
  'connected', // tcp probe connected
  'invalid_probe', // the line's probe spec is invalid (config)
  'no_probe', // nothing measures this line (yet)
] as const;
export const ProbeCode = z.enum(PROBE_CODES);
export type ProbeCode = z.infer<typeof ProbeCode>;

export const ProbeResult = z.object({
  ok: z.boolean(),
  state: ProbeOutcome,
  code: ProbeCode,
  rttMs: z.number().nonnegative().nullable(),
  detail: z.string().max(500),
  at: z.number().int().nonnegative(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

export const ProbeTypeSchema = z.enum([...PROBE_TYPES, 'none']);

/** What the monitor saw when it changed a line's state. */
export const LineEvidence = z.object({
  probeType: ProbeTypeSchema,
  ok: z.boolean(),
  code: ProbeCode,
  rttMs: z.number().nonnegative().nullable(),
  detail: z.string().max(500),
  /** Consecutive non-UP probe results at the time of the change. */
  failures: z.number().int().nonnegative(),
  firstFailureAt: z.number().int().nullable(),
  lastSuccessAt: z.number().int().nullable(),
  at: z.number().int().nonnegative(),
});
export type LineEvidence = z.infer<typeof LineEvidence>;

export const LineStatusChangedPayload = z.object({
  facilityId: z.string().max(64),
  lineId: z.string().max(64),
  from: LineState,
  to: LineState,
  evidence: LineEvidence,
});
export type LineStatusChangedPayload = z.infer<typeof LineStatusChangedPayload>;

export const LINE_PROBLEMS = ['no_dial_tone', 'one_way_audio', 'calls_drop', 'cannot_call_out', 'other'] as const;
export const LineProblem = z.enum(LINE_PROBLEMS);
export type LineProblem = z.infer<typeof LineProblem>;

export const LineProblemReportedPayload = z.object({
  facilityId: z.string().max(64),
  lineId: z.string().max(64),
  reportId: z.uuid(),
  problem: LineProblem,
  text: z.string().trim().max(2000).default(''),
  reporter: z.string().min(1).max(120),
  /** The line's state when the guard reported: a report on an UP line is the only signal we have. */
  lineState: LineState,
  at: z.number().int().nonnegative(),
});
export type LineProblemReportedPayload = z.infer<typeof LineProblemReportedPayload>;

/** Stream id of a line's events; one stream per facility line. */
export function lineStreamId(facilityId: string, lineId: string): string {
  return `line:${facilityId}:${lineId}`;
}

/** One line as the status board shows it. */
export const LineView = z.object({
  id: z.string(),
  name: z.string(),
  unit: z.string(),
  kind: z.enum(LINE_KINDS),
  criticality: z.enum(LINE_CRITICALITIES),
  via: z.string().nullable(),
  probeType: ProbeTypeSchema,
  state: LineState,
  /** When the line entered its current state (null: never measured). */
  since: z.number().int().nullable(),
  lastCheckAt: z.number().int().nullable(),
  rttMs: z.number().nullable(),
  code: ProbeCode,
  detail: z.string(),
  failures: z.number().int(),
  lastSuccessAt: z.number().int().nullable(),
  openOutageId: z.string().nullable(),
  lastReport: LineProblemReportedPayload.pick({ problem: true, text: true, reporter: true, at: true }).nullable(),
});
export type LineView = z.infer<typeof LineView>;

export const LineBoard = z.object({
  facility: z.object({ id: z.string(), name: z.string() }).nullable(),
  units: z.array(z.object({ id: z.string(), name: z.string() })),
  lines: z.array(LineView),
  /** True while any critical line is DOWN (or a confirmed reported outage hits one): show the reserve procedure. */
  fallbackActive: z.boolean(),
  reserveProcedure: ReserveProcedure.nullable(),
  demo: z.boolean(),
});
export type LineBoard = z.infer<typeof LineBoard>;

export const LineTransition = z.object({
  eventId: z.string(),
  from: LineState,
  to: LineState,
  at: z.number().int(),
  hlc: z.string(),
  deviceId: z.string(),
  evidence: LineEvidence,
});
export type LineTransition = z.infer<typeof LineTransition>;
export const RttSample = z.object({
  at: z.number().int(),
  outcome: ProbeOutcome,
  rttMs: z.number().nullable(),
});
export type RttSample = z.infer<typeof RttSample>;

export const LineHistory = z.object({
  lineId: z.string(),
  transitions: z.array(LineTransition),
  samples: z.array(RttSample),
  reports: z.array(LineProblemReportedPayload),
});
export type LineHistory = z.infer<typeof LineHistory>;

export const ConfigStatus = z.object({
  /** `none`: telephony not configured on this console; `demo`: the built-in demo facility. */
  source: z.enum(['file', 'demo', 'none']),
  file: z.string().nullable(),
  ok: z.boolean(),
  loadedAt: z.number().int().nullable(),
  /** Why the file is not (or no longer) in force; the last good config keeps running. */
  error: ConfigIssueSchema.nullable(),
  /** Lines whose probe spec is invalid (shown as UNKNOWN). */
  warnings: z.array(ConfigIssueSchema),
  lineCount: z.number().int(),
});
export type ConfigStatus = z.infer<typeof ConfigStatus>;

export const DEMO_FAULTS = ['none', 'down', 'error503', 'blackhole'] as const;
export const DemoFault = z.enum(DEMO_FAULTS);
export type DemoFault = z.infer<typeof DemoFault>;

// Console API shapes (see `consoleApi` in api.ts).
const LineId = z.string().min(1).max(64);
export const LineHistoryInput = z
  .object({ lineId: LineId, limit: z.number().int().min(1).max(2000).default(200) })
  .strict();
export const ReportProblemInput = z
  .object({ lineId: LineId, problem: LineProblem, text: z.string().trim().max(2000).default('') })
  .strict();
export const ReportProblemOutput = z.object({
  reportId: z.string(),
  /** The outage the report joined, or the `reported` outage it opened. */
  outageId: z.string(),
});
export const DemoStatus = z.object({
  /** False unless the console runs the demo facility. */
  enabled: z.boolean(),
  faults: z.record(z.string(), DemoFault),
});
export type DemoStatus = z.infer<typeof DemoStatus>;
export const DemoSetFaultInput = z.object({ lineId: LineId, fault: DemoFault }).strict();
