/**
 * The Electron shell's start-up and shutdown: one running console per data dir,
 * security guards and the app:// scheme before the first page exists, then core, menu,
 * window, IPC and tray once Electron is ready. `main.ts` only supplies the built paths.
 *
 * The console watches phones and alarms around the clock, so the process outlives its
 * window: closing the window hides it in the tray (close-to-tray.ts), quitting takes a
 * supervisor's approval (quit-request.ts), and the core is closed, store first, on every
 * way out: an approved quit (`will-quit`), Windows ending the session (`session-end`,
 * where `will-quit` never comes) and a Linux/macOS shutdown (session-end.ts).
 */
import { dirname, join } from 'node:path';
import { app, dialog, powerMonitor, protocol, session, type BrowserWindow } from 'electron';
import { telephonyLaunchOptions } from '../core/config/config-location.ts';
import { createConsoleCore, type ConsoleCore } from '../core/console-core.ts';
import { createCredentialStore } from '../core/telephony/index.ts';
import { safeStorageCodec } from './sip-credential-codec.ts';
import { DataDirError, prepareDataDir } from '../core/data-dir.ts';
import { describeHolder, takeInstanceLock, type InstanceLock } from '../core/instance-lock.ts';
import { meshLaunchConfig, parseLaunchOptions, type LaunchOptions } from '../core/launch-options.ts';
import { applyAppIdentity } from './app-identity.ts';
import { registerAppScheme, serveRenderer } from './app-protocol.ts';
import { APP_INDEX_URL } from './app-url.ts';
import { bindConsoleIpc } from './ipc.ts';
import { watchLineStatus } from './line-status-signal.ts';
import { lineStatusText } from './line-status-text.ts';
import { watchAlarms } from './alarm-signal.ts';
import { alarmSignalText } from './alarm-signal-text.ts';
import { hideInsteadOfClosing } from './close-to-tray.ts';
import { dismissNotifications, notify } from './notifications.ts';
import { installAppMenu } from './menu.ts';
import { superviseLoading } from './page-load.ts';
import { requestQuit } from './quit-request.ts';
import { CONTENT_SECURITY_POLICY } from './csp.ts';
import { guardAllContents, guardSession } from './security.ts';
import { watchPowerShutdown, watchWindowsSessionEnd } from './session-end.ts';
import { shellText } from './shell-text.ts';
import { createStatusTray, type StatusTray } from './tray.ts';
import { appPageUrl, isTrustedUrl, type AppOrigin } from './trusted-url.ts';
import { createMainWindow, focusWindow } from './window.ts';
import { watchFleetUpdates, type FleetUpdates } from './fleet-updates.ts';
import electronUpdater from 'electron-updater';

export interface ShellPaths {
  /** Built preload, `out/preload/index.cjs`. */
  preloadFile: string;
  /** Built renderer folder, `out/renderer`, served as app://guardline/. */
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
  /** Defaults to `process.platform`; tests pass the platform they describe. */
  platform?: NodeJS.Platform;
}

/** What the running shell offers later issues (telephony status, alarms). */
export interface RunningShell {
  core: ConsoleCore;
  tray: StatusTray;
  options: LaunchOptions;
  getWindow(): BrowserWindow | null;
  /** The tray's and menu's Quit: confirm, ask the core, then quit or explain. */
  requestQuit(): Promise<'cancelled' | 'refused' | 'quit'>;
  /** New versions from the enrolled tracker (issue 15). */
  updates: FleetUpdates;
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
  const platform = start.platform ?? process.platform;
  const text = () => shellText(app.getLocale());
  // ELECTRON_RENDERER_URL is set by `electron-vite dev`. A packaged app ignores it,
  // or anyone able to set an environment variable could point the trusted window at their page.
  const devServerUrl = app.isPackaged ? null : (start.env.ELECTRON_RENDERER_URL ?? null);
  const origin: AppOrigin = { rendererDir: start.paths.rendererDir, devServerUrl };
  // Started with the OS session (installer option, login item): monitor from the tray.
  const startHidden = hasFlag(start.argv, '--hidden');

