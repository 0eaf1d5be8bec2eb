/**
 * The browser host's defences as a real browser meets them: the page opened from the
 * printed URL reaches the API, the same page without the token does not, a page from
 * another local origin cannot open the API socket even knowing the token, and a page
 * reached through a rebound DNS name gets nothing. A tiny stand-in page is served
 * instead of the React app, so these checks do not depend on the renderer's build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src-shared/transport.ts';
import { launchChromium, startWebHost, type RunningWebHost } from './harness.ts';

let dir: string;
let host: RunningWebHost;
let browser: Browser;
let otherSite: Server;
let otherSiteUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-e2e-security-'));
  const webRoot = join(dir, 'web');
  mkdirSync(webRoot);
  // The inline script must not run: the host's CSP allows only the host's own script files.
  writeFileSync(
    join(webRoot, 'index.html'),
    '<!doctype html><title>Guardline stand-in</title><script>window.inlineRan = true</script><h1>stand-in</h1>',
  );
  [host, browser] = await Promise.all([
    startWebHost({
      dataDir: join(dir, 'data'),
      env: { GUARDLINE_WEB_ROOT: webRoot, GUARDLINE_FACILITY: 'Säbyanstalten' },
    }),
    launchChromium(),
  ]);
  otherSite = createServer((_req, res) => res.end('<!doctype html><title>another local site</title>'));
  await new Promise<void>((resolve) => otherSite.listen(0, '127.0.0.1', resolve));
  otherSiteUrl = `http://127.0.0.1:${(otherSite.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await new Promise((resolve) => otherSite?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

type SocketOutcome = { opened: true; protocol: string; reply: unknown } | { opened: false; closeCode: number };

/** In the page: open the API socket and, when it opens, ask for system.info. */
function tryApi(page: Page, apiUrl: string, protocols: string[]): Promise<SocketOutcome> {
  return page.evaluate(
    ({ apiUrl, protocols }) =>
      new Promise<SocketOutcome>((resolve) => {
        const ws = new WebSocket(apiUrl, protocols);
        let opened = false;
        ws.onopen = () => {
          opened = true;
          ws.send(JSON.stringify({ kind: 'call', id: 1, method: 'system.info', input: {} }));
        };
        ws.onmessage = (event) => {
          resolve({ opened: true, protocol: ws.protocol, reply: JSON.parse(String(event.data)) });
          ws.close();
        };
        ws.onclose = (event) => {
          if (!opened) resolve({ opened: false, closeCode: event.code });
        };
      }),
    { apiUrl, protocols },
  );
}

const origin = () => host.url.replace(/\/#.*$/, '');
const apiUrl = () => `${origin().replace(/^http/, 'ws')}/api`;
const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, '');

describe('browser host security, in Chromium', () => {
  it('lets the page opened from the printed URL call the API with the token from its fragment', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    const token = await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('token'));
    expect(token).toBe(tokenOf(host.url));
    const outcome = await tryApi(page, apiUrl(), [WS_PROTOCOL, WS_TOKEN_PREFIX + token]);
    expect(outcome).toMatchObject({
      opened: true,
      protocol: WS_PROTOCOL,
      reply: { kind: 'result', id: 1, result: { ok: true, value: { host: 'web', facility: 'Säbyanstalten' } } },
    });
    await page.close();
  });

  it('enforces the CSP in the browser: an inline script does not run', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    expect(await page.locator('h1').textContent()).toBe('stand-in');
    expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    await page.close();
  });

  it('refuses the API socket to the same page opened without the token', async () => {
    const page = await browser.newPage();
    await page.goto(origin() + '/');
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await tryApi(page, apiUrl(), [WS_PROTOCOL])).toEqual({ opened: false, closeCode: 1006 });
    expect(await tryApi(page, apiUrl(), [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${'0'.repeat(64)}`])).toEqual({
      opened: false,
      closeCode: 1006,
    });
    await page.close();
  });

  it('refuses the API socket to a page from another local origin, even one that knows the token', async () => {
    const page = await browser.newPage();
    await page.goto(otherSiteUrl);
    const outcome = await tryApi(page, apiUrl(), [WS_PROTOCOL, WS_TOKEN_PREFIX + tokenOf(host.url)]);
    expect(outcome).toEqual({ opened: false, closeCode: 1006 });
    await page.close();
  });

  it('serves nothing to a page reached through a rebound DNS name', async () => {
    const port = new URL(host.url).port;
    const rebound = await launchChromium(['--host-resolver-rules=MAP rebound.example 127.0.0.1']);
    try {
      const page = await rebound.newPage();
      const response = await page.goto(`http://rebound.example:${port}/#token=${tokenOf(host.url)}`);
      expect(response?.status()).toBe(421);
      expect(await page.content()).not.toContain('stand-in');
      const outcome = await tryApi(page, `ws://rebound.example:${port}/api`, [
        WS_PROTOCOL,
        WS_TOKEN_PREFIX + tokenOf(host.url),
      ]);
      expect(outcome).toEqual({ opened: false, closeCode: 1006 });
    } finally {
      await rebound.close();
    }
  });
});

describe('browser host with the real console page', () => {
  let consoleHost: RunningWebHost;

  beforeAll(async () => {
    consoleHost = await startWebHost({ dataDir: join(dir, 'console'), env: { GUARDLINE_FACILITY: 'Kumlaanstalten' } });
  });

  afterAll(async () => {
    await consoleHost?.stop();
  });

  it('connects with the token from the printed URL and shows the facility name', async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('websocket', (ws) => ws.on('socketerror', (error) => refused.push(error)));
    await page.goto(consoleHost.url);
    await page.getByText('Kumlaanstalten').first().waitFor();
    expect(refused).toEqual([]);
    await page.close();
  });
});
