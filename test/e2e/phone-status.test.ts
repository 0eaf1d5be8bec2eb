/**
 * Phone status in the browser host on a fresh data dir: no config, so the console runs
 * the demo facility against its loopback SIP responder and the real monitor probes it.
 * Break the emergency line from the demo controls and the fallback banner with the
 * reserve procedure appears; restore it and the banner goes. A guard reports a phone
 * problem with three keystrokes and finds the report in the line's detail; a supervisor
 * confirms it. axe finds nothing serious on the board.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LINES } from '../../src-main/core/telephony/demo-facility.ts';
import { openConsolePage, type ConsolePage } from './console-page.ts';
import { callFromPage as callPage } from './page-api.ts';

/** Demo probes run every second with three failures to DOWN and two successes to UP. */
const WAIT = { timeout: 15_000 };
const STAFF = { staffNumber: 'S100', name: 'Sam Berg', pin: '2468' };
const RESERVE = 'Använd radio kanal 3 till centralvakten';

let lab: ConsolePage;
let page: Page;

beforeAll(async () => {
  lab = await openConsolePage('guardline-e2e-phones-', { wait: WAIT });
  page = lab.page;
  // No sign-in screen is driven here: the first admin is created through the API, as the setup screen would.
  const created = await callFromPage('auth.bootstrapAdmin', STAFF);
  if (!created.ok) throw new Error(`could not create the first admin: ${JSON.stringify(created)}`);
  await page.getByRole('navigation').waitFor(WAIT);
});

afterAll(async () => {
  await lab?.close();
});

/** One API call from inside the page, over its own socket, as a sign-in screen would make it. */
const callFromPage = (method: string, input: unknown) => callPage(page, method, input);

const cell = (lineId: string) => page.locator(`#line-cell-${lineId}`);
const banner = () => page.getByTestId('fallback-banner');
const cellStates = () =>
  page.locator('[role=gridcell] .line-state').evaluateAll((nodes) => nodes.map((n) => n.textContent?.trim() ?? ''));
const favicon = () => page.locator('link[rel=icon]').getAttribute('data-level');

async function focusedLineCell(): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-line-id') ?? null);
}

