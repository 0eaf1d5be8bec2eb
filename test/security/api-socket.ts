/** A Node client of the browser host's API socket, as the page speaks it: calls and pushes. */
import WebSocket from 'ws';
import type { z } from 'zod';
import { ServerFrame, WS_PROTOCOL, WS_TOKEN_PREFIX, type CallResult } from '../../src-shared/transport.ts';

type ServerFrame = z.infer<typeof ServerFrame>;

export interface ApiSocket {
  call(method: string, input: unknown): Promise<CallResult>;
  /** Resolves with the first push named `name` whose payload satisfies `predicate`. */
  waitForPush(name: string, predicate: (payload: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

/** Opens the socket from the host's own origin with the run's token, as the page does. */
export function openApiSocket(hostUrl: string): Promise<ApiSocket> {
  const url = new URL(hostUrl);
  const token = url.hash.replace(/^#token=/, '');
  const ws = new WebSocket(`ws://${url.host}/api`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token], { origin: url.origin });
  let nextId = 1;
  const listeners = new Set<(frame: ServerFrame) => void>();
  ws.on('message', (data) => {
    const frame = ServerFrame.parse(JSON.parse(data.toString()));
    for (const listener of listeners) listener(frame);
  });
  const socket: ApiSocket = {
    call(method, input) {
      const id = nextId++;
      return new Promise((resolve) => {
        const listener = (frame: ServerFrame) => {
          if (frame.kind !== 'result' || frame.id !== id) return;
          listeners.delete(listener);
          resolve(frame.result as CallResult);
        };
        listeners.add(listener);
        ws.send(JSON.stringify({ kind: 'call', id, method, input }));
      });
    },
    waitForPush(name, predicate, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no ${name} push within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (frame: ServerFrame) => {
          if (frame.kind !== 'event' || frame.name !== name || !predicate(frame.payload)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(frame.payload);
        };
        listeners.add(listener);
      });
    },
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('error', reject);
  });
}
