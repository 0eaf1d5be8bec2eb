/**
 * The one console window. Its web preferences are the security boundary between
 * the page and the machine: an isolated, sandboxed renderer with no Node, whose
 * only way out is the preload's `window.guardline` bridge. Loading, showing and
 * recovering the page are page-load.ts's job; closing hides (close-to-tray.ts).
 */
import { BrowserWindow } from 'electron';

export interface MainWindowOptions {
  preloadFile: string;
  icon?: string;
  isDev: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'Guardline',
    // Shown once the first paint is ready (or by page-load.ts's watchdog), never as a blank white frame.
    show: false,
    backgroundColor: '#10254a',
    ...(options.icon ? { icon: options.icon } : {}),
    // Written out here, in the constructor call, so static checkers (electronegativity in
    // test/security) see each preference where the window is made, not behind a call.
    webPreferences: {
      preload: options.preloadFile,
      // DevTools only under `electron-vite dev`: a production console cannot be inspected or scripted from within.
      devTools: options.isDev,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A middle click must not open a link in a new window (auxclick bypasses the click handler).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      navigateOnDragDrop: false,
      // An alarm must sound even if nobody has clicked the page yet, and keep its
      // timers running while the window is hidden behind other programs.
      autoplayPolicy: 'no-user-gesture-required',
      backgroundThrottling: false,
    },
  });
  return window;
}

/** Bring the window to the front, e.g. when staff start Guardline a second time. */
export function focusWindow(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
