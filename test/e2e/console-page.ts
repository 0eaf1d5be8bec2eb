/**
 * One browser-host console on a fresh data dir with a Chromium page (1280×720) open on it
 * and connected; what the page's CSP refuses is collected (an inline style or script would
 * show up there).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startWebHost, type RunningWebHost } from './harness.ts';

export interface ConsolePage {
  dir: string;
  /** The host's data directory (`<dir>/data`), to restart it on or read its file. */
  dataDir: string;
  /** The running host; a test that restarts it assigns the new one here, so `close` stops that. */
  host: RunningWebHost;
  browser: Browser;
  page: Page;
  cspViolations: string[];
  /** Close the browser, stop the host, remove the files. */
  close(): Promise<void>;
}

export async function openConsolePage(
  tempPrefix: string,
  { env, wait }: { env?: Record<string, string>; wait: { timeout: number } },
): Promise<ConsolePage> {
  const dir = mkdtempSync(join(tmpdir(), tempPrefix));
  const dataDir = join(dir, 'data');
  const [host, browser] = await Promise.all([startWebHost(env ? { dataDir, env } : { dataDir }), launchChromium()]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(host.url);
  await page.getByText('Ansluten').waitFor(wait);
  const self: ConsolePage = {
    dir,
    dataDir,
    host,
    browser,
    page,
    cspViolations,
    async close() {
      await browser.close();
      await self.host.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}
