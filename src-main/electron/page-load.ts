/**
 * Keeps the console window from staying invisible or dead. The window is created hidden
 * and shown on `ready-to-show`, so nobody sees a blank frame; but when the page never
 * loads, or `ready-to-show` never fires, staff would have only a tray icon. So:
 * - a failed main-frame load shows the window with an error page and retries the app's
 *   page every `retryMs` until it loads
 *   (https://www.electronjs.org/docs/latest/api/web-contents#event-did-fail-load);
 * - a watchdog shows the window anyway after `showWithinMs`;
 * - a crashed or killed renderer is reloaded at once, and after `retryMs` if it crashed
 *   again soon after (https://www.electronjs.org/docs/latest/api/web-contents#event-render-process-gone).
 * The error page is a data: URL without scripts: it can call nothing and needs no file.
 */
import type { BrowserWindow } from 'electron';
import type { ShellText } from './shell-text.ts';

export interface PageLoadOptions {
  /** The app's page: app://guardline/index.html, or the dev server. */
  url: string;
  text: Pick<ShellText, 'loadFailedTitle' | 'loadFailedBody' | 'crashedBody'>;
  /** Start hidden (`--hidden` at login): the watchdog and `ready-to-show` then show nothing. */
  startHidden?: boolean;
  showWithinMs?: number;
  retryMs?: number;
  log?: (message: string) => void;
}

export const SHOW_WITHIN_MS = 15_000;
export const RETRY_MS = 5_000;
/** Chromium's net::ERR_ABORTED: a navigation replaced by another, not a failure. */
const ERR_ABORTED = -3;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function errorPageUrl(title: string, body: string, detail: string): string {
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    '<body style="background:#10254a;color:#fff;font:18px system-ui,sans-serif;padding:3em;max-width:48em">' +
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p>` +
    `<p style="opacity:.8;font-family:monospace">${escapeHtml(detail)}</p></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

export function superviseLoading(window: BrowserWindow, options: PageLoadOptions): () => void {
  const showWithinMs = options.showWithinMs ?? SHOW_WITHIN_MS;
  const retryMs = options.retryMs ?? RETRY_MS;
  const log = options.log ?? ((message: string) => console.error(`[guardline] ${message}`));
  let retry: ReturnType<typeof setTimeout> | null = null;
  let lastCrashAt = -Infinity;
  let stopped = false;

  const alive = () => !stopped && !window.isDestroyed();
  const load = () => {
    if (!alive()) return;
    window.loadURL(options.url).catch(() => {
      // Reported (with its error code) through did-fail-load.
    });
  };
  const retryLater = () => {
    if (retry !== null) clearTimeout(retry);
    retry = setTimeout(() => {
      retry = null;
      load();
    }, retryMs);
  };
  const showOnce = () => {
    if (alive() && !options.startHidden && !window.isVisible()) window.show();
  };

  window.once('ready-to-show', showOnce);
  const watchdog = setTimeout(() => {
    if (!alive() || window.isVisible() || options.startHidden) return;
    log(`the console page was not ready within ${showWithinMs} ms; showing the window anyway`);
    window.show();
  }, showWithinMs);

  window.webContents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED || validatedURL.startsWith('data:')) return;
    log(`the console page failed to load: ${errorDescription} (${errorCode}) ${validatedURL.slice(0, 200)}`);
    const { text } = options;
    void window
      .loadURL(errorPageUrl(text.loadFailedTitle, text.loadFailedBody, `${errorDescription} (${errorCode})`))
      .catch(() => {});
    if (!window.isVisible()) window.show();
    retryLater();
  });

  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || !alive()) return;
    log(`the console page's renderer is gone (${details.reason}, exit code ${details.exitCode}); reloading`);
    const now = performance.now();
    const again = now - lastCrashAt < retryMs * 6;
    lastCrashAt = now;
    if (!again) return load();
    const { text } = options;
    void window.loadURL(errorPageUrl(text.loadFailedTitle, text.crashedBody, details.reason)).catch(() => {});
    retryLater();
  });

  load();
  return () => {
    stopped = true;
    clearTimeout(watchdog);
    if (retry !== null) clearTimeout(retry);
  };
}
