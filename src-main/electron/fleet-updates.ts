/**
 * Console updates from the facility's own tracker (issue 15): facilities have no
 * internet, so electron-updater's generic provider points at `<tracker>/updates/`
 * (served by the tracker from its release directory, with the console's device token).
 *
 * Policy: download in the background; once downloaded, show a visible notice and
 * install on the next restart (electron-updater's install-on-quit), but never while an
 * alarm stands: install-on-quit is switched off for as long as any alarm stands, so a
 * quit during an escalation restarts the same version.
 *
 * `updater` is electron-updater's `autoUpdater` narrowed to what is used here, so the
 * policy is unit-tested with a fake at that edge.
 */
import type { Alarm } from '../../src-shared/escalation.ts';
import type { Dispatch } from '../core/app.ts';
import type { PushListener } from '../core/console-core.ts';

export interface FleetUpdater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  requestHeaders: Record<string, string> | null;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface FleetUpdateDeps {
  core: { subscribe(listener: PushListener): () => void; dispatch: Dispatch };
  updater: FleetUpdater;
  /** The enrolled tracker (first of its URL list) and the device token; null before enrolment. */
  feed(): { trackerUrl: string; token: string } | null;
  /** The visible notice that a version is ready and installs at the next restart. */
  notify(title: string, body: string): void;
  text: { readyTitle: string; readyBody(version: string): string; heldBody(version: string): string };
  /** How often to look for a new release. */
  intervalMs?: number;
  logError?: (message: string, detail?: unknown) => void;
}

export interface FleetUpdates {
  /** A downloaded version waiting for the next restart, or null. */
  ready(): string | null;
  stop(): void;
}

const HOUR_MS = 3_600_000;

export function watchFleetUpdates(deps: FleetUpdateDeps): FleetUpdates {
  const { updater } = deps;
  const log = deps.logError ?? console.error;
  let readyVersion: string | null = null;
  let alarmsStanding = true; // until the first list says otherwise: never install blind
  let stopped = false;

  updater.autoDownload = true;
  const applyPolicy = () => {
    updater.autoInstallOnAppQuit = readyVersion !== null && !alarmsStanding;
  };
  applyPolicy();

  updater.on('update-downloaded', (info) => {
    readyVersion = info.version;
    applyPolicy();
    deps.notify(
      deps.text.readyTitle,
      alarmsStanding ? deps.text.heldBody(info.version) : deps.text.readyBody(info.version),
    );
  });
  updater.on('error', (error) => log('update check failed', error));

  const setAlarms = (alarms: Alarm[]) => {
    alarmsStanding = alarms.length > 0;
    applyPolicy();
  };
  const unsubscribe = deps.core.subscribe((name, payload) => {
    if (name === 'alarm.changed') setAlarms((payload as { alarms: Alarm[] }).alarms);
  });
  void deps.core.dispatch('alarms.list', {}, { origin: 'system' }).then((result) => {
    if (result.ok) setAlarms((result.value as { alarms: Alarm[] }).alarms);
  });

  const check = () => {
    if (stopped) return;
    const feed = deps.feed();
    if (!feed) return;
    const first = feed.trackerUrl
      .split(/[\s,]+/)
      .filter(Boolean)[0]!
      .replace(/\/+$/, '');
    updater.setFeedURL({ provider: 'generic', url: `${first}/updates/` });
    updater.requestHeaders = { authorization: `Bearer ${feed.token}` };
    updater.checkForUpdates().catch((error: unknown) => log('update check failed', error));
  };
  check();
  const timer = setInterval(check, deps.intervalMs ?? HOUR_MS);
  timer.unref?.();

  return {
    ready: () => readyVersion,
    stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
