/**
 * Closing the console window must not stop monitoring: line probes, escalation timers
 * and alarms live in the main process and keep running while the window is hidden in
 * the tray (on every platform). Only an approved quit (quit-request.ts) or the end of
 * the OS session lets the window really close.
 */
import type { BrowserWindow } from 'electron';

export function hideInsteadOfClosing(window: BrowserWindow, isQuitting: () => boolean): void {
  window.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    window.hide();
  });
}
