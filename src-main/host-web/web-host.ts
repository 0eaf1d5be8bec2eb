/**
 * The browser host: serves the built renderer and the console API over a WebSocket on
 * 127.0.0.1. It exists because the Electron binary cannot be installed on every machine
 * (it cannot be downloaded on the build machines at all), and because e2e tests drive the
 * real UI through a plain Chromium. Same core, same dispatch, same contract as Electron.
 *
 * Defences, since any local page or process can reach a loopback port: bound to
 * 127.0.0.1 only; Host header checked on every request (DNS rebinding); the API socket
 * needs the own Origin plus a random per-run token that travels in the URL fragment
 * (never sent to the server) and then in the WebSocket subprotocol list.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConsoleCore } from '../core/console-core.ts';
import { WS_PROTOCOL } from '../../src-shared/transport.ts';
import { CLOSE_GOING_AWAY, serveApiConnection } from './api-connection.ts';
import { checkApiHandshake, isAllowedHost, parseSubprotocols, securityHeaders } from './request-guard.ts';

export const API_PATH = '/api';
const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Sockets that ignore the close handshake on shutdown are cut after this long. */
const CLOSE_GRACE_MS = 2_000;

export interface WebHostOptions {
  core: Pick<ConsoleCore, 'dispatch' | 'subscribe'>;
  /** The built renderer (`dist-renderer/`). */
  staticDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: '127.0.0.1';
}

export interface WebHost {
  /** `http://127.0.0.1:<port>/#token=<token>` */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function createWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(32).toString('hex');
  let port = 0;
  let headers: Record<string, string> = {};

  const serveStatic = sirv(options.staticDir, {
    single: true,
    etag: true,
    dotfiles: false,
    setHeaders(res, pathname) {
      // Vite fingerprints files under /assets, so they never change; the document must
      // always be fetched fresh so a rebuilt renderer is picked up.
      const isAsset = pathname.startsWith('/assets/');
      res.setHeader('Cache-Control', isAsset ? 'public, max-age=31536000, immutable' : 'no-store');
    },
  });

  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (!isAllowedHost(req.headers.host, port)) return plain(res, 421, 'Misdirected request: unknown Host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed\n');
    if (pathOf(req) === API_PATH) return plain(res, 426, 'Upgrade required\n');
    serveStatic(req, res, () => plain(res, 404, 'Not found\n'));
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD_BYTES,
    perMessageDeflate: false,
    // Always answer with the protocol name; the default would echo the first offered
    // entry, which may be the token.
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!isAllowedHost(req.headers.host, port)) return refuseUpgrade(socket, 421, 'unknown Host');
    if (pathOf(req) !== API_PATH) return refuseUpgrade(socket, 404, 'not found');
    const protocols = parseSubprotocols(req.headers['sec-websocket-protocol']);
    const verdict = checkApiHandshake({ origin: req.headers.origin, protocols }, port, token);
    if (!verdict.ok) return refuseUpgrade(socket, verdict.status, verdict.reason);
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => serveApiConnection(ws, options.core));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  headers = securityHeaders(port);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      for (const ws of wss.clients) ws.close(CLOSE_GOING_AWAY, 'host shutting down');
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections();
      }, CLOSE_GRACE_MS);
      cut.unref();
      server.once('close', () => clearTimeout(cut));
    });
    return closing;
  };

  return { url: `http://127.0.0.1:${port}/#token=${token}`, port, token, close };
}

function pathOf(req: IncomingMessage): string {
  const raw = req.url ?? '/';
  const end = raw.search(/[?#]/);
  return end === -1 ? raw : raw.slice(0, end);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  421: 'Misdirected Request',
};

/** A refused client gets this long to take the answer and hang up before its socket is cut. */
const REFUSED_LINGER_MS = 5_000;

/** Answer a refused upgrade in plain HTTP before any WebSocket frame exists, then hang up. */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  // Whatever the client sent after its headers is read and dropped: unread, it would keep the
  // socket from ever seeing the client's end, so it would stay open and hold close() forever.
  socket.resume();
  setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Refused'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
