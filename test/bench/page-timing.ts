/**
 * Page-side helpers for browser benches: one persistent API socket (which also records when
 * each core push arrived, for per-stage timings), and a DOM stamp of when a row appeared.
 */
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
      // The newest pushes with their arrival time in this page (bounded: a bench loop runs long).
      const pushes: { name: string; at: number; text: string }[] = [];
      (window as unknown as { benchPushes: unknown }).benchPushes = pushes;
      ws.onmessage = (event) => {
        const at = performance.timeOrigin + performance.now();
        const frame = JSON.parse(String(event.data));
        if (frame.kind === 'result') waiting.get(frame.id)?.(frame.result);
        else if (frame.kind === 'event') {
          pushes.push({ name: frame.name, at, text: JSON.stringify(frame.payload) });
          if (pushes.length > 200) pushes.splice(0, pushes.length - 200);
        }
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

/**
 * In the page: the epoch time at which the first `name` push whose payload mentions `text`
 * arrived on the bench socket (null if none came within 2 s). Pushes are recorded as they
 * arrive, so this can be asked after the fact; it waits a little because the renderer's
 * own socket may have been served first.
 */
export function pushArrivedAt(page: Page, name: string, text: string): Promise<number | null> {
  return page.evaluate(
    ({ name, text }) =>
      new Promise<number | null>((resolve) => {
        const pushes = (window as unknown as { benchPushes: { name: string; at: number; text: string }[] }).benchPushes;
        const asked = performance.now();
        const look = () => {
          const found = pushes.find((p) => p.name === name && p.text.includes(text));
          if (found) return resolve(found.at);
          if (performance.now() - asked > 2000) return resolve(null);
          setTimeout(look, 5);
        };
        look();
      }),
    { name, text },
  );
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

/**
 * Like `stampWhenRendered`, and also when the frame holding the element was produced: the
 * first animation frame after the insertion (what a guard sees is a painted frame, not a
 * DOM node).
 */
export function stampWhenPainted(
  page: Page,
  selector: string,
  text: string,
): Promise<{ inserted: number; painted: number }> {
  return page.evaluate(
    ({ selector, text }) =>
      new Promise<{ inserted: number; painted: number }>((resolve) => {
        const found = () =>
          [...document.querySelectorAll(selector)].some((el) => (el.textContent ?? '').includes(text));
        const stamp = () => performance.timeOrigin + performance.now();
        const done = () => {
          const inserted = stamp();
          requestAnimationFrame(() => resolve({ inserted, painted: stamp() }));
        };
        if (found()) return done();
        const observer = new MutationObserver(() => {
          if (!found()) return;
          observer.disconnect();
          done();
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      }),
    { selector, text },
  );
}
