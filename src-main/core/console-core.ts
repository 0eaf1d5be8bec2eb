/**
 * Composition root of the console: opens the store, wires the features, and exposes
 * the one `dispatch` and push channel that the Electron shell and the browser host bind.
 * Knows nothing of its host: clock, paths and logging are injected.
 */
import { v7 as uuidv7 } from 'uuid';
import type { PushEventName, PushEventPayload, SystemInfo } from '../../src-shared/api.ts';
import { createHlc } from '../../src-shared/hlc.ts';
import { createApp, createDispatch, missingMethods, type Dispatch, type Logger } from './app.ts';
import { openEventStore, type EventStore } from './store/event-store.ts';
import { incidentProjector, searchProjector } from './incidents/projection.ts';
import { incidentsApp } from './incidents/app.ts';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createSyncEngine, syncApp, type SyncEngine } from './sync/index.ts';
import { adoptedFacility, enrolledTracker } from './sync/settings.ts';
import { trackerInUse } from './sync/tracker-client.ts';
import { ConsoleUpdate, NO_CONSOLE_UPDATE } from '../../src-shared/sync.ts';
import { createRemoteEvents } from './sync/remote-events.ts';
import { createMeshLinks, meshApp, type MeshLinks } from './mesh/index.ts';
import type { SessionLimits } from './mesh/peer-session.ts';
import type { DiscoveryLimits } from './mesh/discovery.ts';
import type { SyncEngineDeps } from './sync/engine.ts';
import { DEFAULT_ESCALATION_POLICIES, EscalationPolicies } from '../../src-shared/escalation.ts';
import { createEventFactory } from './event-factory.ts';
import { systemTimers, type Timers } from './timers.ts';
import {
  authApp,
  createAccessCheck,
  createAuthService,
  createRoster,
  staffProjector,
  type ScryptParams,
} from './auth/index.ts';
import {
  createAlarmFeed,
  createEscalationQueries,
  createEscalationRunner,
  escalationApp,
  escalationProjector,
} from './escalation/index.ts';
import { auditApp } from './audit/index.ts';
import {
  createTelephony,
  lineProjector,
  outageProjector,
  telephonyApp,
  voiceApp,
  type CredentialStore,
  type PlaceCall,
  type Telephony,
  type ProbeRunner,
} from './telephony/index.ts';
import { createReportSource, declareLines, reportsApp } from './reports/index.ts';
import { createRetention, retentionApp } from './retention/index.ts';
import { createAccessLog } from './access-log/index.ts';
import { quitApp } from './quit/app.ts';
import { createReadJobs, type ReadJobs } from './jobs/job-runner.ts';
import {
  createConsoleKeyring,
  createRevocations,
  deviceKeyFileFor,
  deviceKeyProjector,
  deviceRevocationProjector,
  loadDeviceIdentity,
  type ConsoleKeyring,
  type DeviceIdentity,
} from './identity/index.ts';

/** Exports (TMF621 files) go to `exports/` beside the store; a `:memory:` store's to the temp folder. */
function defaultExportDir(dataFile: string): string {
  return dataFile === ':memory:' ? join(tmpdir(), 'guardline-exports') : join(dirname(dataFile), 'exports');
}

