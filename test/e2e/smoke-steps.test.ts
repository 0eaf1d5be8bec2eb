/**
 * `npm run smoke:electron` cannot run here (no Electron binary), but its steps can: the same
 * `smokeConsole` runs against the real browser host in Chromium, with the real console API
 * over the page's socket. The Electron-only steps (the window hiding on close and coming back
 * on an alarm) are skipped; every call, input and check on the console is exercised, so the
 * smoke script does not first meet its own mistakes on the machine where Electron runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { smokeConsole } from '../../scripts/smoke-console.ts';
import { launchChromium, startWebHost } from './harness.ts';
import { mustCall } from './page-api.ts';

const dir = mkdtempSync(join(tmpdir(), 'guardline-smoke-steps-'));
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('smoke:electron steps on the browser host', () => {
  it('sign in, raise and log a test alarm, acknowledge, stop, intact data file', async () => {
    const dataDir = join(dir, 'data');
    const host = await startWebHost({ dataDir });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(host.url);
    const lines: string[] = [];
    await smokeConsole(
      {
        host: 'web',
        dataDir,
        call: (method, input) => mustCall(page, method, input),
        pageReady: async () => {
          await page.waitForFunction(() => sessionStorage.getItem('guardline.token'), null, { timeout: 20_000 });
          return page.url();
        },
        output: () => host.output().split('\n'),
        quit: async () => {
          await host.stop(); // SIGTERM; resolves once the process has exited
          return 0;
        },
      },
      { timeoutMs: 20_000, say: (line) => lines.push(line) },
    );
    expect(lines.map((l) => l.replace(/ … ok \(\d+ ms\)$/, ''))).toEqual([
      'the console page is up',
      'sign in as the first admin',
      'raise a test alarm (high-severity incident on this unit)',
      'the event log holds the incident and its escalation',
      'the app logged no error',
      'acknowledge the alarm',
      'quit',
      'the data file is intact after quitting',
    ]);
  });
});
