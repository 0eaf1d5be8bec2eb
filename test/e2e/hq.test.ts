/**
 * HQ in Chromium against a real tracker process (issue 15): the first admin is created
 * with the admin token and signed in by name and password; the overview shows the
 * console's facility, and a trunk failure on that console reaches it live (no reload,
 * no polling: the page is told over SSE); every page passes axe in both languages and
 * renders at 1280×720 and 1920×1080.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildTracker } from '../integration/tracker/child-tracker.ts';
import { ADMIN_TOKEN, FACILITY, startTracker, waitForSync } from '../integration/sync/sync-lab.ts';
import type { TestConsole } from '../support/consoles.ts';
import { launchChromium } from './harness.ts';
import { distinctColours, HQ_ADMIN, seriousViolations, signInHq, trunkConsole } from './hq-lab.ts';

const WAIT = { timeout: 20_000 };

let dir: string;
let tracker: ChildTracker;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let consoleA: TestConsole | undefined;
let trunk: { down: boolean };
let incidentHash = '#/incidents';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-hq-e2e-'));
  mkdirSync(join(dir, 'releases'));
  tracker = await startTracker(join(dir, 'tracker.sqlite'), ['--releases', join(dir, 'releases')]);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await consoleA?.close();
  await browser?.close();
  await tracker?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const overviewRow = () => page.getByTestId(`facility-${FACILITY}`);

describe('HQ in the browser', () => {
  it('creates the first HQ admin with the admin token, then is signed in by name and password', async () => {
    await page.goto(`${tracker.url}/hq`);
    await page.getByRole('heading', { name: 'Skapa den första HQ-administratören' }).waitFor(WAIT);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Administratörstoken').fill(`${ADMIN_TOKEN}x`);
    await page.getByLabel('Namn').fill(HQ_ADMIN.name);
    await page.getByLabel('Lösenord (minst 12 tecken)').fill(HQ_ADMIN.password);
    // Two different passwords are refused before anything is sent.
    await page.getByLabel('Upprepa lösenordet').fill(`${HQ_ADMIN.password}!`);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('Lösenorden är inte lika.').waitFor(WAIT);
    await page.getByLabel('Upprepa lösenordet').fill(HQ_ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('Fel administratörstoken.').waitFor(WAIT);

    await page.getByLabel('Administratörstoken').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Alla anläggningar' }).waitFor(WAIT);
    expect(await page.getByTestId('hq-account').innerText()).toBe(`${HQ_ADMIN.name} · administratör`);
    // The token field is gone once signed in, and the session is a cookie the page cannot read.
    expect(await page.getByLabel('Administratörstoken').count()).toBe(0);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'guardline_hq', httpOnly: true, sameSite: 'Strict' });
  });

  it('signs out, refuses a wrong password, and signs in again', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in på HQ' }).waitFor(WAIT);
    expect(await seriousViolations(page)).toEqual([]);
    await signInHq(page, { name: HQ_ADMIN.name, password: 'fel lösenord helt' });
    await page.getByRole('alert').getByText('Fel namn eller lösenord.').waitFor(WAIT);
    await signInHq(page);
    await page.getByRole('heading', { name: 'Alla anläggningar' }).waitFor(WAIT);
  });

  it(
    "shows a console's facility on the overview, and its trunk failure live without a reload",
    { timeout: 90_000 },
    async () => {
      await page.getByTestId('hq-live').getByText('Live').waitFor(WAIT);
      ({ console: consoleA, trunk } = await trunkConsole(dir, tracker.url, 'kumla'));
      await expect.poll(() => overviewRow().innerText(), WAIT).toContain('3 fungerar');
      expect(await overviewRow().innerText()).toContain('1 online · 0 offline');
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

      trunk.down = true;
      await expect.poll(() => overviewRow().innerText(), WAIT).toContain('1 ur funktion');
      const row = await overviewRow().innerText();
      expect(row).toContain('Operatörstrunk (Centralen)');
      expect(row).toMatch(/1 pågår sedan/);
      expect(await page.getByTestId('total-down').innerText()).toContain('1');
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

      // The facility's own board, read-only, says the same.
      await overviewRow().getByRole('link').click();
      const board = page.getByTestId('facility-board');
      await expect.poll(() => board.innerText(), WAIT).toContain('Operatörstrunk');
      expect(await page.getByTestId('line-trunk1').innerText()).toContain('Ur funktion');
      expect(await page.getByTestId('line-a1').innerText()).toContain('Fungerar');

      trunk.down = false;
      await expect.poll(() => page.getByTestId('line-trunk1').innerText(), WAIT).toContain('Fungerar');
    },
  );

  it('filters and searches incidents, and opens one with its timeline', { timeout: 60_000 }, async () => {
    const incident = (title: string, category: string, severity: string) => ({
      facility: FACILITY,
      unit: 'Avdelning A',
      category,
      severity,
      title,
      description: 'Beskrivning för HQ',
      peopleInvolved: [],
      location: 'Korridor 2',
      occurredAt: '2026-12-04T22:05:00+01:00',
      reportedBy: 'A-kumla',
    });
    const threat = await consoleA!.call<{ id: string }>(
      'incidents.create',
      incident('Hot mot personal i dagrummet', 'threat', 'high'),
    );
    await consoleA!.call('incidents.create', incident('Brandlarm utlöst i kök', 'fire', 'medium'));
    await consoleA!.call('incidents.addNote', { id: threat.id, text: 'Polis kontaktad' });

    await page.getByRole('link', { name: 'Händelser' }).click();
    const rows = page.getByTestId('incidents-table').locator('tbody tr');
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    await page.getByLabel('Kategori').selectOption({ label: 'Hot' });
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    expect(await rows.first().innerText()).toContain('Hot mot personal i dagrummet');
    await page.getByLabel('Kategori').selectOption({ label: 'Alla' });
    await page.getByLabel('Sök i text').fill('brandlarm');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    expect(await rows.first().innerText()).toContain('Brandlarm utlöst i kök');
    await page.getByLabel('Sök i text').fill('');
    await expect.poll(() => rows.count(), WAIT).toBe(2);

    await page.getByRole('link', { name: 'Hot mot personal i dagrummet' }).click();
    await page.getByRole('heading', { name: 'Hot mot personal i dagrummet' }).waitFor(WAIT);
    incidentHash = new URL(page.url()).hash;
    const timeline = page.locator('ol.timeline');
    // Created, the note, and whatever the facility's escalation policy did with a high threat.
    await expect.poll(() => timeline.locator('li').count(), WAIT).toBeGreaterThanOrEqual(2);
    expect(await timeline.innerText()).toContain('Polis kontaktad');
    expect(await page.locator('main').innerText()).toContain('Polis kontaktad');
    expect(await page.locator('main').innerText()).toContain('Korridor 2');
  });

  it(
    'exports the outage evidence as CSV, TMF621 and PDF with the trunk outage in it',
    { timeout: 60_000 },
    async () => {
      await page.getByRole('link', { name: 'Avbrott och bevis' }).click();
      await page.getByTestId('report-body').waitFor(WAIT);
      expect(await page.getByTestId('report-body').innerText()).toContain('Operatörstrunk');
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
      const csvText = await readFile((await csv.path())!, 'utf8');
      expect(csv.suggestedFilename()).toMatch(/^outages-M-rsta-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(csvText).toContain('Operatörstrunk');
      const [tmf] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /TMF621/ }).click(),
      ]);
      const tickets = JSON.parse(await readFile((await tmf.path())!, 'utf8')) as { tickets: unknown[] };
      expect(tickets.tickets.length).toBeGreaterThan(0);

      // PDF is the page printed: the print stylesheet leaves the report, not HQ's header or menus.
      const pdfFile = join(dir, 'evidence.pdf');
      writeFileSync(pdfFile, await page.pdf({ format: 'A4', printBackground: true }));
      const pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
      expect(pdfText).toContain('Avbrott och bevis för operatören');
      expect(pdfText).toContain('Operatörstrunk');
      expect(pdfText).not.toContain('Logga ut');
      expect(pdfText).not.toContain('Exportera CSV');
    },
  );

  it(
    "revokes a console: HQ shows it revoked and the tracker refuses the console's token",
    { timeout: 60_000 },
    async () => {
      await page.getByRole('link', { name: 'Konsoler' }).click();
      const device = page.getByTestId(`device-${consoleA!.core.info().deviceId}`);
      await device.waitFor(WAIT);
      page.once('dialog', (dialog) => void dialog.accept());
      await device.getByRole('button', { name: /^Spärra / }).click();
      await expect.poll(() => device.innerText(), WAIT).toContain('Spärrad');
      await consoleA!.call('sync.retryNow', {});
      const status = await waitForSync(consoleA!, (s) => s.state === 'error', 'refused after revoke', 20_000);
      expect(JSON.stringify(status)).toMatch(/unauthenticated|revoked/);
    },
  );

  it(
    'uploads a console release from the Konsoler page, and refuses one that is not whole',
    { timeout: 60_000 },
    async () => {
      const dist = join(dir, 'dist');
      mkdirSync(dist);
      const installer = randomBytes(300_000);
      const sha512 = createHash('sha512').update(installer).digest('base64');
      writeFileSync(join(dist, 'Guardline-0.9.0.AppImage'), installer);
      writeFileSync(
        join(dist, 'latest-linux.yml'),
        `version: 0.9.0\nfiles:\n  - url: Guardline-0.9.0.AppImage\n    sha512: ${sha512}\n    size: ${installer.length}\n` +
          `path: Guardline-0.9.0.AppImage\nsha512: ${sha512}\nreleaseDate: '2026-12-05T06:00:00.000Z'\n`,
      );
      const form = page.getByTestId('release-upload');
      const files = form.getByLabel('Releasefiler från npm run dist');
      await files.setInputFiles([join(dist, 'latest-linux.yml')]);
      await form.getByRole('button', { name: 'Ladda upp release' }).click();
      await page.getByText(/^Uppladdningen vägrades: .*Guardline-0\.9\.0\.AppImage, which is missing/).waitFor(WAIT);

      await files.setInputFiles([join(dist, 'latest-linux.yml'), join(dist, 'Guardline-0.9.0.AppImage')]);
      await form.getByRole('button', { name: 'Ladda upp release' }).click();
      await page.getByText('Version 0.9.0 är uppladdad och erbjuds nu konsolerna.').waitFor(WAIT);
      await expect.poll(() => page.getByTestId('release-current').innerText(), WAIT).toContain('Version 0.9.0');
    },
  );

  it(
    'passes axe and renders non-blank at 1280×720 and 1920×1080 on every page, in Swedish and English',
    { timeout: 120_000 },
    async () => {
      const pages = [
        '#/',
        `#/facility/${encodeURIComponent(FACILITY)}`,
        '#/incidents',
        incidentHash,
        '#/outages',
        '#/devices',
        '#/staff',
        '#/accounts',
      ];
      for (const hash of pages) {
        for (const lang of ['Svenska', 'English']) {
          await page.goto(`${tracker.url}/hq${hash}`);
          await page.getByRole('button', { name: lang }).click();
          await page.getByTestId('hq-live').getByText('Live').waitFor(WAIT);
          await page.locator('main h1').waitFor(WAIT);
          expect(await seriousViolations(page), `${hash} ${lang}`).toEqual([]);
          for (const viewport of [
            { width: 1280, height: 720 },
            { width: 1920, height: 1080 },
          ]) {
            await page.setViewportSize(viewport);
            expect(await distinctColours(page), `${hash} ${lang} ${viewport.width}`).toBeGreaterThan(5);
            // GUARDLINE_SCREENSHOTS=<dir> keeps the pictures for a person to look at.
            const shots = process.env.GUARDLINE_SCREENSHOTS;
            if (shots) {
              const name = `hq-${hash.replace(/\W+/g, '-')}-${lang}-${viewport.width}.png`;
              await page.screenshot({ path: join(shots, name) });
            }
          }
          await page.setViewportSize({ width: 1280, height: 720 });
        }
      }
      await page.getByRole('button', { name: 'Svenska' }).click();
    },
  );
});
