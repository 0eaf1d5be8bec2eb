/**
 * The PDF is the report page printed by Chromium (`page.pdf()`, what Electron's
 * `printToPDF` does in the desktop app): page 1 is rendered to PNG with poppler's
 * `pdftoppm` and must show the report — enough ink overall, and the charts' own colours.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { showDay, startReportHost, SUPERVISOR, type ReportHost } from './report-host.ts';

let lab: ReportHost;

beforeAll(async () => {
  lab = await startReportHost('guardline-report-pdf-');
});

afterAll(async () => {
  await lab?.close();
});

/** Pixel counts of a PNG, decoded by Chromium itself on a blank page. */
async function inkOf(png: Buffer): Promise<{ total: number; ink: number; orange: number; blue: number }> {
  const blank = await lab.browser.newPage();
  try {
    return await blank.evaluate(
      async (dataUrl) => {
        const image = new Image();
        image.src = dataUrl;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(image, 0, 0);
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let ink = 0;
        let orange = 0;
        let blue = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
          if (r < 235 || g < 235 || b < 235) ink += 1;
          if (r > 200 && g > 100 && g < 170 && b < 110) orange += 1; // downtime bars (#f0883e)
          if (b > 200 && r < 140 && g > 130 && g < 200) blue += 1; // availability line (#58a6ff)
        }
        return { total: data.length / 4, ink, orange, blue };
      },
      `data:image/png;base64,${png.toString('base64')}`,
    );
  } finally {
    await blank.close();
  }
}

describe('PDF export', () => {
  it('prints the report page to a PDF whose first page shows the charts', async () => {
    await showDay(lab.page, '2025-01-01');
    await lab.page.getByTestId('downtime-chart').locator('canvas').first().waitFor();
    const pdf = await lab.page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(lab.dir, 'report.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(lab.dir, 'page1')]);
    const png = readFileSync(join(lab.dir, 'page1.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const { total, ink, orange, blue } = await inkOf(png);
    // A blank page has no ink; the report's text, tables and charts cover well over 2 %.
    expect(ink / total).toBeGreaterThan(0.02);
    expect(orange).toBeGreaterThan(50);
    expect(blue).toBeGreaterThan(20);
  });

  it('logs the PDF export in the core before the page prints (browser host: no bytes from the core)', async () => {
    const log = new Database(join(lab.dir, 'data', 'guardline.sqlite'), { readonly: true });
    const pdfExports = () =>
      (
        log
          .prepare("SELECT actor, device_time AS at, payload FROM events WHERE type = 'audit.exported' ORDER BY seq")
          .all() as { actor: string; at: number; payload: string }[]
      )
        .map((r) => ({ ...r, payload: JSON.parse(r.payload) as { filters: { format: string; from: number } } }))
        .filter((r) => r.payload.filters.format === 'pdf');
    try {
      const before = pdfExports().length;
      await lab.page.evaluate(() => {
        const w = window as unknown as { printedAt: number | null };
        w.printedAt = null;
        window.print = () => {
          w.printedAt = Date.now();
        };
      });
      await lab.page.getByRole('button', { name: 'Exportera PDF' }).click();
      const printedAt = await (
        await lab.page.waitForFunction(() => (window as unknown as { printedAt: number | null }).printedAt, undefined, {
          timeout: 10_000,
        })
      ).jsonValue();
      const logged = pdfExports().slice(before);
      expect(logged).toHaveLength(1);
      expect(logged[0]!.actor).toBe(SUPERVISOR.staffNumber);
      expect(logged[0]!.payload.filters.from).toBe(Date.parse('2025-01-01T00:00:00Z'));
      expect(logged[0]!.at).toBeLessThanOrEqual(printedAt!);
    } finally {
      log.close();
    }
  });
});
