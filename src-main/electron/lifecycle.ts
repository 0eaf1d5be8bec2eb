/**
 * The Electron shell's start-up and shutdown: one running console per data dir,
 * security guards before the first page exists, then core, menu, window, IPC and
 * tray once Electron is ready. The core is closed on quit so the store's last
 * write is flushed. `main.ts` only supplies the built file paths.
 */
import { join } from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { telephonyLaunchOptions } from '../core/config/config-location.ts';
import { createConsoleCore, type ConsoleCore } from '../core/console-core.ts';
import { parseLaunchOptions, type LaunchOptions } from '../core/launch-options.ts';
import { bindConsoleIpc } from './ipc.ts';
import { watchLineStatus } from './line-status-signal.ts';
import { lineStatusText } from './line-status-text.ts';
import { watchAlarms } from './alarm-signal.ts';
import { alarmSignalText } from './alarm-signal-text.ts';
import { notify } from './notifications.ts';
import { installAppMenu } from './menu.ts';
import { guardAllContents, guardSession } from './security.ts';
import { shellText } from './shell-text.ts';
import { createStatusTray, type StatusTray } from './tray.ts';
import { isTrustedUrl, type AppOrigin } from './trusted-url.ts';
import { createMainWindow, focusWindow } from './window.ts';

export interface ShellPaths {
  /** Built preload, `out/preload/index.cjs`. */
  preloadFile: string;
  /** Built renderer folder, `out/renderer`. */
  rendererDir: string;
  /** Folder with the tray icons (`assets/tray`). */
  trayIconDir: string;
  /** Window icon for Linux and Windows (`assets/icons/256x256.png`). */
  windowIcon: string;
}

export interface ShellStart {
  /** Command-line arguments after the executable. */
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  paths: ShellPaths;
}

/** What the running shell offers later issues (telephony status, alarms). */
export interface RunningShell {
  core: ConsoleCore;
  tray: StatusTray;
  options: LaunchOptions;
  getWindow(): BrowserWindow | null;
}

export interface ShellHandle {
  /** Resolves once the window is up; null when this process quits instead (second instance, unusable store). */
  ready: Promise<RunningShell | null>;
}

/** How long quitting waits for the core's background work before leaving anyway. */
const CLOSE_TIMEOUT_MS = 3000;

function hasFlag(argv: readonly string[], name: string): boolean {
  return argv.some((a) => a === name || a.startsWith(`${name}=`));
}

function fail(title: string, message: string): void {
  console.error(`[guardline] ${title}: ${message}`);
  dialog.showErrorBox(title, message);
  app.exit(1);
}

export function startConsoleShell(start: ShellStart): ShellHandle {
  const text = () => shellText(app.getLocale());
  // ELECTRON_RENDERER_URL is set by `electron-vite dev`. A packaged app ignores it,
  // or anyone able to set an environment variable could point the trusted window at their page.
  const devServerUrl = app.isPackaged ? null : (start.env.ELECTRON_RENDERER_URL ?? null);
  const origin: AppOrigin = { rendererDir: start.paths.rendererDir, devServerUrl };

  let options: LaunchOptions;
  try {
    options = parseLaunchOptions(start.argv, { GUARDLINE_DATA_DIR: app.getPath('userData'), ...start.env });
  } catch (error) {
    fail(text().storeFailedTitle, (error as Error).message);
    return { ready: Promise.resolve(null) };
  }
  // Chromium's profile and the single-instance lock follow the data dir, so two
  // consoles with different --data-dir (tests, demos) do not block each other.
  if (hasFlag(start.argv, '--data-dir') || start.env.GUARDLINE_DATA_DIR) app.setPath('userData', options.dataDir);

  if (!app.requestSingleInstanceLock()) {
    // The running console is told through 'second-instance' and comes to the front.
    app.quit();
    return { ready: Promise.resolve(null) };
  }

  app.enableSandbox();
  guardAllContents(origin);

  let core: ConsoleCore | null = null;
  let window: BrowserWindow | null = null;
  let tray: StatusTray | null = null;
  let unbindIpc: (() => void) | null = null;
  let stopLineStatus: (() => void) | null = null;
  let stopAlarms: (() => void) | null = null;

  const openWindow = (): BrowserWindow => {
    const created = createMainWindow({
      preloadFile: start.paths.preloadFile,
      rendererIndex: join(start.paths.rendererDir, 'index.html'),
      origin,
      icon: start.paths.windowIcon,
      isDev: devServerUrl !== null,
    });
    created.on('closed', () => {
      if (window === created) window = null;
    });
    window = created;
    return created;
  };
  const show = () => focusWindow(window ?? (core ? openWindow() : null));

  app.on('second-instance', () => show());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => show());
  app.on('will-quit', (event) => {
    unbindIpc?.();
    unbindIpc = null;
    stopLineStatus?.();
    stopLineStatus = null;
    stopAlarms?.();
    stopAlarms = null;
    tray?.destroy();
    tray = null;
    const closing = core;
    if (!closing) return;
    core = null;
    // The store closes at once; give background work (sync) a bounded moment to
    // stop, then quit for real (this handler lets the second will-quit through).
    event.preventDefault();
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)));
    Promise.race([closing.close(), bounded])
      .catch((error: unknown) => console.error('[guardline] closing the console core failed', error))
      .finally(() => {
        clearTimeout(timer);
        app.quit();
      });
  });

  const ready = app.whenReady().then((): RunningShell | null => {
    guardSession(session.defaultSession, origin);
    let opened: ConsoleCore;
    try {
      opened = createConsoleCore({
        dataFile: options.dataFile,
        host: 'electron',
        appVersion: app.getVersion(),
        facility: options.facility,
        unit: options.unit,
        telephony: telephonyLaunchOptions(options),
        retention: { closedIncidentDays: options.retentionDays },
        ...(options.idleLockMinutes !== null ? { idleLockMs: options.idleLockMinutes * 60_000 } : {}),
        ...(options.meshListen !== null ? { mesh: { listen: options.meshListen } } : {}),
      });
    } catch (error) {
      fail(text().storeFailedTitle, `${text().storeFailedIntro}\n\n${(error as Error).message}`);
      return null;
    }
    core = opened;

    app.setAboutPanelOptions({ applicationName: 'Guardline', applicationVersion: app.getVersion() });
    installAppMenu({
      text: text(),
      isDev: devServerUrl !== null,
      platform: process.platform,
      onAbout: () => app.showAboutPanel(),
      onQuit: () => app.quit(),
    });
    openWindow();
    unbindIpc = bindConsoleIpc({
      core: opened,
      getWindow: () => window,
      isTrustedUrl: (url) => isTrustedUrl(url, origin),
    });
    const createdTray = createStatusTray({
      iconDir: start.paths.trayIconDir,
      text: text(),
      onShow: show,
      onQuit: () => app.quit(),
    });
    tray = createdTray;
    // Phone status in the tray and as notifications, also while the window is hidden.
    stopLineStatus = watchLineStatus({
      core: opened,
      tray: createdTray,
      notify,
      text: lineStatusText(app.getLocale()),
      onShow: show,
    });
    // Alarms: a notification per new alarm, tray and taskbar flashing until acknowledged.
    stopAlarms = watchAlarms({
      core: opened,
      tray: createdTray,
      notify,
      flashWindow: (on) => window?.flashFrame(on),
      text: alarmSignalText(app.getLocale()),
      onShow: show,
    });
    return { core: opened, tray: createdTray, options, getWindow: () => window };
  });
  return { ready };
}
