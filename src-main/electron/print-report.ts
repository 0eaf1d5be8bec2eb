/**
 * The one console call the Electron shell completes itself: `reports.exportPdf`. The
 * core checks the role and logs the export but cannot print; once it said yes, the
 * shell prints the page that asked (already checked to be the console's own main
 * frame) with Chromium's `printToPDF`, the same engine the browser host prints with.
 */
import type { PrintToPDFOptions } from 'electron';
import { apiError } from '../../src-shared/errors.ts';
import type { CallResult } from '../../src-shared/transport.ts';

export interface Printable {
  printToPDF(options: PrintToPDFOptions): Promise<Buffer>;
}

export const REPORT_PDF_OPTIONS: PrintToPDFOptions = {
  pageSize: 'A4',
  printBackground: true,
};

export async function completeShellAction(method: string, result: CallResult, page: Printable): Promise<CallResult> {
  if (method !== 'reports.exportPdf' || !result.ok) return result;
  const value = result.value as { eventId: string; pdfBase64: string | null };
  try {
    const pdf = await page.printToPDF(REPORT_PDF_OPTIONS);
    return { ok: true, value: { ...value, pdfBase64: pdf.toString('base64') } } as CallResult;
  } catch (error) {
    return { ok: false, error: apiError('internal', `printing the report failed: ${(error as Error).message}`) };
  }
}
