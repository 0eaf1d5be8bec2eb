/** Console API calls to a running browser host from Node, over its WebSocket with its token and Origin. */
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/transport.ts';

type Result<T> = { ok: boolean; value?: T; error?: { code: string; message: string } };

function openSocket(url: string): WebSocket {
  const parsed = new URL(url);
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token');
  if (!token) throw new Error(`no token in ${url}`);
  return new WebSocket(`ws://${parsed.host}/api`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token], {
    origin: `${parsed.protocol}//${parsed.host}`,
  });
}

/** One call on a socket of its own. */
export async function hostCall<T = unknown>(url: string, method: string, input: unknown = {}): Promise<T> {
  const client = await openHostClient(url);
  try {
    return await client.call<T>(method, input);
  } finally {
    client.close();
  }
}

export interface HostClient {
  /** The method's value; throws with the error code and message when the core refuses. */
  call<T = unknown>(method: string, input?: unknown): Promise<T>;
  close(): void;
}

/**
 * One persistent API socket to a browser host, as the renderer holds one: calls may overlap
 * and are matched to their results by id. Pushes are ignored.
 */
export async function openHostClient(url: string): Promise<HostClient> {
  const ws = openSocket(url);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, { resolve(result: Result<unknown>): void; reject(error: Error): void }>();
  let next = 1;
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { kind: string; id: number; result: Result<unknown> };
    if (frame.kind !== 'result') return;
    waiting.get(frame.id)?.resolve(frame.result);
    waiting.delete(frame.id);
  });
  ws.on('close', () => {
    for (const w of waiting.values()) w.reject(new Error(`the host at ${url} closed the API socket`));
    waiting.clear();
  });
  ws.on('error', () => {}); // 'close' follows and fails what waits
  return {
    async call<T>(method: string, input: unknown = {}): Promise<T> {
      const id = next++;
      const result = await new Promise<Result<unknown>>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        ws.send(JSON.stringify({ kind: 'call', id, method, input }));
      });
      if (!result.ok) throw new Error(`${method}: ${result.error?.code}: ${result.error?.message}`);
      return result.value as T;
    },
    close() {
      ws.terminate();
    },
  };
}
