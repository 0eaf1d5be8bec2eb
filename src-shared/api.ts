/**
 * The console API: every method the UI can call, declared once. Electron IPC, the
 * browser host and tests all dispatch through the same map, so there is no second
 * list of channel names anywhere.
 */
import { z } from 'zod';
import {
  Incident,
  IncidentCategory,
  IncidentFields,
  IncidentPatch,
  IncidentSeverity,
  IncidentStatus,
  Uuid,
} from './incident.ts';
import { StoredEvent } from './events.ts';
import {
  MeshPairInput,
  MeshPairOutput,
  MeshPairingCode,
  MeshRemovePeerInput,
  MeshRevokeDeviceInput,
  QuarantinedEvent,
  SyncEnrollInput,
  SyncPreview,
  SyncPreviewInput,
  SyncStatus,
  UpdateAvailability,
  ConsoleUpdate,
} from './sync.ts';
import {
  AuthState,
  BootstrapAdminInput,
  ChangePinInput,
  SignInInput,
  StaffEnrollInput,
  StaffSetPinInput,
  StaffSummary,
  StaffUpdateInput,
} from './staff.ts';
import { Alarm, EscalationListInput, EscalationRef, EscalationStartInput, EscalationView } from './escalation.ts';
import { AuditExportInput, AuditExportOutput, AuditQueryInput, AuditQueryOutput } from './audit.ts';
import {
  ConfigStatus,
  DemoSetFaultInput,
  DemoStatus,
  LineBoard,
  LineHistory,
  LineHistoryInput,
  LineView,
  ReportProblemInput,
  ReportProblemOutput,
} from './telephony.ts';
import { Outage, OutageDecisionInput, OutageListInput } from './outages.ts';
import {
  VoiceCallsInput,
  VoiceLineStatus,
  VoiceSetCredentialInput,
  VoiceTestNowInput,
  VoiceTestNowOutput,
} from './voice.ts';
import { RetentionRunOutput, RetentionStatus } from './retention.ts';
import { CarrierTicketInput } from './carrier-ticket.ts';
import {
  LedgerGetInput,
  LedgerRow,
  PdfExportOutput,
  PeriodReportView,
  LedgerPage,
  LedgerPageInput,
  ReportInput,
  Tmf621ExportOutput,
} from './figures-report.ts';

const Empty = z.object({}).strict();

