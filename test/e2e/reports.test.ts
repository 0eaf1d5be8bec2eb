/**
 * A supervisor's report for the carrier in the browser host: open Rapporter from the
 * nav, choose a day, read the figures and the flagged outage, and export CSV — the
 * file the browser saves holds the same numbers, in Swedish.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { O1, O2, showDay, startReportHost, type ReportHost } from '../integration/reports/report-host.ts';

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
});
