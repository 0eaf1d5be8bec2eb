/**
 * Which URLs are the app's own. Pure and host-free so every tricky case is a unit
 * test: the window may only show, and IPC may only come from, the built renderer
 * under `rendererDir` (file:) or, in `electron-vite dev`, the dev server's origin.
 */
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppOrigin {
  /** Absolute path of the built renderer (`out/renderer`). */
  rendererDir: string;
  /** `ELECTRON_RENDERER_URL` while running under `electron-vite dev`; null in a real build. */
  devServerUrl: string | null;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function isUnder(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function rendererFile(url: URL, rendererDir: string): boolean {
  // file://server/share/... is a network path, never ours.
  if (url.protocol !== 'file:' || url.host !== '') return false;
  let path: string;
  try {
    // Decodes %-escapes; throws on an encoded separator (%2F), which is never ours either.
    path = fileURLToPath(url);
  } catch {
    return false;
  }
  return isUnder(rendererDir, path);
}

function devServerOrigin(devServerUrl: string | null): URL | null {
  if (!devServerUrl) return null;
  const dev = parse(devServerUrl);
  return dev && (dev.protocol === 'http:' || dev.protocol === 'https:') ? dev : null;
}

/** A page the window may show and whose main frame may call the console API. */
export function isTrustedUrl(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === 'file:') return rendererFile(parsed, origin.rendererDir);
  const dev = devServerOrigin(origin.devServerUrl);
  return dev !== null && parsed.origin === dev.origin;
}

/**
 * A network request the renderer may make. Everything the built renderer needs is
 * a file under its own folder or an inline data:/blob: resource; DevTools loads its
 * own devtools: pages. Any http(s)/ws(s) request is refused except to the dev server
 * (and its HMR socket), so a compromised page cannot send incident data anywhere.
 */
export function isAllowedRequest(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  switch (parsed.protocol) {
    case 'file:':
      return rendererFile(parsed, origin.rendererDir);
    case 'data:':
    case 'blob:':
    case 'devtools:':
      return true;
    case 'http:':
    case 'https:':
    case 'ws:':
    case 'wss:': {
      const dev = devServerOrigin(origin.devServerUrl);
      if (!dev) return false;
      const secure = dev.protocol === 'https:';
      const sameScheme = parsed.protocol === dev.protocol || parsed.protocol === (secure ? 'wss:' : 'ws:');
      return sameScheme && parsed.host === dev.host;
    }
    default:
      return false;
  }
}
