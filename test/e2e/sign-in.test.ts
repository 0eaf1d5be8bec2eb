/**
 * Signing in at a fresh console in real Chromium, keyboard only: the first run offers
 * to create the first admin; sign-out leads to the sign-in screen; a wrong PIN and an
 * unknown staff number get the same words; five wrong attempts lock a number out and
 * say for how long; a locked console offers its last user and keeps phone status in
 * view; a quick user switch can be abandoned with Esc. Axe on setup, sign-in and lock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startWebHost, type RunningWebHost } from './harness.ts';
import { callFromPage } from './page-api.ts';

const WAIT = { timeout: 15_000 };
const ADMIN = { staffNumber: 'A100', name: 'Maria Holm', pin: '13579' };

let dir: string;
let host: RunningWebHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-e2e-sign-in-'));
  [host, browser] = await Promise.all([
    startWebHost({ dataDir: join(dir, 'data'), env: { GUARDLINE_FACILITY: 'Säbyanstalten', GUARDLINE_UNIT: 'Avd C' } }),
    launchChromium(),
  ]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  page = await context.newPage();
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function seriousViolations() {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function focusedId(): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

function heading(name: string | RegExp) {
  return page.getByRole('heading', { name, exact: true });
}

function signedInUser() {
  return page.getByTestId('signed-in-user');
}

/** Type a staff number and PIN into the sign-in screen (focus in the number field) and press Enter. */
async function signInByKeyboard(staffNumber: string, pin: string) {
  // Typing goes where the focus is: wait until the sign-in screen has put it in the staff
  // number field, or under load the first keys land before it and the sign-in never happens.
  await expect.poll(focusedId, WAIT).toBe('signin-staff-number');
  await page.keyboard.type(staffNumber);
  await page.keyboard.press('Tab');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}

