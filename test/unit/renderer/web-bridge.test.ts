import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { AddressInfo } from 'node:net';
import {
  createWebBridge,
  reconnectDelay,
  type SocketLike,
  type WebBridge,
} from '../../../src-renderer/bridge/web-bridge.ts';
import type { ConnectionState } from '../../../src-renderer/bridge/connection.ts';
import { CallFrame, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../src-shared/transport.ts';

const TOKEN = 'a1b2c3d4e5f6a7b8';

/** A real loopback server speaking the host's frames; behaviour per test via `onCall`. */
let server: WebSocketServer;
let url: string;
let onCall: (frame: CallFrame, socket: WebSocket) => void;
const handshakes: string[][] = [];
const bridges: WebBridge[] = [];

beforeAll(async () => {
  server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    path: '/api',
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    verifyClient: (info, done) => {
      const offered = String(info.req.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim());
      handshakes.push(offered);
      done(offered.includes(WS_TOKEN_PREFIX + TOKEN), 401);
    },
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  server.on('connection', (socket) => {
    socket.on('message', (data: RawData) => {
      const frame = CallFrame.parse(JSON.parse(String(data)));
      onCall(frame, socket);
    });
  });
});

afterEach(() => {
  for (const b of bridges.splice(0)) b.close();
});

afterAll(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function bridge(token = TOKEN): WebBridge {
  const b = createWebBridge({
    url,
    token,
    connect: (u, protocols) => new WebSocket(u, protocols) as unknown as SocketLike,
    backoff: { initialMs: 5, maxMs: 20 },
  });
  bridges.push(b);
  return b;
}

function nextState(b: WebBridge, wanted: ConnectionState): Promise<void> {
  if (b.state() === wanted) return Promise.resolve();
  return new Promise((resolve) => {
    const off = b.onState((s) => {
      if (s === wanted) {
        off();
        resolve();
      }
    });
  });
}

function answer(socket: WebSocket, id: number, result: unknown) {
  socket.send(JSON.stringify({ kind: 'result', id, result }));
}

describe('web bridge', () => {
  it('offers the protocol name and the token as WebSocket subprotocols', async () => {
    onCall = () => {};
    const b = bridge();
    await nextState(b, 'connected');
    expect(handshakes.at(-1)).toEqual([WS_PROTOCOL, WS_TOKEN_PREFIX + TOKEN]);
  });

  it('answers each call with the result frame of the same id, even out of order', async () => {
    const held: CallFrame[] = [];
    onCall = (frame, socket) => {
      held.push(frame);
      if (held.length === 2) {
        // Reply to the second call first.
        for (const f of [...held].reverse()) answer(socket, f.id, { ok: true, value: { echo: f.input } });
      }
    };
    const b = bridge();
    const [first, second] = await Promise.all([
      b.invoke('incidents.list', { offset: 0 }),
      b.invoke('incidents.list', { offset: 200 }),
    ]);
    expect(first).toEqual({ ok: true, value: { echo: { offset: 0 } } });
    expect(second).toEqual({ ok: true, value: { echo: { offset: 200 } } });
    expect(held.map((f) => f.method)).toEqual(['incidents.list', 'incidents.list']);
  });

  it('passes error results through unchanged', async () => {
    const error = { code: 'not_found', message: 'no incident x', field: 'id' };
    onCall = (frame, socket) => answer(socket, frame.id, { ok: false, error });
    const b = bridge();
    expect(await b.invoke('incidents.get', { id: 'x' })).toEqual({ ok: false, error });
  });

  it('delivers validated push events to listeners and ignores malformed ones', async () => {
    onCall = (frame, socket) => {
      socket.send(JSON.stringify({ kind: 'event', name: 'incidents.changed', payload: { ids: 42 } }));
      socket.send('not json');
      socket.send(JSON.stringify({ kind: 'event', name: 'incidents.changed', payload: { ids: ['a', 'b'] } }));
      answer(socket, frame.id, { ok: true, value: null });
    };
    const b = bridge();
    const seen: string[][] = [];
    const off = b.on('incidents.changed', (p) => seen.push(p.ids));
    await b.invoke('system.info', {});
    expect(seen).toEqual([['a', 'b']]);
    off();
  });

  it('resolves a call in flight as connection_lost (outcome unknown) when the socket drops', async () => {
    onCall = (_frame, socket) => socket.terminate();
    const b = bridge();
    const result = await b.invoke('incidents.create', { title: 'x' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('connection_lost');
  });

  it('reconnects after the server drops it and serves calls again', async () => {
    let drops = 0;
    onCall = (frame, socket) => {
      if (frame.method === 'store.verifyChain' && drops === 0) {
        drops++;
        socket.terminate();
        return;
      }
      answer(socket, frame.id, { ok: true, value: frame.method });
    };
    const b = bridge();
    await nextState(b, 'connected');
    const states: ConnectionState[] = [];
    b.onState((s) => states.push(s));
    const lost = await b.invoke('store.verifyChain', {});
    expect(!lost.ok && lost.error.code).toBe('connection_lost');
    await nextState(b, 'connected');
    expect(await b.invoke('store.verifyChain', {})).toEqual({ ok: true, value: 'store.verifyChain' });
    expect(states).toEqual(['disconnected', 'connecting', 'connected']);
  });

  it('fails calls made while disconnected instead of queueing them forever', async () => {
    onCall = (frame, socket) => answer(socket, frame.id, { ok: true, value: 1 });
    const b = bridge('wrong-token-000');
    await nextState(b, 'disconnected');
    const result = await b.invoke('system.info', {});
    expect(!result.ok && result.error.code).toBe('disconnected');
  });

  it('keeps retrying a refused handshake with backoff until closed', async () => {
    const before = handshakes.length;
    const b = bridge('wrong-token-111');
    for (let i = 0; i < 3; i++) {
      await nextState(b, 'connecting');
      await nextState(b, 'disconnected');
    }
    expect(handshakes.length - before).toBeGreaterThanOrEqual(3);
    b.close();
    expect(b.state()).toBe('disconnected');
  });

  it('doubles the reconnect delay up to the cap', () => {
    const backoff = { initialMs: 250, maxMs: 5_000 };
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => reconnectDelay(n, backoff))).toEqual([
      250, 500, 1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });
});
