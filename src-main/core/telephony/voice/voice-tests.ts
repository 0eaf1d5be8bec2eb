/**
 * When test calls run, and what is kept of them.
 *
 * - Schedule: per line with `voiceTest.schedule.enabled` (off by default), every
 *   `intervalMinutes` (config refuses less than one minute). The first call of a line
 *   waits a random share of its interval, so a facility's trunks do not all dial at once.
 * - One call at a time per trunk: a line's calls go through its trunk (`via`), and a
 *   request for a trunk that is busy waits in that trunk's queue (once per line).
 * - On demand ("Test call now") and when this console records a guard's report of
 *   one-way audio or dropped calls (reports pulled from other consoles do not dial
 *   again here: the console where the guard sits does).
 * - Each finished call is one `line.voice_tested` event: it syncs and counts in reports.
 */
import type { Database } from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { FacilityConfig, LineConfig, VoiceTestSpec } from '../../../../src-shared/facility-config.ts';
import { ApiFailure, apiError } from '../../../../src-shared/errors.ts';
import {
  LineVoiceTestedPayload,
  voiceState,
  type VoiceCallResult,
  type VoiceLineStatus,
  type VoiceTrigger,
} from '../../../../src-shared/voice.ts';
import type { EventStore } from '../../store/event-store.ts';
import type { EventFactory } from '../../event-factory.ts';
import type { Timers } from '../../timers.ts';
import { CredentialError, type CredentialStore } from './credential-store.ts';
import { NO_MEASUREMENTS, placeTestCall, type TestCallContext } from './sip-call-probe.ts';

export const VOICE_ACTOR = 'system:voice-test';
/** A guard's report re-dials only when the trunk's last call is older than this. */
export const REPORT_COOLDOWN_MS = 60_000;

export function voiceStreamId(facilityId: string, lineId: string): string {
  return `voice:${facilityId}:${lineId}`;
}

export type PlaceCall = (spec: VoiceTestSpec, ctx: TestCallContext) => Promise<VoiceCallResult>;

export interface VoiceTestsDeps {
  store: EventStore;
  makeEvent: EventFactory;
  deviceId: string;
  wallClock: () => number;
  timers: Timers;
  credentials: CredentialStore;
  placeCall?: PlaceCall;
  random?: () => number;
  /** A line's calls changed (a call started, finished or was queued). */
  changed(lineId: string): void;
  logError(message: string, detail?: unknown): void;
}

export interface VoiceTests {
  configure(config: FacilityConfig | null): void;
  request(lineId: string, trigger: VoiceTrigger): { started: boolean; queued: boolean };
  status(lineId: string, limit: number): VoiceLineStatus;
  /** Stop scheduling; resolves when calls in flight have ended (they are still recorded). */
  stop(): Promise<void>;
}

interface Target {
  line: LineConfig;
  spec: VoiceTestSpec;
  trunkId: string;
}

/** The voice test that covers a line: its own, or its trunk's. */
export function voiceTarget(config: FacilityConfig, lineId: string): Target | null {
  const line = config.lines.find((l) => l.id === lineId);
  if (!line) return null;
  if (line.voiceTest) return { line, spec: line.voiceTest, trunkId: line.via ?? line.id };
  const trunk = line.via ? config.lines.find((l) => l.id === line.via) : undefined;
  if (trunk?.voiceTest) return { line, spec: trunk.voiceTest, trunkId: trunk.id };
  return null;
}