describe('sign-in in the browser host', () => {
  it('offers to create the first admin on a console with an empty roster', async () => {
    await heading('Första start: skapa administratör').waitFor(WAIT);
    await expect.poll(focusedId, WAIT).toBe('setup-staff-number');
    // Nothing behind the gate is reachable, but phone status is in view.
    expect(await page.getByRole('listbox', { name: 'Händelser' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Telefonstatus' }).count()).toBe(1);
    expect(await seriousViolations()).toEqual([]);
  });

  it('refuses two different PINs, then creates the admin and signs them in, keyboard only', async () => {
    await page.keyboard.type(ADMIN.staffNumber.toLowerCase());
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.pin);
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('setup-pin-repeat');
    await page.keyboard.type('97531');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('#setup-pin-repeat-error').textContent(), WAIT)
      .toContain('PIN-koderna är inte lika. Skriv dem igen.');
    expect(await focusedId()).toBe('setup-pin');
    expect(await page.locator('#setup-pin').inputValue()).toBe('');
    expect(await page.locator('#setup-staff-number').inputValue()).toBe('a100');

    await page.keyboard.type(ADMIN.pin);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.pin);
    await page.keyboard.press('Enter');
    await signedInUser().waitFor(WAIT);
    expect(await signedInUser().innerText()).toMatch(/Maria Holm\s*Administratör/);
    await page.getByRole('listbox', { name: 'Händelser' }).waitFor(WAIT);
  });

  it('signs out to the sign-in screen, focus in the staff number', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).press('Enter');
    await heading('Logga in').waitFor(WAIT);
    expect(await signedInUser().count()).toBe(0);
    await expect.poll(focusedId, WAIT).toBe('signin-staff-number');
    expect(await seriousViolations()).toEqual([]);
  });

  it('says the same for a wrong PIN and for an unknown staff number, and clears the PIN', async () => {
    await signInByKeyboard(ADMIN.staffNumber, '0000');
    const error = page.locator('#signin-pin-error');
    await expect.poll(() => error.textContent(), WAIT).toContain('Fel tjänstenummer eller PIN-kod.');
    const wrongPin = await error.innerText();
    expect(await focusedId()).toBe('signin-pin');
    expect(await page.locator('#signin-pin').inputValue()).toBe('');
    expect(await page.locator('#signin-pin').getAttribute('aria-invalid')).toBe('true');

    await page.locator('#signin-staff-number').fill('');
    await page.locator('#signin-staff-number').focus();
    await signInByKeyboard('NOBODY1', ADMIN.pin);
    // The refusal clears the PIN: only then is the error the new attempt's.
    await expect.poll(() => page.locator('#signin-pin').inputValue(), WAIT).toBe('');
    expect(await page.locator('#signin-pin-error').innerText()).toBe(wrongPin);
    expect(await signedInUser().count()).toBe(0);
  });

  it('locks a staff number out after five wrong attempts and says for how many minutes', async () => {
    await page.locator('#signin-staff-number').fill('GHOST9');
    for (let i = 0; i < 5; i++) {
      await page.locator('#signin-pin').fill(`${1000 + i}`);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#signin-pin').inputValue(), WAIT).toBe('');
    }
    await expect
      .poll(() => page.locator('#signin-pin-error').innerText(), WAIT)
      .toMatch(/Spärrad efter för många felaktiga försök\. Försök igen om [45] minuter\./);
  });

  it('signs in with the staff number and PIN and Enter', async () => {
    await page.locator('#signin-staff-number').fill('');
    await page.locator('#signin-staff-number').focus();
    await signInByKeyboard(ADMIN.staffNumber, ADMIN.pin);
    await signedInUser().waitFor(WAIT);
    expect(await signedInUser().innerText()).toContain(ADMIN.name);
  });

  it('shows the lock screen after auth.lock, offering the same person, with phone status in view', async () => {
    expect(await callFromPage(page, 'auth.lock')).toMatchObject({ ok: true });
    await heading('Konsolen är låst').waitFor(WAIT);
    expect(await page.getByText(`Låst av ${ADMIN.name}.`).count()).toBe(1);
    expect(await page.locator('#signin-staff-number').inputValue()).toBe(ADMIN.staffNumber);
    await expect.poll(focusedId, WAIT).toBe('signin-pin');
    expect(await page.getByRole('region', { name: 'Telefonstatus' }).count()).toBe(1);
    expect(await page.getByRole('listbox', { name: 'Händelser' }).count()).toBe(0);
    expect(await seriousViolations()).toEqual([]);

    await page.keyboard.type(ADMIN.pin);
    await page.keyboard.press('Enter');
    await signedInUser().waitFor(WAIT);
  });

  it('locks from the header button too', async () => {
    await page.getByRole('button', { name: 'Lås' }).press('Enter');
    await heading('Konsolen är låst').waitFor(WAIT);
    await page.keyboard.type(ADMIN.pin);
    await page.keyboard.press('Enter');
    await signedInUser().waitFor(WAIT);
  });

  it('offers a quick user switch with an empty staff number, and Esc returns to the session', async () => {
    await page.getByRole('button', { name: 'Byt användare' }).press('Enter');
    await heading('Byt användare').waitFor(WAIT);
    expect(await page.locator('#signin-staff-number').inputValue()).toBe('');
    await expect.poll(focusedId, WAIT).toBe('signin-staff-number');
    await page.keyboard.press('Escape');
    await signedInUser().waitFor(WAIT);
    await page.getByRole('listbox', { name: 'Händelser' }).waitFor(WAIT);
  });

  it('reads the same in English', async () => {
    await page.getByRole('button', { name: 'English' }).press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).press('Enter');
    await heading('Sign in').waitFor(WAIT);
    await signInByKeyboard(ADMIN.staffNumber, '9999');
    await expect.poll(() => page.locator('#signin-pin').inputValue(), WAIT).toBe('');
    await expect
      .poll(() => page.locator('#signin-pin-error').innerText(), WAIT)
      .toContain('Wrong staff number or PIN.');
    await page.getByRole('button', { name: 'Svenska' }).press('Enter');
    await heading('Logga in').waitFor(WAIT);
    await page.locator('#signin-staff-number').fill('');
    await page.locator('#signin-staff-number').focus();
    await signInByKeyboard(ADMIN.staffNumber, ADMIN.pin);
    await signedInUser().waitFor(WAIT);
  });
});