async function seriousViolations(): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('phone status in the browser host (demo facility)', () => {
  it('shows every demo line working on the board, in the strip, title and favicon', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Telefoner' }).click();
    await page.getByRole('grid', { name: 'Linjer per avdelning' }).waitFor(WAIT);
    await expect.poll(cellStates, WAIT).toEqual(DEMO_LINES.map(() => '✓Fungerar'));
    expect(await page.getByRole('rowheader').allInnerTexts()).toEqual(['Centralvakten', 'Avdelning A', 'Avdelning B']);
    expect(await page.getByTestId('phone-summary').innerText()).toContain(`Alla ${DEMO_LINES.length} linjer fungerar`);
    expect(await cell('emergency').innerText()).toMatch(/Larmlinje\s+Nödlinje · ★ Kritisk\s+kontroll .* ms\s+sedan /);
    expect(await page.title()).toBe('✓ Guardline');
    expect(await favicon()).toBe('ok');
    expect(await banner().count()).toBe(0);
  });

  it('passes axe with no serious or critical violations on the board', async () => {
    expect(await seriousViolations()).toEqual([]);
  });

  it('raises the fallback banner with the reserve procedure while the emergency line is down', async () => {
    await page.locator('select[name=demo-fault-emergency]').selectOption('down');
    await banner().waitFor(WAIT);
    const text = await banner().innerText();
    expect(text).toContain('Reservrutin gäller');
    expect(text).toContain('Ur funktion: Larmlinje');
    expect(text).toContain(RESERVE);
    expect(await cell('emergency').innerText()).toContain('Ur funktion');
    expect(await page.getByTestId('phone-summary').innerText()).toContain('Ur funktion: Larmlinje');
    expect(await page.title()).toBe('✕ Telefoner ur funktion – Guardline');
    expect(await favicon()).toBe('down');
    // Only the broken line changed.
    expect(await cell('trunk').innerText()).toContain('Fungerar');
  });

  it('keeps the banner on the lock screen, where phone status is public', async () => {
    expect((await callFromPage('auth.lock', {})).ok).toBe(true);
    await page.getByRole('heading', { name: 'Konsolen är låst' }).waitFor(WAIT);
    expect(await banner().innerText()).toContain(RESERVE);
    expect((await callFromPage('auth.signIn', { staffNumber: STAFF.staffNumber, pin: STAFF.pin })).ok).toBe(true);
    // Signing in starts on the incident list; the strip leads back to the board.
    await page.getByRole('region', { name: 'Telefonstatus' }).getByRole('button', { name: 'Visa linjer' }).click();
    await page.getByRole('grid').waitFor(WAIT);
  });

  it('takes the banner away once the emergency line answers again, and lists the measured outage', async () => {
    await page.locator('select[name=demo-fault-emergency]').selectOption('none');
    await banner().waitFor({ state: 'detached', ...WAIT });
    await expect.poll(() => cell('emergency').innerText(), WAIT).toContain('Fungerar');
    expect(await page.title()).toBe('✓ Guardline');

    await page.getByRole('navigation').getByRole('button', { name: 'Avbrott' }).click();
    const row = page.locator('.outage-table tbody tr', { hasText: 'Larmlinje' });
    await expect.poll(() => row.innerText(), WAIT).toMatch(/Över\s+Mätt\s+Larmlinje/);
  });

  it('takes a phone report in three keystrokes from anywhere, saved only once the core answered', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Telefoner' }).focus();
    await page.keyboard.press('Alt+T');
    const dialog = page.getByRole('dialog', { name: 'Rapportera telefonproblem' });
    await dialog.waitFor(WAIT);
    // The console's unit (Avdelning A by default) and its critical line come first.
    expect(await dialog.locator('select[name=line]').inputValue()).toBe('desk-a');
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await page.getByText('Rapporten sparad: Expedition Avdelning A').waitFor(WAIT);
    expect(await dialog.count()).toBe(0);
  });

  it('shows the report in the line detail, reached with the keyboard', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Telefoner' }).press('Enter');
    await page.getByRole('grid').waitFor(WAIT);
    for (let i = 0; i < 40 && (await focusedLineCell()) === null; i++) await page.keyboard.press('Tab');
    expect(await focusedLineCell()).toBe('trunk');
    await page.keyboard.press('ArrowDown'); // Avdelning A: Expedition Avdelning A
    expect(await focusedLineCell()).toBe('desk-a');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Expedition Avdelning A' }).waitFor(WAIT);
    const reports = page.getByRole('list', { name: 'Vaktrapporter' });
    await reports.waitFor(WAIT);
    expect(await reports.innerText()).toContain('Ljud bara åt ena hållet');
    expect(await reports.innerText()).toContain(STAFF.staffNumber);
    expect(await page.locator('.sparkline figcaption').innerText()).toMatch(/mätningar besvarade/);
    await page.keyboard.press('Escape');
    await page.getByRole('grid').waitFor(WAIT);
    expect(await focusedLineCell()).toBe('desk-a');
  });

  it('lets a supervisor confirm the reported outage, which calls the fallback until it is closed', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Avbrott' }).click();
    const reported = page.locator('.outage-table tbody tr', { hasText: 'Rapporterat' });
    await reported.getByRole('button', { name: 'Bekräfta' }).click();
    await expect.poll(() => reported.innerText(), WAIT).toContain(`Bekräftat av ${STAFF.staffNumber}`);
    // A confirmed report on a critical line means the phones cannot be trusted.
    await banner().waitFor(WAIT);
    await reported.getByRole('button', { name: 'Avsluta' }).click();
    await banner().waitFor({ state: 'detached', ...WAIT });
    await expect.poll(() => reported.innerText(), WAIT).toContain('Över');
  });

  it('breaks no Content Security Policy rule', () => {
    expect(lab.cspViolations).toEqual([]);
  });
});
