/**
 * A save the console never confirmed must not look saved. The host is frozen (SIGSTOP)
 * before the guard presses Ctrl+Enter, so the save is caught in flight, then killed
 * (SIGKILL): the form must stay open with the guard's text, name the lost connection
 * and say it is unknown whether the report was saved, and nowhere say "Sparad".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startWebHost, type RunningWebHost } from './harness.ts';
import { mustCall } from './page-api.ts';

const HOST_ENV = { GUARDLINE_FACILITY: 'Säbyanstalten', GUARDLINE_UNIT: 'Avdelning B' };
const STAFF = { staffNumber: 'G100', name: 'Kim Lind', pin: '4711' };
const TITLE = 'Intagen vägrar återgå till cellen';
const WAIT = { timeout: 15_000 };

let dir: string;
let dataDir: string;
let host: RunningWebHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-e2e-failed-save-'));
  dataDir = join(dir, 'data');
  [host, browser] = await Promise.all([startWebHost({ dataDir, env: HOST_ENV }), launchChromium()]);
  page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await page.goto(host.url);
  await page.getByText('Ansluten').waitFor(WAIT);
  await mustCall(page, 'auth.bootstrapAdmin', STAFF);
  await page.locator('.list-hint', { hasText: /^0 händelser / }).waitFor(WAIT);
});

afterAll(async () => {
  await browser?.close();
  await host?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function tabTo(selector: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('a save cut off by the host dying', () => {
  it('never shows "saved": the form keeps the draft and says the outcome is unknown', async () => {
    await page.keyboard.press('Alt+n');
    await page.getByRole('heading', { name: 'Ny händelse' }).waitFor(WAIT);
    await page.keyboard.press('Space'); // the first category
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type(TITLE);
    await tabTo('#field-reportedBy');
    await page.keyboard.type(STAFF.staffNumber);

    process.kill(host.pid, 'SIGSTOP'); // the socket stays open; nothing answers
    await page.keyboard.press('Control+Enter');
    await page.getByRole('button', { name: /Sparar…/ }).waitFor(WAIT); // the save is in flight
    await host.kill();

    const toasts = page.getByRole('status', { name: /Meddelanden|Notifications/ });
    await page
      .getByText('Anslutningen till konsolen bröts innan den svarade. Det är okänt om det sparades', { exact: false })
      .waitFor(WAIT);
    expect(await page.getByText(/Sparad/).count()).toBe(0);
    expect(await toasts.innerText()).not.toMatch(/Sparad/);
    // Still the form, with what the guard wrote, ready to try again.
    await page.getByRole('heading', { name: 'Ny händelse' }).waitFor(WAIT);
    expect(await page.getByRole('textbox', { name: /Rubrik/ }).inputValue()).toBe(TITLE);
    await page.getByText('Frånkopplad').waitFor(WAIT);

    // The host was frozen before it read the call: the file indeed holds no such report.
    const db = new Database(join(dataDir, 'guardline.sqlite'), { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM events WHERE type = 'incident.created'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
