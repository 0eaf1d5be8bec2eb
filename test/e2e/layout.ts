/**
 * The 1280×720 layout, measured the same way by the e2e check and by `npm run bench
 * startup`: a supervisor signed in, the fallback banner up (the demo emergency line
 * broken), the share of the window's height left to the page itself (`main`).
 */
import type { Page } from 'playwright-core';
import { mustCall } from './page-api.ts';

export const VIEWPORT = { width: 1280, height: 720 };
export const ADMIN = { staffNumber: 'A100', name: 'Maria Holm', pin: '13579' };
export const SUPERVISOR = {
  staffNumber: 'S200',
  name: 'Sara Lindqvist',
  role: 'supervisor',
  units: ['Avdelning A'],
  pin: '24680',
};
const WAIT = { timeout: 20_000 };

/** On a fresh console's page: first admin, a supervisor, the emergency line down; signed in as admin. */
export async function adminWithBannerUp(page: Page): Promise<void> {
  await page.locator('#gate-heading').waitFor(WAIT);
  await mustCall(page, 'auth.bootstrapAdmin', ADMIN);
  await page.getByRole('navigation').waitFor(WAIT);
  await mustCall(page, 'staff.enroll', SUPERVISOR);
  await mustCall(page, 'demo.setLineFault', { lineId: 'emergency', fault: 'down' });
  await page.getByTestId('fallback-banner').waitFor(WAIT);
}

export async function signInSupervisor(page: Page): Promise<void> {
  await mustCall(page, 'auth.signIn', { staffNumber: SUPERVISOR.staffNumber, pin: SUPERVISOR.pin });
  await page.getByTestId('signed-in-user').filter({ hasText: SUPERVISOR.name }).waitFor(WAIT);
  await page.getByRole('navigation').getByRole('button').first().click();
  await page.getByTestId('fallback-banner').waitFor(WAIT);
}

export async function setLanguage(page: Page, lng: 'sv' | 'en'): Promise<void> {
  await page.locator(`.language-switch button[lang=${lng}]`).click();
  await page.waitForFunction((want) => document.documentElement.lang === want, lng, WAIT);
}

/** `main`'s height over the window's, to three decimals. */
export async function workShare(page: Page): Promise<number> {
  const main = await page.locator('main.main').boundingBox();
  if (!main) throw new Error('no main element');
  return Math.round((main.height / VIEWPORT.height) * 1000) / 1000;
}

/** How many rows the header's parts occupy (1 when they all sit side by side). */
export async function headerRows(page: Page): Promise<number> {
  return page.locator('.app-header').evaluate((header) => {
    const parts = [...header.querySelectorAll(':scope > *, :scope > * > *')].filter(
      (el) => (el as HTMLElement).offsetHeight > 0,
    );
    const rows: { top: number; bottom: number }[] = [];
    for (const el of parts) {
      const r = el.getBoundingClientRect();
      if (!rows.some((row) => r.top < row.bottom && r.bottom > row.top)) rows.push({ top: r.top, bottom: r.bottom });
    }
    return rows.length;
  });
}

export interface LayoutFigures {
  share: number;
  headerRows: number;
  /** Header, banner, phone strip and tabs: everything above `main`, in px. */
  chromePx: number;
}

export async function measureLayout(page: Page): Promise<LayoutFigures> {
  const main = await page.locator('main.main').boundingBox();
  return { share: await workShare(page), headerRows: await headerRows(page), chromePx: Math.round(main?.y ?? NaN) };
}
