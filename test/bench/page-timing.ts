/** Page-side helpers for browser benches: one persistent API socket, and a DOM stamp of when a row appeared. */
import type { Page } from 'playwright-core';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/transport.ts';

/** One persistent API socket in the page (a fresh socket per call would time the handshake too). */
export async function openPageSocket(page: Page): Promise<void> {
  await page.evaluate(
    async ({ protocol, prefix }) => {
      const token = sessionStorage.getItem('guardline.token');
      const ws = new WebSocket(`ws://${location.host}/api`, [protocol, prefix + token]);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      const waiting = new Map<number, (result: unknown) => void>();
      ws.onmessage = (event) => {
        const frame = JSON.parse(String(event.data));
        if (frame.kind === 'result') waiting.get(frame.id)?.(frame.result);
      };
      let next = 1;
      (window as unknown as { benchCall: unknown }).benchCall = (method: string, input: unknown) =>
        new Promise((resolve) => {
          const id = next++;
          waiting.set(id, resolve);
          ws.send(JSON.stringify({ kind: 'call', id, method, input }));
        });
    },
    { protocol: WS_PROTOCOL, prefix: WS_TOKEN_PREFIX },
  );
}

export async function benchCall<T>(page: Page, method: string, input: unknown): Promise<T> {
  const result = (await page.evaluate(
    ({ method, input }) =>
      (window as unknown as { benchCall: (m: string, i: unknown) => Promise<unknown> }).benchCall(method, input),
    { method, input },
  )) as { ok: boolean; value?: T; error?: { message: string } };
  if (!result.ok) throw new Error(`${method}: ${result.error?.message}`);
  return result.value as T;
}

/** In the page: resolve with the epoch time at which an element matching `selector` with `text` entered the DOM. */
export function stampWhenRendered(page: Page, selector: string, text: string): Promise<number> {
  return page.evaluate(
    ({ selector, text }) =>
      new Promise<number>((resolve) => {
        const found = () =>
          [...document.querySelectorAll(selector)].some((el) => (el.textContent ?? '').includes(text));
        const stamp = () => performance.timeOrigin + performance.now();
        if (found()) return resolve(stamp());
        const observer = new MutationObserver(() => {
          if (!found()) return;
          observer.disconnect();
          resolve(stamp());
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      }),
    { selector, text },
  );
}