describe('roster and audit pages for an admin', () => {
  const GUARD = { staffNumber: 'G7', name: 'Gösta Vakt', pin: '2468', newPin: '1357' };

  function toast(text: string | RegExp) {
    return page.getByRole('status').getByText(text);
  }

  it('enrols a guard on the Personal page with the keyboard, and refuses the same number twice', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Personal' }).press('Enter');
    await heading('Personal').waitFor(WAIT);
    const admin = page.getByRole('row', { name: /A100/ });
    expect(await admin.innerText()).toMatch(/Maria Holm\s+Administratör/);

    await page.locator('#staff-number').focus();
    await page.keyboard.type(GUARD.staffNumber);
    await page.keyboard.press('Tab');
    await page.keyboard.type(GUARD.name);
    await page.keyboard.press('Tab'); // the role group; Vakt is already chosen
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('guard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Avd C');
    await page.keyboard.press('Tab');
    await page.keyboard.type(GUARD.pin);
    await page.keyboard.press('Tab');
    await page.keyboard.type(GUARD.pin);
    await page.keyboard.press('Enter');
    await toast(`Registrerad: ${GUARD.name}`).waitFor(WAIT);
    const row = page.getByRole('row', { name: /G7/ });
    await row.waitFor(WAIT);
    expect(await row.innerText()).toMatch(/Gösta Vakt\s+Vakt\s+Avd C\s+.*Aktiv/);

    await page.locator('#staff-number').fill('g7');
    await page.locator('#staff-name').fill('Någon Annan');
    await page.locator('#staff-name').press('Enter');
    await expect
      .poll(() => page.locator('#staff-number-error').textContent(), WAIT)
      .toContain('Tjänstenumret finns redan i personallistan.');
  });

  it('will not deactivate the last admin, and says why', async () => {
    await page.getByRole('button', { name: 'Inaktivera Maria Holm' }).press('Enter');
    await toast('Minst en aktiv administratör måste finnas kvar.').waitFor(WAIT);
    expect(await page.getByRole('row', { name: /A100/ }).innerText()).toContain('Aktiv');
  });

  it('resets a forgotten PIN', async () => {
    await page.getByRole('button', { name: `Ny PIN-kod för ${GUARD.name}` }).press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('reset-pin-G7');
    await page.keyboard.type(GUARD.newPin);
    await page.keyboard.press('Tab');
    await page.keyboard.type(GUARD.newPin);
    await page.keyboard.press('Enter');
    await toast(`Ny PIN-kod satt för ${GUARD.name}`).waitFor(WAIT);
    expect(await seriousViolations()).toEqual([]);
  });

  it('shows the chain as intact and the guard’s trail on the Granskning page, and logs a CSV export', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Granskning' }).press('Enter');
    await heading('Granskning').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('chain-result').innerText(), WAIT).toMatch(/^✓ Kedjan OK, \d+ händelser$/);

    await page.locator('#audit-staffNumber').fill('g7');
    await page.locator('#audit-staffNumber').press('Enter');
    const table = page.locator('.audit-table');
    await expect.poll(() => table.innerText(), WAIT).toContain('PIN-kod satt');
    expect(await table.innerText()).toContain('Personal registrerad');
    expect(await table.innerText()).not.toContain('Inloggad');

    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      page.getByRole('button', { name: 'Exportera CSV' }).press('Enter'),
    ]);
    expect(download.suggestedFilename()).toMatch(/^guardline-granskning-\d{4}-\d\d-\d\dT\d{4}\.csv$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFseq,time,type,actor,stream,device,hlc,eventId,payload');
    expect(csv).toContain('staff.enrolled');
    expect(csv).not.toMatch(/scrypt\$/); // PIN hashes never leave

    // The export is itself on the record, naming the filter it used.
    await page.locator('#audit-staffNumber').fill('');
    await page.locator('#audit-staffNumber').press('Enter');
    await expect.poll(() => table.innerText(), WAIT).toContain('Export loggad');
    expect(await table.locator('tr', { hasText: 'Export loggad' }).first().innerText()).toContain('"staffNumber":"G7"');
    expect(await seriousViolations()).toEqual([]);
  });

  it('a guard signs in with the new PIN and sees neither admin page', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).press('Enter');
    await heading('Logga in').waitFor(WAIT);
    await signInByKeyboard(GUARD.staffNumber, GUARD.newPin);
    await signedInUser().waitFor(WAIT);
    const nav = page.getByRole('navigation');
    await nav.getByRole('button', { name: 'Händelser' }).waitFor(WAIT);
    expect(await nav.getByRole('button', { name: 'Personal' }).count()).toBe(0);
    expect(await nav.getByRole('button', { name: 'Granskning' }).count()).toBe(0);
  });

  it('a deactivated guard can no longer sign in', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).press('Enter');
    await heading('Logga in').waitFor(WAIT);
    await signInByKeyboard(ADMIN.staffNumber, ADMIN.pin);
    await signedInUser().waitFor(WAIT);
    await page.getByRole('navigation').getByRole('button', { name: 'Personal' }).press('Enter');
    await page.getByRole('button', { name: `Inaktivera ${GUARD.name}` }).press('Enter');
    await toast(`Inaktiverad: ${GUARD.name}`).waitFor(WAIT);
    await expect.poll(() => page.getByRole('row', { name: /G7/ }).innerText(), WAIT).toContain('Inaktiverad');

    await page.getByRole('button', { name: 'Logga ut' }).press('Enter');
    await heading('Logga in').waitFor(WAIT);
    await signInByKeyboard(GUARD.staffNumber, GUARD.newPin);
    await expect.poll(() => page.locator('#signin-pin').inputValue(), WAIT).toBe('');
    expect(await page.locator('#signin-pin-error').innerText()).toContain('Fel tjänstenummer eller PIN-kod.');
  });
});
