/**
 * Serves the built renderer on `app://guardline/` (app-url.ts) instead of file://. The
 * scheme is registered as privileged before the app is ready (standard + secure, so it
 * has an origin, 'self' in the CSP means exactly this app, and fetch/ES modules work)
 * and answered with `protocol.handle`
 * (https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler).
 * Each response carries the production CSP as a header: the renderer's HTML has no
 * CSP meta tag, so development (electron-vite dev) gets its own policy from the session.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Protocol } from 'electron';
import { APP_SCHEME, appUrlToFile } from './app-url.ts';

/**
 * The content types the renderer build produces. Written out instead of a MIME library:
 * the build emits these few kinds, and an unknown kind must not be guessed into
 * something executable (it is served as octet-stream with nosniff).
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

type SchemeRegistry = Pick<Protocol, 'registerSchemesAsPrivileged'>;

/** Must run before `app` is ready. */
export function registerAppScheme(protocol: SchemeRegistry): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The handler on its own, so it is testable with plain Requests. */
export function rendererRequestHandler(rendererDir: string, csp: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
    const file = appUrlToFile(request.url, rendererDir);
    if (!file) return refuse(404, 'not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return refuse(404, 'not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': contentTypeOf(file),
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Referrer-Policy': 'no-referrer',
      },
    });
  };
}

type Handling = Pick<Protocol, 'handle'>;

export function serveRenderer(protocol: Handling, rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, rendererRequestHandler(rendererDir, csp));
}