export interface ConsoleCoreConfig {
  dataFile: string;
  /** Where exports are written; default `exports/` beside the data file. */
  exportDir?: string;
  host: SystemInfo['host'];
  appVersion: string;
  facility: string;
  unit: string;
  wallClock?: () => number;
  logger?: Logger;
  /** Sync engine tuning (tests shorten backoff); `start: false` keeps it idle. */
  sync?: Partial<
    Pick<SyncEngineDeps, 'backoffBaseMs' | 'backoffCapMs' | 'batchSize' | 'pullLimit' | 'streamSilenceMs' | 'random'>
  > & {
    start?: boolean;
  };
  /**
   * Facility mesh (issue 12): `listen` (host:port, port 0 = any) wins over the facility
   * config's `mesh.listen`; `name` is how peers list this console (default: host name).
   */
  mesh?: {
    listen?: string | null;
    name?: string;
    backoffBaseMs?: number;
    backoffCapMs?: number;
    limits?: Partial<SessionLimits>;
    discoveryLimits?: Partial<DiscoveryLimits>;
  };
  /** Timers for the idle lock and escalation deadlines (tests use fake timers). */
  timers?: Timers;
  /** Lock the session after this long without a call (default 10 minutes). */
  idleLockMs?: number;
  /** Escalation policies when the facility config names none; defaults to DEFAULT_ESCALATION_POLICIES. */
  escalationPolicies?: unknown;
  /** scrypt cost for new PIN hashes. */
  pinParams?: ScryptParams;
  /**
   * Phone line monitoring (issue 4). `configFile`: the facility config to load and watch;
   * without one, `demo: true` runs the demo facility against a SIP responder on loopback.
   * Neither: telephony is off (the board is empty). Hosts pass `demo: configFile === null`.
   */
  telephony?: {
    configFile?: string | null;
    demo?: boolean;
    runProbe?: ProbeRunner;
    pushDelayMs?: number;
    configDebounceMs?: number;
    /** SIP credentials for test calls (issue 17): Electron seals them with safeStorage; default a 0600 file. */
    credentials?: CredentialStore;
    placeCall?: PlaceCall;
  };
  /**
   * Data protection (issue 8): closed incidents untouched for `closedIncidentDays` leave the
   * list and search (they stay in the log and at the tracker). Absent or null: kept forever.
   */
  retention?: {
    closedIncidentDays?: number | null;
    sweepIntervalMs?: number;
    /** Time a sweep's slice aims for, and the clock it is timed with (tests drive both). */
    sliceBudgetMs?: number;
    sliceClock?: () => number;
  };
}

export type PushListener = <E extends PushEventName>(name: E, payload: PushEventPayload<E>) => void;

export interface ConsoleCore {
  dispatch: Dispatch;
  subscribe(listener: PushListener): () => void;
  info(): SystemInfo;
  readonly store: EventStore;
  readonly sync: SyncEngine;
  /** The facility mesh's peer links (run by the sync engine). */
  readonly mesh: MeshLinks;
  readonly telephony: Telephony;
  /** This console's Ed25519 identity (issue 12): signs what it authors; its key pins it to peers. */
  readonly identity: DeviceIdentity;
  /** Keys of the facility's devices and the tracker: verifies events received from the tracker or peers. */
  readonly trust: ConsoleKeyring;
  /** Long reads off the core's thread (issue 16): a worker with its own read-only connection. */
  readonly jobs: ReadJobs;
  /** Settles when telephony has loaded its config (and the demo responder is listening). */
  readonly ready: Promise<void>;
  /**
   * Issue 15, Electron shell: where the console's release feed is (the enrolled tracker in
   * use, `<url>/updates/`, and the device token); null before enrolment.
   */
  releaseFeed(): { url: string; token: string } | null;
  /** Issue 15, Electron shell: what its updater did; shown through `update.status` / `update.changed`. */
  reportUpdate(update: ConsoleUpdate): void;
  /** Closes the store at once; the returned promise settles when background work has stopped. */
  close(): Promise<void>;
}

const consoleLogger: Logger = { error: (message, detail) => console.error(`[guardline] ${message}`, detail) };

