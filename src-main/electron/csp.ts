/**
 * The renderer's Content Security Policy, per mode. Electron-free, so the packaging test
 * can serve the real build with it. Sent as a response header only (never a meta tag):
 * by the app:// handler when packaged, by the session under `electron-vite dev`.
 */
import type { AppOrigin } from './trusted-url.ts';

/** The production policy: 'self' is app://guardline (a file:// page is never loaded). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Under `electron-vite dev` only: Vite injects inline scripts and styles (React
 * refresh, CSS hot reload) and talks to its HMR socket. Never used in a build.
 */
function devContentSecurityPolicy(devServerUrl: string): string {
  const ws = new URL(devServerUrl);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'self'", `connect-src 'self' ${ws.origin}`);
}

export function contentSecurityPolicy(origin: AppOrigin): string {
  return origin.devServerUrl ? devContentSecurityPolicy(origin.devServerUrl) : CONTENT_SECURITY_POLICY;
}
