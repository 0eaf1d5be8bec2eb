/**
 * The telephony feature's runtime: picks the config (file, demo or none), runs the
 * monitor, records state changes and outages, keeps probe samples, and tells the
 * renderer what changed. Probe results arrive many times a second with 200 lines, so
 * line updates are coalesced into one push; a state change is pushed at once.
 */
import { dirname, join } from 'node:path';
import type { FacilityConfig, LineConfig } from '../../../src-shared/facility-config.ts';
import type { ConfigStatus, DemoFault, LineBoard, LineHistory, LineView } from '../../../src-shared/telephony.ts';
import type { Outage } from '../../../src-shared/outages.ts';
import type { HybridLogicalClock } from '../../../src-shared/hlc.ts';
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { EventStore } from '../store/event-store.ts';
import { fileConfigSource, noConfigSource, staticConfigSource, type FacilityConfigSource } from '../config/index.ts';
import { createLineMonitor, type LineMonitor } from './monitor.ts';
import { systemTimers, type Timers } from '../timers.ts';
import { createEventFactory } from '../event-factory.ts';
import { runProbe as defaultRunProbe, type ProbeRunner } from './probes.ts';
import { createLineQueries } from './line-projection.ts';
import { createOutageQueries } from './outage-projection.ts';
import { createProbeSamples } from './probe-samples.ts';
import { buildBoard, buildHistory, isFallbackActive, lineView, type BoardSources } from './line-board.ts';
import {
  recordDecision,
  recordReload,
  recordReport,
  recordStateChange,
  type FacilityNow,
  type OutageDecision,
  type ProblemReport,
  type RecorderDeps,
} from './status-recorder.ts';
import { startDemoResponder, type DemoResponder } from './demo-responder.ts';
import { DEMO_LINES, demoFacilityConfig } from './demo-facility.ts';
import { createVoiceTests, type PlaceCall, type VoiceTests } from './voice/voice-tests.ts';
import { createCredentialStore, type CredentialStore } from './voice/credential-store.ts';
import { facilityOfFacts } from './facility-identity.ts';

export type TelephonyMode = { kind: 'none' } | { kind: 'file'; file: string } | { kind: 'demo' };

export interface TelephonyPush {
  linesChanged(payload: { lines: LineView[]; fallbackActive: boolean }): void;
  outagesChanged(payload: { ids: string[] }): void;
  configChanged(payload: ConfigStatus): void;
  voiceChanged?(payload: { lineId: string }): void;
}

export interface TelephonyDeps {
  store: EventStore;
  clock: HybridLogicalClock;
  deviceId: string;
  wallClock: () => number;
  mode: TelephonyMode;
  push: TelephonyPush;
  timers?: Timers;
  runProbe?: ProbeRunner;
  logError(message: string, detail?: unknown): void;
  /** How long line updates wait to be pushed together (state changes go at once). */
  pushDelayMs?: number;
  /**
   * Issue 15: the facility this console adopted from its tracker at enrolment, or null.
   * It replaces the config file's facility id and name for everything recorded and shown
   * (facility-identity.ts).
   */
  facilityIdentity?: () => { id: string; name: string } | null;
  sampleFlushMs?: number;
  configDebounceMs?: number;
  /** Where lines' SIP passwords are kept (issue 17); the host chooses how they are sealed. */
  credentials?: CredentialStore;
  /** Places a test call (tests and benches may wrap the real one). */
  placeCall?: PlaceCall;
}

export interface Telephony {
  /** Load the config (start the demo responder in demo mode) and start probing. */
  start(): Promise<void>;
  stop(): Promise<void>;
  board(): LineBoard;
  history(lineId: string, limit: number): LineHistory;
  reportProblem(report: ProblemReport, actor: string): { reportId: string; outageId: string };
  outages(onlyOpen: boolean, limit: number): Outage[];
  decide(outageId: string, decision: OutageDecision, text: string, actor: string): Outage;
  configStatus(): ConfigStatus;
  /** The facility config in force (the last good one), or null without one. */
  facilityConfig(): FacilityConfig | null;
  demoFaults(): Record<string, DemoFault> | null;
  /** The adopted facility changed (enrolment): record and show under it from now on. */
  refreshIdentity(): void;
  setDemoFault(lineId: string, fault: DemoFault): Promise<Record<string, DemoFault>>;
  /** Synthetic test calls (issue 17). */
  readonly voice: VoiceTests;
  readonly credentials: CredentialStore;
}

