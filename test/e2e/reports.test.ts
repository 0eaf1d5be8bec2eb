/**
 * A supervisor's report for the carrier in the browser host: open Rapporter from the
 * nav, choose a day, read the figures and the flagged outage, and export CSV — the
 * file the browser saves holds the same numbers, in Swedish. A day with more outages
 * than one ledger page is paged with the keyboard, and its CSV and TMF621 exports hold
 * every outage (issue 16: the ledger is read a page at a time).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  MANY_OUTAGES,
  manyOutageId,
  O1,
  O2,
  showDay,
  startReportHost,
  type ReportHost,
} from '../integration/reports/report-host.ts';

let lab: ReportHost;

beforeAll(async () => {
  lab = await startReportHost('guardline-e2e-reports-');
});

afterAll(async () => {
  await lab?.close();
});

describe('reports page', () => {
  it('shows a chosen day and exports it as CSV', async () => {
    const { page } = lab;
    await showDay(page, '2025-01-01');
    const figures = page.getByTestId('figures-table');
    // a1 was down 10:00-12:00 of the 24 hours: 91,667 % available.
    await expect(figures.getByRole('row', { name: /A vakt/ }).textContent()).resolves.toContain('91,667');
    const flagged = page.locator(`tr[data-outage="${O2}"]`);
    await expect(flagged.getAttribute('class')).resolves.toBe('ledger-flagged');
    await expect(flagged.textContent()).resolves.toContain('Inget svar');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exportera CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('outages-kumla-2025-01-01-2025-01-01.csv');
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^Nivå,Avdelning,Linje-id,Namn,Tillgänglighet %/);
    expect(lines).toContain('Linje,Avdelning A,a1,A vakt,91.667,24,120,120,120,1,30,180,0');
    expect(lines.find((l) => l.startsWith(O1))).toContain('TT-4711');
    expect(lines.find((l) => l.startsWith(O2))).toContain('Inget svar');
    await page.getByRole('status').filter({ hasText: 'Exporterad: outages-kumla' }).waitFor();
  });

  it('pages through a day of more outages than one page with the keyboard, and exports them all', async () => {
    const { page } = lab;
    await page.getByLabel('Från').fill('2025-01-03');
    await page.getByLabel('Till och med').fill('2025-01-03');
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    const ledger = page.getByTestId('ledger-table');
    const pager = page.getByTestId('ledger-pager').last();
    await pager.getByText(`Avbrott 1–50 av ${MANY_OUTAGES}`).waitFor({ timeout: 15_000 });
    // Newest first: the first page ends with the 11th outage of the day.
    await expect(ledger.locator('tr[data-outage]').count()).resolves.toBe(50);
    await expect(ledger.locator('tr[data-outage]').last().getAttribute('data-outage')).resolves.toBe(manyOutageId(10));

    await pager.getByRole('button', { name: 'Nästa sida' }).focus();
    await page.keyboard.press('Enter');
    await pager.getByText(`Avbrott 51–${MANY_OUTAGES} av ${MANY_OUTAGES}`).waitFor();
    await expect(ledger.locator('tr[data-outage]').count()).resolves.toBe(MANY_OUTAGES - 50);
    await expect(ledger.locator('tr[data-outage]').first().getAttribute('data-outage')).resolves.toBe(manyOutageId(9));
    await expect(pager.getByRole('button', { name: 'Nästa sida' }).isDisabled()).resolves.toBe(true);
    await pager.getByRole('button', { name: 'Föregående sida' }).focus();
    await page.keyboard.press('Space');
    await pager.getByText(`Avbrott 1–50 av ${MANY_OUTAGES}`).waitFor();

    // Printed (the PDF export), the page says which outages of how many it holds; the buttons are left out.
    await page.emulateMedia({ media: 'print' });
    await expect(pager.getByText(`Avbrott 1–50 av ${MANY_OUTAGES}`).isVisible()).resolves.toBe(true);
    await expect(pager.getByRole('button', { name: 'Nästa sida' }).isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // The CSV reads every page.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exportera CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    for (let i = 0; i < MANY_OUTAGES; i++) expect(csv).toContain(manyOutageId(i));

    // The TMF621 file is written by the console into its exports folder; the page says where.
    await page.getByRole('button', { name: 'Exportera TMF621' }).click();
    const notice = page.getByRole('status').filter({ hasText: `(${MANY_OUTAGES} ärenden)` });
    await notice.waitFor({ timeout: 15_000 });
    const path = join(lab.dir, 'data', 'exports', 'outages-kumla-2025-01-03-2025-01-04.tmf621.json');
    await expect(notice.textContent()).resolves.toBe(`Exporterad: ${path} (${MANY_OUTAGES} ärenden)`);
    const tickets = JSON.parse(readFileSync(path, 'utf8')) as { id: string }[];
    expect(tickets.map((t) => t.id).sort()).toEqual(Array.from({ length: MANY_OUTAGES }, (_, i) => manyOutageId(i)));
  });
});