export function createVoiceTests(deps: VoiceTestsDeps): VoiceTests {
  const placeCall = deps.placeCall ?? placeTestCall;
  const random = deps.random ?? Math.random;
  const db: Database = deps.store.db;
  const recent = db.prepare(
    `SELECT payload FROM events WHERE stream_id = ? AND type = 'line.voice_tested' ORDER BY hlc DESC LIMIT ?`,
  );
  let config: FacilityConfig | null = null;
  let stopped = false;
  const timers = new Map<string, { key: string; handle: unknown }>();
  const busy = new Map<string, string>(); // trunk -> line being called
  const queues = new Map<string, { lineId: string; trigger: VoiceTrigger }[]>();
  const lastCallAt = new Map<string, number>(); // trunk -> wall time of the last finished call
  const inFlight = new Set<Promise<void>>();

  const offCommitted = deps.store.onCommitted((result) => {
    for (const e of result.stored) {
      if (e.type !== 'line.problem_reported' || e.deviceId !== deps.deviceId) continue;
      const p = e.payload as { lineId: string; problem: string; facilityId: string };
      if (p.problem !== 'one_way_audio' && p.problem !== 'calls_drop') continue;
      if (!config || p.facilityId !== config.facility.id) continue;
      const target = voiceTarget(config, p.lineId);
      if (!target) continue;
      const last = lastCallAt.get(target.trunkId);
      if (last !== undefined && deps.wallClock() - last < REPORT_COOLDOWN_MS && !busy.has(target.trunkId)) continue;
      // Dial after the report's transaction has returned, not inside the append.
      deps.timers.setTimeout(() => {
        try {
          request(p.lineId, 'report');
        } catch (error) {
          deps.logError(`test call after a report on ${p.lineId} failed to start`, error);
        }
      }, 0);
    }
  });

  function schedule(line: LineConfig, spec: VoiceTestSpec, firstDelayMs: number): void {
    const key = JSON.stringify(spec);
    const handle = deps.timers.setTimeout(() => {
      if (stopped || !config) return;
      schedule(line, spec, spec.schedule.intervalMinutes * 60_000);
      try {
        request(line.id, 'schedule');
      } catch (error) {
        deps.logError(`scheduled test call on ${line.id} failed to start`, error);
      }
    }, firstDelayMs);
    timers.set(line.id, { key, handle });
  }

  function record(target: Target, trigger: VoiceTrigger, result: VoiceCallResult): void {
    if (!deps.store.db.open) return; // the console closed while the call ran
    const facilityId = config?.facility.id ?? '';
    const payload = LineVoiceTestedPayload.parse({
      ...result,
      facilityId,
      lineId: target.line.id,
      testId: uuidv7(),
      trigger,
      trunkId: target.trunkId,
    });
    deps.store.append([
      deps.makeEvent('line.voice_tested', voiceStreamId(facilityId, target.line.id), payload, VOICE_ACTOR),
    ]);
  }

  function credentialFor(
    target: Target,
  ): { ok: true; value: TestCallContext['credential'] } | { ok: false; why: string } {
    if (!target.spec.credential) return { ok: true, value: null };
    try {
      const c = deps.credentials.get(target.spec.credential);
      if (c) return { ok: true, value: c };
      return {
        ok: false,
        why: `line ${target.line.id}: credential "${target.spec.credential}" is not stored on this console (${deps.credentials.kind})`,
      };
    } catch (error) {
      if (!(error instanceof CredentialError)) throw error;
      return { ok: false, why: `line ${target.line.id}: ${error.message}` };
    }
  }

  async function run(target: Target, trigger: VoiceTrigger): Promise<void> {
    const started = Math.floor(deps.wallClock());
    const credential = credentialFor(target);
    let result: VoiceCallResult;
    if (!credential.ok) {
      result = {
        verdict: 'error',
        state: voiceState('error'),
        sipStatus: null,
        detail: credential.why.slice(0, 500),
        measurements: { ...NO_MEASUREMENTS },
        startedAt: started,
        at: started,
      };
    } else {
      result = await placeCall(target.spec, {
        wallClock: deps.wallClock,
        lineId: target.line.id,
        credential: credential.value,
      });
    }
    try {
      record(target, trigger, result);
    } catch (error) {
      deps.logError(`recording the test call on ${target.line.id} failed`, error);
    }
  }

  function start(target: Target, trigger: VoiceTrigger): void {
    busy.set(target.trunkId, target.line.id);
    deps.changed(target.line.id);
    const done = run(target, trigger).finally(() => {
      inFlight.delete(done);
      busy.delete(target.trunkId);
      lastCallAt.set(target.trunkId, deps.wallClock());
      if (!stopped) deps.changed(target.line.id);
      const next = queues.get(target.trunkId)?.shift();
      if (next && !stopped && config) {
        const t = voiceTarget(config, next.lineId);
        if (t) start(t, next.trigger);
      }
    });
    inFlight.add(done);
  }

  function request(lineId: string, trigger: VoiceTrigger): { started: boolean; queued: boolean } {
    if (stopped) throw new ApiFailure(apiError('store_unavailable', 'the console is shutting down', 'lineId'));
    if (!config) throw new ApiFailure(apiError('not_found', 'no facility config is loaded', 'lineId'));
    const target = voiceTarget(config, lineId);
    if (!target) {
      if (!config.lines.some((l) => l.id === lineId)) {
        throw new ApiFailure(apiError('not_found', `no line ${lineId}`, 'lineId'));
      }
      throw new ApiFailure(
        apiError('not_found', `no test call is configured for line ${lineId} or its trunk`, 'lineId'),
      );
    }
    if (!busy.has(target.trunkId)) {
      start(target, trigger);
      return { started: true, queued: false };
    }
    // The same line already on the phone or waiting: one call answers both requests.
    const queue = queues.get(target.trunkId) ?? [];
    if (busy.get(target.trunkId) === lineId || queue.some((q) => q.lineId === lineId)) {
      return { started: false, queued: false };
    }
    queue.push({ lineId, trigger });
    queues.set(target.trunkId, queue);
    deps.changed(lineId);
    return { started: false, queued: true };
  }

  return {
    configure(next) {
      config = next;
      const wanted = new Map<string, LineConfig>();
      for (const line of next?.lines ?? []) if (line.voiceTest?.schedule.enabled) wanted.set(line.id, line);
      for (const [id, t] of timers) {
        const line = wanted.get(id);
        if (line && JSON.stringify(line.voiceTest) === t.key) continue;
        deps.timers.clearTimeout(t.handle);
        timers.delete(id);
      }
      for (const line of wanted.values()) {
        if (timers.has(line.id)) continue;
        const interval = line.voiceTest!.schedule.intervalMinutes * 60_000;
        schedule(line, line.voiceTest!, random() * interval);
      }
    },
    request,
    status(lineId, limit) {
      const target = config ? voiceTarget(config, lineId) : null;
      const facilityId = config?.facility.id ?? '';
      const rows = recent.all(voiceStreamId(facilityId, lineId), limit) as { payload: string }[];
      return {
        lineId,
        configured: target !== null,
        scheduled: target?.spec.schedule.enabled ?? false,
        intervalMinutes: target?.spec.schedule.intervalMinutes ?? null,
        mosFloor: target?.spec.mosFloor ?? null,
        credential: target?.spec.credential ?? null,
        running: target !== null && busy.get(target.trunkId) === lineId,
        calls: rows.map((r) => LineVoiceTestedPayload.parse(JSON.parse(r.payload))),
      };
    },
    async stop() {
      stopped = true;
      offCommitted();
      for (const t of timers.values()) deps.timers.clearTimeout(t.handle);
      timers.clear();
      queues.clear();
      await Promise.all([...inFlight]);
    },
  };
}