export function createTelephony(deps: TelephonyDeps): Telephony {
  const timers = deps.timers ?? systemTimers;
  const lineQueries = createLineQueries(deps.store.db);
  const outageQueries = createOutageQueries(deps.store.db);
  const samples = createProbeSamples(deps.store.db);
  const recorder: RecorderDeps = {
    store: deps.store,
    makeEvent: createEventFactory(deps),
    lineQueries,
    outageQueries,
    wallClock: deps.wallClock,
    deviceId: deps.deviceId,
  };
  const credentials = deps.credentials ?? createCredentialStore(join(dirname(deps.store.file), 'sip-credentials.json'));
  const voice = createVoiceTests({
    store: deps.store,
    makeEvent: recorder.makeEvent,
    deviceId: deps.deviceId,
    wallClock: deps.wallClock,
    timers,
    credentials,
    ...(deps.placeCall ? { placeCall: deps.placeCall } : {}),
    changed: (lineId) => {
      if (!stopped) deps.push.voiceChanged?.({ lineId });
    },
    logError: deps.logError,
  });
  let source: FacilityConfigSource = noConfigSource();
  let config: FacilityConfig | null = null;
  /** The config as its source gave it; `config` is it under the adopted facility identity. */
  let raw: FacilityConfig | null = null;
  const withIdentity = (c: FacilityConfig | null): FacilityConfig | null => {
    const adopted = c ? deps.facilityIdentity?.() : null;
    return c && adopted ? { ...c, facility: { ...c.facility, id: adopted.id, name: adopted.name } } : c;
  };
  let lines = new Map<string, LineConfig>();
  let demo: DemoResponder | null = null;
  let unsubscribe: () => void = () => undefined;
  // One path for outage and line facts, whether this console recorded them or sync pulled them.
  const offCommitted = deps.store.onCommitted((result) => {
    const outageIds = new Set<string>();
    for (const e of result.stored) {
      if (e.type.startsWith('outage.')) outageIds.add(e.streamId);
      else if (e.type.startsWith('line.') && config) {
        const payload = e.payload as { facilityId?: unknown; lineId?: unknown };
        const facility =
          typeof payload.facilityId === 'string' ? facilityOfFacts(deps.store.db, payload.facilityId) : null;
        if (facility === config.facility.id && typeof payload.lineId === 'string') dirty.add(payload.lineId);
        // Another console's test call, pulled by sync: the open line detail reloads its calls.
        if (e.type === 'line.voice_tested' && e.deviceId !== deps.deviceId && typeof payload.lineId === 'string') {
          deps.push.voiceChanged?.({ lineId: payload.lineId });
        }
      }
    }
    if (outageIds.size > 0 && !stopped) deps.push.outagesChanged({ ids: [...outageIds] });
    if (dirty.size > 0) schedulePush();
  });
  let stopped = false;
  let flushTimer: unknown;
  let pushTimer: unknown;
  const dirty = new Set<string>();

  const monitor: LineMonitor = createLineMonitor({
    timers,
    wallClock: deps.wallClock,
    runProbe: deps.runProbe ?? defaultRunProbe,
    logError: deps.logError,
    onResult(lineId, result, change) {
      if (!config || stopped) return;
      samples.add(config.facility.id, lineId, result);
      dirty.add(lineId);
      if (!change) return schedulePush();
      recordStateChange(recorder, facilityNow(config), lineId, change);
      pushLines();
    },
  });

  function facilityNow(cfg: FacilityConfig): FacilityNow {
    return { facilityId: cfg.facility.id, lines, windowMs: cfg.outages.groupingWindowMs, tracker: monitor.tracker };
  }

  function sources(): BoardSources {
    const facilityId = config?.facility.id ?? '';
    return {
      config,
      tracker: monitor.tracker,
      stored: lineQueries.statuses(facilityId),
      open: outageQueries.open(facilityId),
      demo: demo !== null,
    };
  }

  function pushLines(): void {
    timers.clearTimeout(pushTimer);
    pushTimer = undefined;
    if (dirty.size === 0 || stopped) return;
    const src = sources();
    const ids = [...dirty];
    dirty.clear();
    const changed = ids.map((id) => lineView(src, id)).filter((v): v is LineView => v !== null);
    const all = config ? config.lines.map((l) => lineView(src, l.id)!) : [];
    deps.push.linesChanged({ lines: changed, fallbackActive: isFallbackActive(src, all) });
  }

  function schedulePush(): void {
    if (pushTimer === undefined) pushTimer = timers.setTimeout(pushLines, deps.pushDelayMs ?? 250);
  }

  function flushSamples(): void {
    try {
      samples.flush();
    } catch (error) {
      deps.logError('writing probe samples failed', error);
    }
    if (!stopped) flushTimer = timers.setTimeout(flushSamples, deps.sampleFlushMs ?? 1000);
  }

  function apply(given: FacilityConfig | null): void {
    raw = given;
    const next = withIdentity(given);
    config = next;
    voice.configure(next);
    lines = new Map((next?.lines ?? []).map((l) => [l.id, l]));
    if (!next) {
      monitor.configure([], { intervalMs: 1000, timeoutMs: 500, downThreshold: 3, upThreshold: 2, jitterRatio: 0 });
      return;
    }
    const stored = lineQueries.statuses(next.facility.id);
    monitor.configure(next.lines, next.probeDefaults, (lineId) => {
      const s = stored.get(lineId);
      return s ? { state: s.state, since: s.since, lastSuccessAt: s.evidence?.lastSuccessAt ?? null } : undefined;
    });
    recordReload(recorder, facilityNow(next));
    for (const l of next.lines) dirty.add(l.id);
    pushLines();
  }

  async function openSource(): Promise<FacilityConfigSource> {
    switch (deps.mode.kind) {
      case 'none':
        return noConfigSource();
      case 'file':
        return fileConfigSource(deps.mode.file, { wallClock: deps.wallClock, debounceMs: deps.configDebounceMs });
      case 'demo': {
        demo = await startDemoResponder(DEMO_LINES);
        const responder = demo;
        return staticConfigSource(
          demoFacilityConfig((id) => responder.port(id)),
          Math.floor(deps.wallClock()),
        );
      }
    }
  }

  return {
    async start() {
      source = await openSource();
      if (stopped) {
        source.close();
        await demo?.close(); // closed while the demo responder was still binding
        return;
      }
      unsubscribe = source.subscribe((next, status) => {
        if (stopped) return;
        if (next !== raw) apply(next);
        deps.push.configChanged(status);
      });
      apply(source.current());
      deps.push.configChanged(source.status());
      flushTimer = timers.setTimeout(flushSamples, deps.sampleFlushMs ?? 1000);
    },
    async stop() {
      stopped = true;
      const voiceStopped = voice.stop(); // no new calls; those in flight finish below
      offCommitted();
      monitor.stop();
      unsubscribe();
      source.close();
      timers.clearTimeout(flushTimer);
      timers.clearTimeout(pushTimer);
      if (deps.store.db.open) flushSamples();
      await demo?.close();
      await voiceStopped;
    },
    board: () => buildBoard(sources()),
    history(lineId, limit) {
      if (!config || !lines.has(lineId)) throw new ApiFailure(apiError('not_found', `no line ${lineId}`, 'lineId'));
      return buildHistory(config.facility.id, lineId, limit, lineQueries, samples);
    },
    reportProblem(report, actor) {
      if (!config) throw new ApiFailure(apiError('not_found', 'no facility config is loaded', 'lineId'));
      const result = recordReport(recorder, facilityNow(config), report, actor);
      dirty.add(report.lineId);
      pushLines();
      return result;
    },
    outages: (onlyOpen, limit) => (config ? outageQueries.list(config.facility.id, onlyOpen, limit) : []),
    decide(outageId, decision, text, actor) {
      const outage = recordDecision(recorder, outageId, decision, text, actor);
      for (const id of outage.lineIds) dirty.add(id);
      pushLines();
      return outage;
    },
    configStatus: () => source.status(),
    voice,
    credentials,
    facilityConfig: () => config,
    refreshIdentity() {
      if (stopped || raw === null) return;
      apply(raw);
      // Probe results taken between the enrolment's commit and now were kept under the old id.
      const id = config?.facility.id;
      try {
        samples.flush();
        if (id) {
          deps.store.db
            .prepare('UPDATE OR REPLACE line_samples SET facility_id = ? WHERE facility_id != ?')
            .run(id, id);
        }
      } catch (error) {
        deps.logError('moving probe samples to the adopted facility failed', error);
      }
      deps.push.configChanged(source.status());
    },
    demoFaults: () => demo?.faults() ?? null,
    async setDemoFault(lineId, fault) {
      if (!demo) throw new ApiFailure(apiError('forbidden', 'line faults can only be set in demo mode', 'lineId'));
      if (!lines.has(lineId)) throw new ApiFailure(apiError('not_found', `no demo line ${lineId}`, 'lineId'));
      await demo.setFault(lineId, fault);
      return demo.faults();
    },
  };
}
