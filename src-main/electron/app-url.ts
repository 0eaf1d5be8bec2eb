/**
 * The renderer's own scheme, `app://guardline/…`, and the one mapping from such a URL to
 * a file under the built renderer. Pure and host-free: the protocol handler serves only
 * what this returns, and trusted-url.ts trusts only what it accepts, so every traversal
 * trick (`..`, `%2e%2e`, `%2f`, backslashes, NUL, another host) is a unit test here.
 * Electron's security guide recommends a custom scheme over file://, where 'self' would
 * match any file on the disk (https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'guardline';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/** The file an app:// URL names under `rendererDir`, or null when it names nothing there. */
export function appUrlToFile(url: string, rendererDir: string): string | null {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  if (parsed.username || parsed.password || parsed.port) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  // Decoded separators and NUL never name one of our files; '\' is a separator on Windows.
  if (path.includes('\0') || path.includes('\\') || /%2f|%5c/i.test(parsed.pathname)) return null;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, ...(segments.length === 0 ? ['index.html'] : segments));
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return file;
}
