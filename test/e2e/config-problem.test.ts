/**
 * A facility config edit that does not validate, made while the console runs: the last good
 * config stays in force, and an administrator sees on every page which file, which JSON path
 * and why, in Swedish and English, until a good edit replaces it. axe on the notice.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonc } from '../../src-shared/jsonc.ts';
import { launchChromium, startWebHost, type RunningWebHost } from './harness.ts';
import { ADMIN, setLanguage, VIEWPORT } from './layout.ts';
import { mustCall } from './page-api.ts';

const WAIT = { timeout: 20_000 };
let dir: string;
let configFile: string;
let good: Record<string, unknown>;
let host: RunningWebHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-e2e-config-'));
  const parsed = parseJsonc(
    readFileSync(join(import.meta.dirname, '../../assets/guardline.config.example.jsonc'), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the example config does not parse');
  good = parsed.value as Record<string, unknown>;
  configFile = join(dir, 'facility.json');
  writeFileSync(configFile, JSON.stringify(good, null, 2));
  [host, browser] = await Promise.all([
    startWebHost({ dataDir: join(dir, 'data'), env: { GUARDLINE_CONFIG: configFile } }),
    launchChromium(),
  ]);
  page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await page.goto(host.url);
  await page.locator('#gate-heading').waitFor(WAIT);
  await mustCall(page, 'auth.bootstrapAdmin', ADMIN);
  await page.getByRole('navigation').waitFor(WAIT);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const notice = () => page.getByTestId('config-problem');

describe('a refused facility config edit', () => {
  it('is not shown while the config is good', async () => {
    expect((await mustCall<{ ok: boolean }>(page, 'config.status')).ok).toBe(true);
    expect(await notice().count()).toBe(0);
  });

  it('is shown to the admin on every page with file, JSON path and reason', async () => {
    const broken = { ...good };
    delete broken.reserveProcedure;
    writeFileSync(configFile, JSON.stringify(broken, null, 2));
    await notice().waitFor(WAIT);
    const text = await notice().innerText();
    expect(text).toContain('Konfigurationsfilen avvisades');
    expect(text).toContain(configFile);
    expect(text).toContain('reserveProcedure');
    expect(text).toContain('Den senast fungerande konfigurationen gäller');
    expect(await notice().getAttribute('role')).toBe('alert');
    await page.getByRole('navigation').getByRole('button', { name: 'Granskning' }).click();
    expect(await notice().innerText()).toContain('reserveProcedure');
    const results = await new AxeBuilder({ page }).include('[data-testid=config-problem]').analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('reads the same in English', async () => {
    await setLanguage(page, 'en');
    expect(await notice().innerText()).toContain('The configuration file was refused');
    expect(await notice().innerText()).toContain('The last good configuration stays in force');
    await setLanguage(page, 'sv');
  });

  it('goes away once a good edit is loaded', async () => {
    writeFileSync(configFile, JSON.stringify(good, null, 2));
    await notice().waitFor({ state: 'detached', ...WAIT });
    expect((await mustCall<{ ok: boolean }>(page, 'config.status')).ok).toBe(true);
  });
});