  // A packaged console never runs without Chromium's sandbox. electron-builder's AppImage
  // adds --no-sandbox where user namespaces are restricted (Ubuntu 24.04+ without an
  // AppArmor profile); refuse with directions rather than run every page unsandboxed.
  if (app.isPackaged && app.commandLine.hasSwitch('no-sandbox')) {
    fail(text().sandboxOffTitle, text().sandboxOffBody);
    return { ready: Promise.resolve(null) };
  }

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

  applyAppIdentity(app, platform);
  app.enableSandbox();
  registerAppScheme(protocol);
  guardAllContents(origin);

  let core: ConsoleCore | null = null;
  let window: BrowserWindow | null = null;
  let tray: StatusTray | null = null;
  let quitting = false;
  let dataDirLock: InstanceLock | null = null;
  const releaseDataDir = () => {
    dataDirLock?.release();
    dataDirLock = null;
  };
  const stops: (() => void)[] = [];

  /** Everything but the core, in reverse order of start. */
  const stopShell = () => {
    for (const stop of stops.splice(0).reverse()) stop();
    tray?.destroy();
    tray = null;
  };

  /** Session end or shutdown: the store closes now; nothing waits for background work. */
  const shutDown = (reason: string) => {
    console.warn(`[guardline] ${reason}: closing the console`);
    quitting = true;
    stopShell();
    const closing = core;
    core = null;
    closing
      ?.close()
      .catch((error: unknown) => console.error('[guardline] closing the console core failed', error))
      .finally(releaseDataDir);
    app.quit();
  };

  const openWindow = (): BrowserWindow => {
    const created = createMainWindow({
      preloadFile: start.paths.preloadFile,
      icon: start.paths.windowIcon,
      isDev: devServerUrl !== null,
    });
    hideInsteadOfClosing(created, () => quitting);
    watchWindowsSessionEnd(created, shutDown);
    stops.push(
      superviseLoading(created, {
        url: appPageUrl(origin, APP_INDEX_URL),
        text: text(),
        startHidden: startHidden && window === null,
      }),
    );
    created.on('closed', () => {
      if (window === created) window = null;
    });
    window = created;
    return created;
  };
  const show = () => focusWindow(window ?? (core ? openWindow() : null));

  const quitApproved = () => {
    quitting = true;
    app.quit();
  };
  const askToQuit = async () => {
    const opened = core;
    if (!opened || quitting) return 'cancelled' as const;
    const t = text();
    const parent = window && !window.isDestroyed() ? window : null;
    const box = (type: 'warning' | 'info', message: string, detail: string, buttons: string[]) => {
      const boxOptions = {
        type,
        message,
        detail,
        buttons,
        defaultId: buttons.length - 1,
        cancelId: buttons.length - 1,
      };
      return parent ? dialog.showMessageBox(parent, boxOptions) : dialog.showMessageBox(boxOptions);
    };
    return requestQuit({
      core: opened,
      text: t,
      confirm: async (message, detail) =>
        (await box('warning', message, detail, [t.quitButton, t.cancelButton])).response === 0,
      refuse: async (message, detail) => void (await box('info', message, detail, [t.okButton])),
      show,
      quit: quitApproved,
    });
  };