export function createConsoleCore(config: ConsoleCoreConfig): ConsoleCore {
  const wallClock = config.wallClock ?? Date.now;
  const store = openEventStore(config.dataFile);
  let deviceId = store.getMeta('device_id');
  if (!deviceId) {
    deviceId = uuidv7();
    store.setMeta('device_id', deviceId);
  }
  const clock = createHlc({ node: deviceId, wallClock, resumeFrom: store.maxHlc() });
  let identity: DeviceIdentity;
  try {
    identity = loadDeviceIdentity({ keyFile: deviceKeyFileFor(config.dataFile), deviceId, meta: store });
  } catch (error) {
    store.close();
    throw error;
  }
  // Every event this console authors from here on is numbered and signed in its append transaction.
  store.useSigner(identity);
  store.registerProjector(deviceKeyProjector);
  store.registerProjector(deviceRevocationProjector);
  store.registerProjector(incidentProjector);
  store.registerDeferredProjector(searchProjector);
  store.registerProjector(staffProjector);
  store.registerProjector(escalationProjector);
  store.registerProjector(lineProjector);
  store.registerProjector(outageProjector);
  const timers = config.timers ?? systemTimers;
  const logger = config.logger ?? consoleLogger;
  const event = createEventFactory({ clock, deviceId, wallClock });
  const policies = EscalationPolicies.parse(config.escalationPolicies ?? DEFAULT_ESCALATION_POLICIES);

  const listeners = new Set<PushListener>();
  const emit: PushListener = (name, payload) => {
    for (const l of listeners) {
      try {
        l(name, payload);
      } catch (error) {
        (config.logger ?? consoleLogger).error(`push listener failed for ${name}`, error);
      }
    }
  };

  // A facility config file names the facility, so the header and the board agree; the demo
  // facility and a console without telephony keep the launch option's name.
  /** The facility a config file names; null for the demo facility or a console without one. */
  const configuredFacility = (): { id: string; name: string } | null => {
    const fromFile = telephony.configStatus().source === 'file' ? telephony.board().facility : null;
    return fromFile ? { id: fromFile.id, name: fromFile.name } : null;
  };
  // Issue 15: once enrolled, the facility is the tracker's (one id, one name everywhere).
  const releaseFeed = () => {
    const enrolled = enrolledTracker(store);
    const url = enrolled && trackerInUse(enrolled.trackerUrl);
    return enrolled && url ? { url, token: enrolled.token } : null;
  };
  let consoleUpdate: ConsoleUpdate = NO_CONSOLE_UPDATE;
  const facilityShown = (): string => adoptedFacility(store)?.name ?? configuredFacility()?.name ?? config.facility;
  const info = (): SystemInfo => ({
    appVersion: config.appVersion,
    host: config.host,
    deviceId: deviceId,
    facility: facilityShown(),
    unit: config.unit,
    dataFile: store.file,
    schemaVersion: store.schemaVersion,
  });

  // One path for "incidents changed", whether a local command or a sync pull committed them.
  store.onCommitted((result) => {
    const ids = [
      ...new Set(
        result.stored
          .filter((e) => e.type.startsWith('incident.') && e.type !== 'incident.viewed')
          .map((e) => e.streamId),
      ),
    ];
    if (ids.length > 0) emit('incidents.changed', { ids });
  });

  // Long reads (chain check, reports, exports, search, audit) run in a worker beside the
  // writer; each run of a long job pushes its progress (issue 16).
  const jobs = createReadJobs(store, (message, detail) => logger.error(message, detail));
  let jobRuns = 0;
  const progressOf = (method: PushEventPayload<'jobs.progress'>['method']) => {
    const job = `${method}#${++jobRuns}`;
    return (done: number, total: number) => emit('jobs.progress', { job, method, done, total });
  };

  // The facility the tracker enrolled this console in wins; the launch option until then.
  // Facility-wide revocations (device.revoked): every receiving path withholds what a
  // revoked device wrote after its cutoff.
  const revocations = createRevocations(store, () => store.getMeta('sync.facility') ?? config.facility);
  const trust = createConsoleKeyring({
    store,
    deviceId,
    publicKey: identity.publicKey,
    revocations,
    facility: () => store.getMeta('sync.facility') ?? config.facility,
    wallClock,
    log: (message) => logger.error(message),
  });

  // The facility mesh: peers on the LAN are links of the same engine as the tracker.
  const facilityName = () => store.getMeta('sync.facility') ?? config.facility;
  const meshOptions = config.mesh ?? {};
  const mesh: MeshLinks = createMeshLinks({
    store,
    identity,
    keyring: trust,
    revocations,
    remote: createRemoteEvents({ store, clock, wallClock, authors: trust }),
    event,
    facility: facilityName,
    name: () => meshOptions.name ?? hostname(),
    unit: () => config.unit,
    config: () => telephony.facilityConfig()?.mesh ?? null,
    listenOverride: meshOptions.listen ?? null,
    demo: () => config.telephony?.demo === true && !config.telephony.configFile,
    ...(meshOptions.discoveryLimits ? { discoveryLimits: meshOptions.discoveryLimits } : {}),
    wallClock,
    log: (message) => logger.error(message, null),
    ...(meshOptions.backoffBaseMs !== undefined ? { backoffBaseMs: meshOptions.backoffBaseMs } : {}),
    ...(meshOptions.backoffCapMs !== undefined ? { backoffCapMs: meshOptions.backoffCapMs } : {}),
    ...(meshOptions.limits ? { limits: meshOptions.limits } : {}),
  });

  const sync = createSyncEngine({
    store,
    deviceId,
    identity,
    trust,
    clock,
    wallClock,
    onStatus: (status) => emit('sync.status', status),
    mesh,
    ...config.sync,
  });

  // Staff, session and access: the session (not the host) decides who acts.
  const roster = createRoster(store.db);
  const auth = createAuthService({
    store,
    roster,
    event,
    wallClock,
    timers,
    ...(config.idleLockMs !== undefined ? { idleLockMs: config.idleLockMs } : {}),
    ...(config.pinParams ? { pinParams: config.pinParams } : {}),
    logError: (message, detail) => logger.error(message, detail),
    bootstrapBlocked() {
      const status = sync.status();
      if (status.state === 'not_configured' || status.lastSuccessAt !== null) return null;
      return 'this console is enrolled with a tracker but has not received the facility roster yet: wait for sync';
    },
  });
  auth.onChange((state) => emit('auth.changed', state));

  // Escalations run from committed incident events, local or pulled; alarms follow them and the session.
  const escalations = createEscalationQueries(store.db);
  const alarms = createAlarmFeed({
    open: () => escalations.open(),
    // A locked console still belongs to the person who locked it: their alarms stay on it
    // (the lock hides data, not the alarm that needs them).
    viewer: () => ({
      unit: config.unit,
      staffNumber: auth.session()?.staffNumber ?? auth.state().locked?.staffNumber ?? null,
    }),
    push: (list) => emit('alarm.changed', { alarms: list }),
  });
  const runner = createEscalationRunner({
    store,
    queries: escalations,
    roster,
    event,
    wallClock,
    timers,
    // The facility config's policies win; the core option (or the default) otherwise.
    policies: () => telephony.facilityConfig()?.escalationPolicies ?? policies,
    logger,
    changed(ids) {
      emit('escalations.changed', { ids });
      alarms.refresh();
    },
  });
  auth.onChange(() => alarms.refresh());

  // Outage evidence (issue 7): the line catalogue is recorded whenever a loaded config changes it.
  const reportSource = createReportSource(store);
  let declareCatalog: () => void = () => undefined;
  const telephonyOptions = config.telephony ?? {};
  const telephony = createTelephony({
    store,
    // Issue 15: lines are recorded and shown under the facility adopted at enrolment.
    facilityIdentity: () => adoptedFacility(store),
    clock,
    deviceId,
    wallClock,
    timers,
    mode: telephonyOptions.configFile
      ? { kind: 'file', file: telephonyOptions.configFile }
      : telephonyOptions.demo
        ? { kind: 'demo' }
        : { kind: 'none' },
    push: {
      linesChanged: (payload) => emit('lines.changed', payload),
      outagesChanged: (payload) => emit('outages.changed', payload),
      voiceChanged: (payload) => emit('voice.changed', payload),
      configChanged: (payload) => {
        emit('config.changed', payload);
        void mesh.reconfigure();
        declareCatalog();
      },
    },
    logError: (message, detail) => logger.error(message, detail),
    ...(telephonyOptions.runProbe ? { runProbe: telephonyOptions.runProbe } : {}),
    ...(telephonyOptions.credentials ? { credentials: telephonyOptions.credentials } : {}),
    ...(telephonyOptions.placeCall ? { placeCall: telephonyOptions.placeCall } : {}),
    ...(telephonyOptions.pushDelayMs !== undefined ? { pushDelayMs: telephonyOptions.pushDelayMs } : {}),
    ...(telephonyOptions.configDebounceMs !== undefined ? { configDebounceMs: telephonyOptions.configDebounceMs } : {}),
  });

  declareCatalog = () => {
    try {
      declareLines({ store, event, source: reportSource }, telephony.board());
    } catch (error) {
      logger.error('recording the line catalogue failed', error);
    }
  };

  const retention = createRetention({
    store,
    event,
    wallClock,
    timers,
    logger,
    progress: () => progressOf('retention.run'),
    ...(config.retention?.closedIncidentDays !== undefined
      ? { closedIncidentDays: config.retention.closedIncidentDays }
      : {}),
    ...(config.retention?.sweepIntervalMs !== undefined ? { sweepIntervalMs: config.retention.sweepIntervalMs } : {}),
    ...(config.retention?.sliceBudgetMs !== undefined ? { sliceBudgetMs: config.retention.sliceBudgetMs } : {}),
    ...(config.retention?.sliceClock ? { sliceClock: config.retention.sliceClock } : {}),
  });
  const accessLog = createAccessLog({ store, event, wallClock });

  const handlers = createApp([
    { name: 'system', handlers: { 'system.info': () => info() } },
    { name: 'update', handlers: { 'update.status': () => consoleUpdate } },
    incidentsApp({
      store,
      clock,
      deviceId,
      wallClock,
      accessLog,
      adoptedFacility: () => adoptedFacility(store),
      list: (input) => jobs.run('incidents', input),
      escalation: runner,
    }),
    retentionApp(retention),
    syncApp(
      sync,
      configuredFacility,
      {
        appVersion: config.appVersion,
        feed: () => {
          const feed = releaseFeed();
          return feed && { trackerUrl: feed.url, token: feed.token };
        },
      },
      () => telephony.refreshIdentity(),
    ),
    meshApp({ mesh, sync }),
    authApp({ auth, roster, store, event }),
    escalationApp({ runner, queries: escalations, roster, alarms, store }),
    auditApp({
      store,
      roster,
      event,
      deviceId,
      verifyChain: () => jobs.run('chain', null, progressOf('store.verifyChain')),
      query: (input) => jobs.run('audit', input),
    }),
    telephonyApp(telephony),
    voiceApp(telephony),
    reportsApp({
      store,
      event,
      deviceId,
      source: reportSource,
      wallClock,
      board: () => telephony.board(),
      facilityName: config.facility,
      adoptedFacility: () => adoptedFacility(store),
      jobs,
      exportDir: config.exportDir ?? defaultExportDir(store.file),
      progress: progressOf,
    }),
    quitApp({ alarms, store, event, deviceId, host: config.host }),
  ]);
  const missing = missingMethods(handlers);
  if (missing.length > 0) throw new Error(`console API methods without a handler: ${missing.join(', ')}`);

  runner.resume();
  alarms.refresh();
  retention.start();
  if (config.sync?.start !== false) sync.start();
  // The mesh listens where the facility config says, so it (re)configures once the config is loaded.
  const ready = telephony
    .start()
    .catch((error: unknown) => logger.error('telephony failed to start', error))
    .then(() => mesh.reconfigure());

  return {
    dispatch: createDispatch(handlers, logger, createAccessCheck(auth)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    info,
    releaseFeed,
    reportUpdate(update) {
      consoleUpdate = ConsoleUpdate.parse(update);
      emit('update.changed', consoleUpdate);
    },
    store,
    sync,
    mesh,
    telephony,
    identity,
    trust,
    jobs,
    ready,
    close() {
      listeners.clear();
      runner.stop();
      retention.stop();
      auth.stop();
      const stopped = sync.stop();
      const telephonyStopped = telephony.stop(); // stops timers and flushes samples before the store closes
      const jobsStopped = jobs.close(); // jobs still running fail with "the console is closing"
      store.close();
      // Resolved only when nothing of this console still writes the file (the checkpoint worker).
      return Promise.all([stopped, telephonyStopped, jobsStopped, store.closed()]).then(() => undefined);
    },
  };
}
