/**
 * Console API calls made from inside a page, over the page's own socket with its token,
 * the way the renderer makes them. The console has one session, so what such a call
 * changes (a sign-in, a lock) the page learns by the core's `auth.changed` push.
 */
import type { Page } from 'playwright-core';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/transport.ts';

export type PageResult<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export async function callFromPage<T = unknown>(
  page: Page,
  method: string,
  input: unknown = {},
): Promise<PageResult<T>> {
  return page.evaluate(
    async ({ method, input, protocol, prefix }) => {
      const token = sessionStorage.getItem('guardline.token');
      const ws = new WebSocket(`ws://${location.host}/api`, [protocol, prefix + token]);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      const reply = new Promise<PageResult<T>>((resolve) => {
        ws.onmessage = (event) => {
          const frame = JSON.parse(String(event.data));
          if (frame.kind === 'result' && frame.id === 1) resolve(frame.result);
        };
      });
      ws.send(JSON.stringify({ kind: 'call', id: 1, method, input }));
      const result = await reply;
      ws.close();
      return result;
    },
    { method, input, protocol: WS_PROTOCOL, prefix: WS_TOKEN_PREFIX },
  );
}

/** Like `callFromPage`, but the value or a thrown error naming the method. */
export async function mustCall<T = unknown>(page: Page, method: string, input: unknown = {}): Promise<T> {
  const result = await callFromPage<T>(page, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}
