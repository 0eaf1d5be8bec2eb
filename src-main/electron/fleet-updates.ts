/**
 * Console updates from the facility's own tracker (issue 15): facilities have no
 * internet, so electron-updater's generic provider points at `<tracker>/updates/` of the
 * enrolled tracker in use (the one of its URL list that last answered), with the
 * console's device token; the tracker serves its release there.
 *
 * Policy: look at start and then periodically; download in the background; once
 * downloaded, say so on every page of the console (`update.changed`, through the core)
 * and as a notification, and install on the next restart (electron-updater's
 * install-on-quit), but never while an alarm stands: install-on-quit is off for as long
 * as any alarm stands (and until the first alarm list is known), so a quit during an
 * escalation restarts the same version. A failed check or download is shown, not only
 * logged; a version already downloaded still installs.
 *
 * `updater` is electron-updater's `autoUpdater` narrowed to what is used here, so the
 * policy is unit-tested with a fake at that edge.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { Alarm } from '../../src-shared/escalation.ts';
import type { ConsoleUpdate } from '../../src-shared/sync.ts';
import type { Dispatch } from '../core/app.ts';
import type { PushListener } from '../core/console-core.ts';

export interface FleetUpdater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  requestHeaders: OutgoingHttpHeaders | null;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(): unknown;
}

export interface FleetUpdateDeps {
  core: {
    subscribe(listener: PushListener): () => void;
    dispatch: Dispatch;
    /** The enrolled tracker in use (`<url>/updates/` is the feed) and the device token; null before enrolment. */
    releaseFeed(): { url: string; token: string } | null;
    /** Shown on every page of the console (`update.status`, `update.changed`). */
    reportUpdate(update: ConsoleUpdate): void;
  };
  updater: FleetUpdater;
  /** The notification that a version is ready and installs at the next restart. */
  notify(title: string, body: string): void;
  text: { readyTitle: string; readyBody(version: string): string; heldBody(version: string): string };
  /** How often to look for a new release. */
  intervalMs?: number;
  logError?: (message: string, detail?: unknown) => void;
}

export interface FleetUpdates {
  /** A downloaded version waiting for the next restart, or null. */
  ready(): string | null;
  /** Look now (also done at start and every `intervalMs`). */
  check(): void;
  stop(): void;
}

const HOUR_MS = 3_600_000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function watchFleetUpdates(deps: FleetUpdateDeps): FleetUpdates {
  const { updater, core } = deps;
  const log = deps.logError ?? console.error;
  let readyVersion: string | null = null;
  let offered: string | null = null;
  let error: string | null = null;
  let alarmsStanding = true; // until the first list says otherwise: never install blind
  let stopped = false;

  const state = (): ConsoleUpdate => {
    if (readyVersion !== null) return { state: alarmsStanding ? 'held' : 'ready', version: readyVersion, error };
    if (error !== null) return { state: 'error', version: offered, error };
    if (offered !== null) return { state: 'downloading', version: offered, error: null };
    return { state: 'none', version: null, error: null };
  };
  let shown = '';
  const apply = () => {
    updater.autoInstallOnAppQuit = readyVersion !== null && !alarmsStanding;
    const next = state();
    const key = JSON.stringify(next);
    if (stopped || key === shown) return;
    shown = key;
    core.reportUpdate(next);
  };
  const failed = (cause: unknown) => {
    log('console update failed', cause);
    error = message(cause);
    apply();
  };

  updater.autoDownload = true;
  apply();

  updater.on('update-available', (info) => {
    offered = info.version;
    error = null;
    apply();
  });
  updater.on('update-not-available', () => {
    offered = null;
    error = null;
    apply();
  });
  updater.on('update-downloaded', (info) => {
    readyVersion = info.version;
    error = null;
    apply();
    deps.notify(
      deps.text.readyTitle,
      alarmsStanding ? deps.text.heldBody(info.version) : deps.text.readyBody(info.version),
    );
  });
  updater.on('error', failed);

  const setAlarms = (alarms: Alarm[]) => {
    alarmsStanding = alarms.length > 0;
    apply();
  };
  const unsubscribe = core.subscribe((name, payload) => {
    if (name === 'alarm.changed') setAlarms((payload as { alarms: Alarm[] }).alarms);
  });
  void core.dispatch('alarms.list', {}, { origin: 'system' }).then((result) => {
    if (result.ok) setAlarms((result.value as { alarms: Alarm[] }).alarms);
  });

  const check = () => {
    if (stopped) return;
    const feed = core.releaseFeed();
    if (!feed) return;
    updater.setFeedURL({ provider: 'generic', url: `${feed.url.replace(/\/+$/, '')}/updates/` });
    updater.requestHeaders = { authorization: `Bearer ${feed.token}` };
    updater.checkForUpdates().catch(failed);
  };
  check();
  const timer = setInterval(check, deps.intervalMs ?? HOUR_MS);
  timer.unref?.();

  return {
    ready: () => readyVersion,
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      updater.removeAllListeners();
    },
  };
}
