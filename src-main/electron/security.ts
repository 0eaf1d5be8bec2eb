/**
 * Locks every web page the app creates to the app's own renderer. Electron's
 * security checklist, applied in one place: no navigation or redirect away from
 * the app, no new windows, no <webview>, no permission grants, no network access
 * outside the app, and the CSP as a response header. The renderer's HTML carries no
 * CSP meta tag: a meta policy would also bind `electron-vite dev`, whose React refresh
 * preamble and style tags are inline. The production policy rides on every app://
 * response (app-protocol.ts) and every other response through onHeadersReceived; the
 * relaxed dev policy exists only when the dev server is in use.
 */
import { app, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy } from './csp.ts';
import { isAllowedRequest, isTrustedUrl, type AppOrigin } from './trusted-url.ts';

export { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from './csp.ts';

export interface SecurityLog {
  warn(message: string): void;
}

const consoleLog: SecurityLog = { warn: (message) => console.warn(`[guardline] ${message}`) };

/** Guards one webContents: the main window's, and any other Electron creates (DevTools included). */
export function guardContents(contents: WebContents, origin: AppOrigin, log: SecurityLog = consoleLog): void {
  const refuseUntrusted = (what: string) => (event: { url: string; preventDefault(): void }) => {
    if (isTrustedUrl(event.url, origin)) return;
    event.preventDefault();
    log.warn(`blocked ${what} to ${event.url.slice(0, 200)}`);
  };
  contents.on('will-navigate', refuseUntrusted('navigation'));
  contents.on('will-frame-navigate', refuseUntrusted('frame navigation'));
  contents.on('will-redirect', refuseUntrusted('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn(`blocked window.open to ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
}

/** Denies every permission and every request outside the app; adds the CSP header. */
export function guardSession(session: Session, origin: AppOrigin, log: SecurityLog = consoleLog): void {
  // Camera, microphone, geolocation, notifications…: the renderer needs none.
  // Native notifications come from the main process (notifications.ts).
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);

  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, origin);
    if (!allowed) log.warn(`blocked request to ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });

  const policy = contentSecurityPolicy(origin);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

/** Call before `app.whenReady()` so the first window is already covered. */
export function guardAllContents(origin: AppOrigin, log: SecurityLog = consoleLog): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, origin, log));
}
