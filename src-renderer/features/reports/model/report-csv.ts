/** The period report as CSV with the page's language: the shared builder fed with i18n labels. */
import type { TFunction } from 'i18next';
import { reportCsv, type CsvLabels } from '../../../../src-shared/figures-csv.ts';
import type { PeriodReport } from '../../../../src-shared/figures-report.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as `YYYY-MM-DD HH:mm`: what a spreadsheet reads as a date in either language. */
export function csvTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function csvLabels(t: TFunction): CsvLabels {
  return {
    column: (key) => t(`reports.csv.${key}`),
    term: (kind, code) => t(`reports.term.${kind}.${code}`, { defaultValue: code }),
    time: csvTime,
  };
}

export function reportCsvText(report: PeriodReport, t: TFunction): string {
  return reportCsv(report, csvLabels(t));
}

export function reportFileName(report: PeriodReport, ext: string): string {
  const day = (ms: number) => csvTime(ms).slice(0, 10);
  const facility = (report.facility.id || 'facility').replace(/[^A-Za-z0-9_-]+/g, '-');
  return `outages-${facility}-${day(report.period.from)}-${day(report.period.to - 1)}.${ext}`;
}
