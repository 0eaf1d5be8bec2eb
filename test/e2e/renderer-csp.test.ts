/**
 * The renderer under the shell's CSP headers (issue 14), in a real Chromium. Packaged: the
 * built renderer with the strict policy every app:// response carries mounts with no
 * violation. `electron-vite dev`: the renderer on a real Vite dev server with the React
 * plugin, every response carrying the policy the Electron session adds in dev, mounts with
 * the refresh preamble and no violation; under the packaged policy the same page is blocked
 * (its inline preamble), which proves the check can fail. The Electron binary cannot run
 * here; what the shell contributes to this is exactly the header (csp.ts).
 *
 * zod probes once whether eval works (new Function in a try/catch) and falls back when the
 * CSP says no; that one `script-src eval` report is expected under both policies.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Browser } from 'playwright-core';
import sirv from 'sirv';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../src-main/electron/csp.ts';
import { launchChromium } from './harness.ts';

const rendererRoot = join(import.meta.dirname, '../../src-renderer');
let server: ViteDevServer;
let browser: Browser;
let url: string;
let policy = '';

beforeAll(async () => {
  server = await createServer({
    configFile: false,
    logLevel: 'silent',
    root: rendererRoot,
    plugins: [
      react(),
      {
        name: 'shell-csp-header',
        // What the Electron session's onHeadersReceived adds to every dev-server response.
        configureServer(dev) {
          dev.middlewares.use((_req, res, next) => {
            res.setHeader('Content-Security-Policy', policy);
            next();
          });
        },
      },
    ],
    server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function load(withPolicy: string) {
  policy = withPolicy;
  const page = await browser.newPage();
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  await page.goto(url);
  return page;
}

const violations = (page: Awaited<ReturnType<typeof load>>) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

describe('built renderer under the packaged CSP', () => {
  it('mounts with the strict policy and no violation', async () => {
    // The renderer build `npm test` makes first (pretest), served with the header every
    // app:// response carries; http here because only Electron can register app://.
    const files = sirv(join(import.meta.dirname, '../../dist-renderer'), { dev: false });
    const built: Server = createHttpServer((req, res) => {
      res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      files(req, res, () => {
        res.statusCode = 404;
        res.end();
      });
    });
    await new Promise<void>((resolve) => built.listen(0, '127.0.0.1', resolve));
    try {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (e) =>
          seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
        );
      });
      await page.goto(`http://127.0.0.1:${(built.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => document.querySelector('#root')?.childElementCount, null, { timeout: 20_000 });
      // Bundled, zod's probe has no file of its own to match.
      const zodEvalProbe = (v: string) => v.startsWith('script-src eval ');
      expect((await violations(page)).filter((v) => !zodEvalProbe(v))).toEqual([]);
      await page.close();
    } finally {
      await new Promise((resolve) => built.close(resolve));
    }
  });
});

describe('renderer on the Vite dev server under the shell’s CSP', () => {
  it('mounts React with the refresh preamble and no violation under the dev policy', async () => {
    const page = await load(contentSecurityPolicy({ rendererDir: '/unused', devServerUrl: url }));
    await page.waitForFunction(() => document.querySelector('#root')?.childElementCount, null, { timeout: 20_000 });
    expect(await page.evaluate(() => '$RefreshReg$' in window)).toBe(true);
    const zodEvalProbe = (v: string) => /^script-src eval .*\/zod\.js:\d+$/.test(v);
    expect((await violations(page)).filter((v) => !zodEvalProbe(v))).toEqual([]);
    await page.close();
  });

  it('is blocked under the packaged policy (why dev needs its own)', async () => {
    const page = await load(CONTENT_SECURITY_POLICY);
    await expect.poll(() => violations(page), { timeout: 20_000 }).toContainEqual(expect.stringMatching(/^script-src/));
    expect(await page.evaluate(() => '$RefreshReg$' in window)).toBe(false);
    await page.close();
  });
});
