/** Console API calls to a running browser host from Node, over its WebSocket with its token and Origin. */
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/transport.ts';

export async function hostCall<T = unknown>(url: string, method: string, input: unknown = {}): Promise<T> {
  const parsed = new URL(url);
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token');
  if (!token) throw new Error(`no token in ${url}`);
  const ws = new WebSocket(`ws://${parsed.host}/api`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token], {
    origin: `${parsed.protocol}//${parsed.host}`,
  });
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = new Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }>((resolve) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { kind: string; id: number; result: never };
        if (frame.kind === 'result' && frame.id === 1) resolve(frame.result);
      });
    });
    ws.send(JSON.stringify({ kind: 'call', id: 1, method, input }));
    const result = await reply;
    if (!result.ok) throw new Error(`${method}: ${result.error?.code}: ${result.error?.message}`);
    return result.value as T;
  } finally {
    ws.terminate();
  }
}
