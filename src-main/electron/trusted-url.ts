/**
 * Which URLs are the app's own. Pure and host-free so every tricky case is a unit
 * test: the window may only show, and IPC may only come from, the built renderer
 * served on `app://guardline/` (app-url.ts) or, in `electron-vite dev`, the dev
 * server's origin. file:// is never trusted: with the custom scheme nothing of ours
 * lives there, and 'self' on file:// would mean any file on the disk.
 */
import { appUrlToFile } from './app-url.ts';

export interface AppOrigin {
  /** Absolute path of the built renderer (`out/renderer`), served as app://guardline/. */
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

function devServerOrigin(devServerUrl: string | null): URL | null {
  if (!devServerUrl) return null;
  const dev = parse(devServerUrl);
  return dev && (dev.protocol === 'http:' || dev.protocol === 'https:') ? dev : null;
}

/** The page the console window loads: the dev server under `electron-vite dev`, else the app scheme. */
export function appPageUrl(origin: AppOrigin, appIndexUrl: string): string {
  return devServerOrigin(origin.devServerUrl)?.href ?? appIndexUrl;
}

/** A page the window may show and whose main frame may call the console API. */
export function isTrustedUrl(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === 'app:') return appUrlToFile(url, origin.rendererDir) !== null;
  const dev = devServerOrigin(origin.devServerUrl);
  return dev !== null && parsed.origin === dev.origin;
}

/**
 * A network request the renderer may make. Everything the built renderer needs is
 * a file under its own folder (app://guardline/) or an inline data:/blob: resource;
 * DevTools loads its own devtools: pages. Any http(s)/ws(s) request is refused except
 * to the dev server (and its HMR socket), so a compromised page cannot send incident
 * data anywhere; file:// is refused outright.
 */
export function isAllowedRequest(url: string, origin: AppOrigin): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  switch (parsed.protocol) {
    case 'app:':
      return appUrlToFile(url, origin.rendererDir) !== null;
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