export const SystemInfo = z.object({
  appVersion: z.string(),
  host: z.enum(['electron', 'web', 'test']),
  deviceId: z.string(),
  facility: z.string(),
  unit: z.string(),
  dataFile: z.string(),
  schemaVersion: z.number().int(),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

export const IncidentCreateInput = IncidentFields.extend({
  /** Optional client-chosen id so a retried submit cannot create two incidents. */
  id: Uuid.optional(),
});
export type IncidentCreateInput = z.input<typeof IncidentCreateInput>;

export const IncidentSummary = Incident.pick({
  id: true,
  facility: true,
  unit: true,
  category: true,
  severity: true,
  title: true,
  status: true,
  occurredAt: true,
  reportedBy: true,
  createdHlc: true,
  updatedHlc: true,
}).extend({ noteCount: z.number().int(), conflictCount: z.number().int(), pendingSync: z.boolean() });
export type IncidentSummary = z.infer<typeof IncidentSummary>;

export const IncidentListInput = z
  .object({
    status: z.array(IncidentStatus).max(5).optional(),
    category: z.array(IncidentCategory).max(6).optional(),
    severity: z.array(IncidentSeverity).max(4).optional(),
    query: z.string().trim().max(200).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type IncidentListInput = z.input<typeof IncidentListInput>;

export const ChainReport = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z.object({ seq: z.number().int(), id: z.string(), reason: z.string() }).nullable(),
});
export type ChainReport = z.infer<typeof ChainReport>;

export const consoleApi = {
  'system.info': { input: Empty, output: SystemInfo },
  'incidents.create': { input: IncidentCreateInput, output: Incident },
  'incidents.update': { input: z.object({ id: Uuid, patch: IncidentPatch }).strict(), output: Incident },
  'incidents.setStatus': {
    input: z.object({ id: Uuid, to: IncidentStatus, reason: z.string().trim().max(1000).optional() }).strict(),
    output: Incident,
  },
  'incidents.addNote': {
    input: z.object({ id: Uuid, text: z.string().trim().min(1, { error: 'required' }).max(5000) }).strict(),
    output: Incident,
  },
  'incidents.list': {
    input: IncidentListInput,
    output: z.object({ items: z.array(IncidentSummary), total: z.number().int() }),
  },
  'incidents.get': {
    input: z.object({ id: Uuid }).strict(),
    output: z.object({ incident: Incident, timeline: z.array(StoredEvent) }),
  },
  'store.verifyChain': { input: Empty, output: ChainReport },
  'auth.session': { input: Empty, output: AuthState },
  'auth.signIn': { input: SignInInput, output: AuthState },
  'auth.signOut': { input: Empty, output: AuthState },
  'auth.bootstrapAdmin': { input: BootstrapAdminInput, output: AuthState },
  'auth.lock': { input: Empty, output: AuthState },
  'auth.touch': { input: Empty, output: AuthState },
  'auth.changePin': { input: ChangePinInput, output: AuthState },
  'staff.list': { input: Empty, output: z.object({ items: z.array(StaffSummary) }) },
  'staff.enroll': { input: StaffEnrollInput, output: StaffSummary },
  'staff.update': { input: StaffUpdateInput, output: StaffSummary },
  'staff.setPin': { input: StaffSetPinInput, output: StaffSummary },
  'alarms.list': { input: Empty, output: z.object({ alarms: z.array(Alarm) }) },
  'escalation.list': { input: EscalationListInput, output: z.object({ items: z.array(EscalationView) }) },
  'escalation.get': {
    input: EscalationRef,
    output: z.object({ escalation: EscalationView, timeline: z.array(StoredEvent) }),
  },
  'escalation.start': { input: EscalationStartInput, output: EscalationView },
  'escalation.acknowledge': { input: EscalationRef, output: EscalationView },
  'audit.query': { input: AuditQueryInput, output: AuditQueryOutput },
  'audit.exportLogged': { input: AuditExportInput, output: AuditExportOutput },
  'retention.status': { input: Empty, output: RetentionStatus },
  'retention.run': { input: Empty, output: RetentionRunOutput },
  'sync.status': { input: Empty, output: SyncStatus },
  'sync.enroll': { input: SyncEnrollInput, output: SyncStatus },
  'sync.previewEnrolment': { input: SyncPreviewInput, output: SyncPreview },
  'sync.updateAvailable': { input: Empty, output: UpdateAvailability },
  'update.status': { input: Empty, output: ConsoleUpdate },
  'sync.retryNow': { input: Empty, output: SyncStatus },
  'sync.quarantine': { input: Empty, output: z.object({ items: z.array(QuarantinedEvent) }) },
  'sync.releaseQuarantine': { input: z.object({ eventId: Uuid }).strict(), output: SyncStatus },
  'mesh.pairingCode': { input: Empty, output: MeshPairingCode },
  'mesh.pair': { input: MeshPairInput, output: MeshPairOutput },
  'mesh.removePeer': { input: MeshRemovePeerInput, output: SyncStatus },
  'mesh.revokeDevice': { input: MeshRevokeDeviceInput, output: SyncStatus },
  'lines.board': { input: Empty, output: LineBoard },
  'lines.history': { input: LineHistoryInput, output: LineHistory },
  'lines.reportProblem': { input: ReportProblemInput, output: ReportProblemOutput },
  'voice.status': { input: VoiceCallsInput, output: VoiceLineStatus },
  'voice.testNow': { input: VoiceTestNowInput, output: VoiceTestNowOutput },
  'voice.setCredential': {
    input: VoiceSetCredentialInput,
    output: z.object({ ref: z.string(), storage: z.enum(['service-account-file', 'electron-safe-storage']) }),
  },
  'outages.list': { input: OutageListInput, output: z.object({ items: z.array(Outage) }) },
  'outages.confirm': { input: OutageDecisionInput, output: Outage },
  'outages.dismiss': { input: OutageDecisionInput, output: Outage },
  'outages.resolve': { input: OutageDecisionInput, output: Outage },
  'ledger.get': { input: LedgerGetInput, output: LedgerRow },
  'ledger.setCarrierTicket': { input: CarrierTicketInput, output: LedgerRow },
  'reports.period': { input: ReportInput, output: PeriodReportView },
  'reports.ledgerPage': { input: LedgerPageInput, output: LedgerPage },
  'reports.exportTmf621': { input: ReportInput, output: Tmf621ExportOutput },
  'reports.exportPdf': { input: ReportInput, output: PdfExportOutput },
  'config.status': { input: Empty, output: ConfigStatus },
  'demo.status': { input: Empty, output: DemoStatus },
  'demo.setLineFault': { input: DemoSetFaultInput, output: DemoStatus },
  // Issue 14: the desktop console stops monitoring only when a supervisor says so (logged).
  'console.quit': { input: Empty, output: z.object({ eventId: z.string() }) },
} as const;

export type ConsoleApi = typeof consoleApi;
export type MethodName = keyof ConsoleApi;
export const METHOD_NAMES = Object.keys(consoleApi) as MethodName[];
export type MethodInput<M extends MethodName> = z.input<ConsoleApi[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<ConsoleApi[M]['output']>;

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(consoleApi, name);
}

/** Push events, core -> renderer, on one typed channel. */
export const consoleEvents = {
  'incidents.changed': z.object({ ids: z.array(z.string()) }),
  'sync.status': SyncStatus,
  /** The session or lock changed (sign-in, sign-out, user switch, idle lock). */
  'auth.changed': AuthState,
  /** The alarms this console shows changed; the banner and sound follow this list. */
  'alarm.changed': z.object({ alarms: z.array(Alarm) }),
  'escalations.changed': z.object({ ids: z.array(z.string()) }),
  /** Lines whose state, last check or RTT changed; `fallbackActive` covers the whole facility. */
  'lines.changed': z.object({ lines: z.array(LineView), fallbackActive: z.boolean() }),
  'outages.changed': z.object({ ids: z.array(z.string()) }),
  /** A line's test calls changed: one started, finished or was queued. */
  'voice.changed': z.object({ lineId: z.string() }),
  /** The facility config was (re)loaded, or an edit was refused (the last good one stays). */
  'config.changed': ConfigStatus,
  /** The Electron console's own update moved on (downloaded, held by an alarm, failed). */
  'update.changed': ConsoleUpdate,
  /**
   * A long job's progress (issue 16: every long job shows progress): the chain check,
   * reports and exports, retention sweeps. `job` is unique per run; `method` is the call
   * it serves (a timed sweep reports as `retention.run`); `done` of `total` (events
   * checked, steps, incidents archived). A job that ends sends done === total.
   */
  'jobs.progress': z.object({
    job: z.string(),
    method: z.enum([
      'store.verifyChain',
      'reports.period',
      'reports.ledgerPage',
      'reports.exportTmf621',
      'reports.exportPdf',
      'retention.run',
    ]),
    done: z.number().int().min(0),
    total: z.number().int().min(0),
  }),
} as const;
export type ConsoleEvents = typeof consoleEvents;
export type PushEventName = keyof ConsoleEvents;
export type PushEventPayload<E extends PushEventName> = z.infer<ConsoleEvents[E]>;
