import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStandInWebRoot } from '../../support/web-root.ts';
import WebSocket from 'ws';
import { createConsoleCore, type ConsoleCore } from '../../../src-main/core/console-core.ts';
import { createWebHost, type WebHost } from '../../../src-main/host-web/index.ts';
import {
  ServerFrame,
  WS_PROTOCOL,
  WS_TOKEN_PREFIX,
  type CallResult,
  type ResultFrame,
} from '../../../src-shared/transport.ts';
import { signIn } from '../../support/staff.ts';

let dir: string;
let core: ConsoleCore;
let host: WebHost;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-web-host-'));
  const web = writeStandInWebRoot(dir);
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'assets', 'app-1a2b.js'), 'console.log(1)');
  core = createConsoleCore({
    dataFile: join(dir, 'guardline.sqlite'),
    host: 'web',
    appVersion: '0.0.0-test',
    facility: 'Testanstalten',
    unit: 'Avdelning T',
  });
  host = await createWebHost({ core, staticDir: web, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await host?.close();
  core?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Attempt {
  protocols?: string[];
  origin?: string;
  hostHeader?: string;
  path?: string;
}

/** Opens an API socket to 127.0.0.1; resolves with the socket, or with the HTTP status of the refusal. */
function openSocket(attempt: Attempt = {}): Promise<{ ws: WebSocket } | { refused: number }> {
  const ws = new WebSocket(
    `ws://127.0.0.1:${host.port}${attempt.path ?? '/api'}`,
    attempt.protocols ?? [WS_PROTOCOL, WS_TOKEN_PREFIX + host.token],
    {
      origin: attempt.origin ?? `http://127.0.0.1:${host.port}`,
      headers: attempt.hostHeader ? { host: attempt.hostHeader } : {},
    },
  );
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

async function openApi(): Promise<WebSocket> {
  const result = await openSocket();
  if (!('ws' in result)) throw new Error(`refused with ${result.refused}`);
  return result.ws;
}

let nextId = 1;
function call(ws: WebSocket, method: string, input: unknown): Promise<ResultFrame['result']> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = ServerFrame.parse(JSON.parse(data.toString()));
      if (frame.kind === 'result' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ kind: 'call', id, method, input }));
  });
}

/** `call` in the shape the shared sign-in helper takes. */
const callOver = (ws: WebSocket) => (method: string, input: unknown) => call(ws, method, input) as Promise<CallResult>;

function nextEvent(ws: WebSocket, name: string): Promise<{ name: string; payload: unknown }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = ServerFrame.parse(JSON.parse(data.toString()));
      if (frame.kind === 'event' && frame.name === name) {
        ws.off('message', onMessage);
        resolve(frame);
      }
    };
    ws.on('message', onMessage);
  });
}

