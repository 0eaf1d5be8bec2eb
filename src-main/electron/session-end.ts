/**
 * The OS session ends (log-off, shutdown, restart): the store must close cleanly even
 * though Electron then skips its normal quit. On Windows `will-quit` never comes;
 * the window's `session-end` is the last word
 * (https://www.electronjs.org/docs/latest/api/browser-window#event-session-end-windows).
 * On Linux and macOS, `powerMonitor` 'shutdown' may be delayed with preventDefault
 * until the app has quit
 * (https://www.electronjs.org/docs/latest/api/power-monitor#event-shutdown-linux-macos).
 */
import type { BrowserWindow } from 'electron';

export interface ShutdownSource {
  on(event: 'shutdown', listener: (event?: { preventDefault(): void }) => void): unknown;
}

export interface SessionEndDeps {
  powerMonitor: ShutdownSource;
  /** Closes the core at once (store first) and quits; safe to call twice. */
  shutDown(reason: string): void;
}

export function watchPowerShutdown(deps: SessionEndDeps): void {
  deps.powerMonitor.on('shutdown', (event) => {
    event?.preventDefault();
    deps.shutDown('system shutdown');
  });
}

/** Per window: Windows tells each top-level window that the session ends. */
export function watchWindowsSessionEnd(window: BrowserWindow, shutDown: (reason: string) => void): void {
  window.on('session-end', (event) => shutDown(`session end (${event.reasons.join(', ') || 'unknown'})`));
}
