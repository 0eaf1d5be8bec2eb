import { describe, expect, it } from 'vitest';
import { completeShellAction, REPORT_PDF_OPTIONS, type Printable } from '../../../src-main/electron/print-report.ts';

function page(bytes: string | Error) {
  const calls: unknown[] = [];
  const printable: Printable = {
    printToPDF: async (options) => {
      calls.push(options);
      if (bytes instanceof Error) throw bytes;
      return Buffer.from(bytes);
    },
  };
  return { printable, calls };
}

describe('Electron PDF export', () => {
  it('prints the asking page once the core has logged the export', async () => {
    const p = page('%PDF-1.7 report');
    const result = await completeShellAction(
      'reports.exportPdf',
      { ok: true, value: { eventId: 'e1', pdfBase64: null } },
      p.printable,
    );
    expect(result).toEqual({
      ok: true,
      value: { eventId: 'e1', pdfBase64: Buffer.from('%PDF-1.7 report').toString('base64') },
    });
    expect(p.calls).toEqual([REPORT_PDF_OPTIONS]);
  });

  it('prints nothing when the core refused, and nothing for other methods', async () => {
    const p = page('%PDF');
    const refused = { ok: false as const, error: { code: 'forbidden' as const, message: 'supervisor only' } };
    expect(await completeShellAction('reports.exportPdf', refused, p.printable)).toBe(refused);
    const other = { ok: true as const, value: { items: [] } };
    expect(await completeShellAction('incidents.list', other as never, p.printable)).toBe(other);
    expect(p.calls).toEqual([]);
  });

  it('turns a failed print into an error value', async () => {
    const result = await completeShellAction(
      'reports.exportPdf',
      { ok: true, value: { eventId: 'e1', pdfBase64: null } },
      page(new Error('no printer backend')).printable,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