function closeOf(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

function httpGet(
  path: string,
  hostHeader?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, headers: hostHeader ? { host: hostHeader } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

const admin = { staffNumber: 'A0001', name: 'Test Admin', pin: '246810' };

const validIncident = {
  facility: 'Testanstalten',
  unit: 'Avdelning T',
  category: 'medical',
  severity: 'high',
  title: 'Intagen svimmade i dagrummet',
  occurredAt: '2026-11-25T21:14:00+01:00',
  reportedBy: 'Vakt 12',
};

describe('browser host', () => {
  it('prints a loopback URL that carries the token only in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('listens on 127.0.0.1 only', async () => {
    // A listener on 0.0.0.0 would also answer on 127.0.0.2; one bound to 127.0.0.1 refuses it.
    const outcome = await new Promise<string>((resolve) => {
      const socket = netConnect({ host: '127.0.0.2', port: host.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('serves index.html with the strict CSP, nosniff, no-referrer and no-store', async () => {
    const res = await httpGet('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Guardline</title>');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        `connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}; ` +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('falls back to index.html for client-side routes and serves assets', async () => {
    const route = await httpGet('/incidents/123');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>Guardline</title>');
    const asset = await httpGet('/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-security-policy']).toBeDefined();
    expect((await httpGet('/missing.js')).status).toBe(404);
  });

  it('accepts localhost as the Host name', async () => {
    expect((await httpGet('/', `localhost:${host.port}`)).status).toBe(200);
  });

  it('refuses HTTP requests whose Host header names another site (DNS rebinding)', async () => {
    const res = await httpGet('/', `evil.example:${host.port}`);
    expect(res.status).toBe(421);
    expect(res.body).not.toContain('Guardline');
    expect((await httpGet('/', '127.0.0.1:1')).status).toBe(421);
  });

  it('refuses the API socket without a token', async () => {
    expect(await openSocket({ protocols: [WS_PROTOCOL] })).toEqual({ refused: 401 });
  });

  it('refuses the API socket with a wrong token', async () => {
    const wrong = 'f'.repeat(64) === host.token ? 'e'.repeat(64) : 'f'.repeat(64);
    expect(await openSocket({ protocols: [WS_PROTOCOL, WS_TOKEN_PREFIX + wrong] })).toEqual({ refused: 401 });
    expect(await openSocket({ protocols: [WS_PROTOCOL, WS_TOKEN_PREFIX + host.token.slice(1)] })).toEqual({
      refused: 401,
    });
  });

  it('refuses the API socket with the token but without the protocol name', async () => {
    expect(await openSocket({ protocols: [WS_TOKEN_PREFIX + host.token] })).toEqual({ refused: 401 });
  });

  it('refuses the API socket from another Origin', async () => {
    expect(await openSocket({ origin: 'http://127.0.0.1:1' })).toEqual({ refused: 403 });
    expect(await openSocket({ origin: 'http://evil.example' })).toEqual({ refused: 403 });
  });

  it('refuses the API socket when the Host header names another site', async () => {
    expect(await openSocket({ hostHeader: `evil.example:${host.port}` })).toEqual({ refused: 421 });
  });

  it('refuses sockets on other paths', async () => {
    expect(await openSocket({ path: '/' })).toEqual({ refused: 404 });
  });

  it('selects the protocol name, never echoing the token', async () => {
    const result = await openSocket({ protocols: [WS_TOKEN_PREFIX + host.token, WS_PROTOCOL] });
    expect('ws' in result && result.ws.protocol).toBe(WS_PROTOCOL);
  });

  it('answers system.info over the socket', async () => {
    const ws = await openApi();
    const result = await call(ws, 'system.info', {});
    expect(result).toMatchObject({ ok: true, value: { host: 'web', facility: 'Testanstalten' } });
  });

  it('signs the console in over the socket, as the page does', async () => {
    const ws = await openApi();
    const before = await call(ws, 'auth.session', {});
    expect(before).toMatchObject({ ok: true, value: { rosterEmpty: true } });
    const refused = await call(ws, 'incidents.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await call(ws, 'auth.bootstrapAdmin', admin)).toMatchObject({ ok: true });
  });

  it('returns invalid_input naming the field for a bad incident', async () => {
    const ws = await openApi();
    await signIn(callOver(ws), admin);
    const result = await call(ws, 'incidents.create', { ...validIncident, severity: 'apocalyptic' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'severity' } });
  });

  it('returns invalid_input for a malformed frame that still has an id', async () => {
    const ws = await openApi();
    const reply = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ kind: 'call', id: 77, method: 42 }));
    expect(await reply).toMatchObject({
      kind: 'result',
      id: 77,
      result: { ok: false, error: { code: 'invalid_input', field: 'method' } },
    });
  });

  it('closes the socket with 1008 on a frame without a usable id', async () => {
    const notJson = await openApi();
    const closedA = closeOf(notJson);
    notJson.send('not json');
    expect(await closedA).toBe(1008);
    const noId = await openApi();
    const closedB = closeOf(noId);
    noId.send(JSON.stringify({ kind: 'call', method: 'system.info' }));
    expect(await closedB).toBe(1008);
  });

  it('closes the socket when a frame exceeds the payload limit', async () => {
    const ws = await openApi();
    const closed = closeOf(ws);
    ws.send(
      JSON.stringify({ kind: 'call', id: 1, method: 'system.info', input: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    );
    expect(await closed).toBe(1009);
  });

  it('lists an incident created over the socket and pushes incidents.changed to another connection', async () => {
    const writer = await openApi();
    const watcher = await openApi();
    await signIn(callOver(writer), admin);
    const pushed = nextEvent(watcher, 'incidents.changed');
    const created = await call(writer, 'incidents.create', validIncident);
    expect(created.ok).toBe(true);
    const id = created.ok ? (created.value as { id: string }).id : '';
    expect(await pushed).toEqual({ kind: 'event', name: 'incidents.changed', payload: { ids: [id] } });
    const listed = await call(watcher, 'incidents.list', {});
    expect(listed.ok && (listed.value as { items: { id: string }[] }).items.map((i) => i.id)).toContain(id);
  });
});