  app.on('second-instance', () => show());
  // The window only hides; should it ever be gone, the console still runs in the tray.
  app.on('window-all-closed', () => {});
  app.on('activate', () => show());
  // Any quit Electron starts itself (app.quit from the quit request, macOS Dock "Quit",
  // a test driver) lets the window close; the window's own close only hides it.
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    stopShell();
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
        releaseDataDir();
        app.quit();
      });
  });

  const ready = app.whenReady().then((): RunningShell | null => {
    guardSession(session.defaultSession, origin);
    serveRenderer(protocol, start.paths.rendererDir, CONTENT_SECURITY_POLICY);
    // Electron's own lock keeps out a second Electron console; the data directory's lock
    // also keeps out a browser host (`npm run start:web`) on the same database, which would
    // run a second monitor and a second set of escalation timers.
    try {
      prepareDataDir(options.dataDir);
      const taken = takeInstanceLock(options.dataDir, 'electron');
      if (!taken.ok) {
        fail(text().storeFailedTitle, describeHolder(options.dataDir, taken.holder));
        return null;
      }
      dataDirLock = taken.lock;
    } catch (error) {
      if (!(error instanceof DataDirError)) throw error;
      fail(text().storeFailedTitle, error.message);
      return null;
    }
    let opened: ConsoleCore;
    try {
      opened = createConsoleCore({
        dataFile: options.dataFile,
        host: 'electron',
        appVersion: app.getVersion(),
        facility: options.facility,
        unit: options.unit,
        telephony: {
          ...telephonyLaunchOptions(options),
          credentials: createCredentialStore(
            join(dirname(options.dataFile), 'sip-credentials.sealed'),
            safeStorageCodec(),
          ),
        },
        retention: { closedIncidentDays: options.retentionDays },
        ...(options.idleLockMinutes !== null ? { idleLockMs: options.idleLockMinutes * 60_000 } : {}),
        ...meshLaunchConfig(options),
      });
    } catch (error) {
      releaseDataDir();
      fail(text().storeFailedTitle, `${text().storeFailedIntro}\n\n${(error as Error).message}`);
      return null;
    }
    core = opened;
    watchPowerShutdown({ powerMonitor, shutDown });

    app.setAboutPanelOptions({ applicationName: 'Guardline', applicationVersion: app.getVersion() });
    installAppMenu({
      text: text(),
      isDev: devServerUrl !== null,
      platform,
      onAbout: () => app.showAboutPanel(),
      onQuit: () => void askToQuit(),
    });
    openWindow();
    stops.push(
      bindConsoleIpc({
        core: opened,
        getWindow: () => window,
        isTrustedUrl: (url) => isTrustedUrl(url, origin),
      }),
    );
    const createdTray = createStatusTray({
      iconDir: start.paths.trayIconDir,
      text: text(),
      onShow: show,
      onQuit: () => void askToQuit(),
    });
    tray = createdTray;
    // Phone status in the tray and as notifications, also while the window is hidden.
    stops.push(
      watchLineStatus({
        core: opened,
        tray: createdTray,
        notify,
        text: lineStatusText(app.getLocale()),
        onShow: show,
      }),
    );
    // Alarms: a notification per new alarm, the window up and on top, tray and taskbar
    // flashing until acknowledged.
    stops.push(
      watchAlarms({
        core: opened,
        tray: createdTray,
        notify,
        dismiss: (tag) => void dismissNotifications(tag),
        flashWindow: (on) => window?.flashFrame(on),
        windowVisible: () => !!window && !window.isDestroyed() && window.isVisible() && !window.isMinimized(),
        attention: (on) => {
          const target = on ? (window ?? openWindow()) : window;
          if (!target || target.isDestroyed()) return;
          target.setAlwaysOnTop(on);
          if (!on) return;
          if (target.isMinimized()) target.restore();
          if (!target.isVisible()) target.showInactive();
        },
        text: alarmSignalText(app.getLocale()),
        onShow: show,
      }),
    );
    // Issue 15: new versions from the enrolled tracker, installed at the next restart,
    // never while an alarm stands (fleet-updates.ts).
    const t = text();
    const updates = watchFleetUpdates({
      core: opened,
      updater: electronUpdater.autoUpdater,
      notify,
      text: { readyTitle: t.updateReadyTitle, readyBody: t.updateReadyBody, heldBody: t.updateHeldBody },
      logError: (message, detail) => console.error(`[guardline] ${message}`, detail),
    });
    stops.push(() => updates.stop());
    return {
      core: opened,
      tray: createdTray,
      options,
      getWindow: () => window,
      requestQuit: askToQuit,
      updates,
    };
  });
  return { ready };
}
