/**
 * The period report: pick the days, see availability over time, downtime per line, the
 * figures, the outage timeline and the ledger; export as CSV, PDF or TMF621 JSON. Every
 * export is logged in the core first. The PDF is this page printed: Electron's shell
 * answers with `printToPDF` bytes, the browser host opens its print dialog (the print
 * stylesheet leaves only the report). The timeline and the ledger show one page of the
 * period's outages, read from the core as the user pages (issue 16); the CSV reads every
 * page; the TMF621 file is written by the console into its exports folder.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_LEDGER_PAGE_ROWS, type LedgerRow, type PeriodReportView } from '../../../src-shared/figures-report.ts';
import type { ApiError } from '../../../src-shared/errors.ts';
import { roleAtLeast } from '../../../src-shared/staff.ts';
import { useApi, usePushEvent } from '../../api/ApiContext.tsx';
import { useAuth } from '../sign-in/index.ts';
import { ReportSections } from './ReportSections.tsx';
import { LedgerTable } from './LedgerTable.tsx';
import { LedgerPager } from './LedgerPager.tsx';
import { VoiceEpisodes } from './VoiceEpisodes.tsx';
import { periodOf, presetInputs, type PeriodInputs } from './model/period.ts';
import { JobProgress } from '../../app/JobProgress.tsx';
import { reportCsvText, reportFileName } from './model/report-csv.ts';
import { base64ToBytes, saveFile } from '../../app/download.ts';
import { formatTime } from './model/format.ts';
import './reports.css';
import { PeriodFields } from './PeriodFields.tsx';

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const role = useAuth().state?.session?.role ?? null;
  const supervisor = role !== null && roleAtLeast(role, 'supervisor');
  const [inputs, setInputs] = useState<PeriodInputs>(() => presetInputs('last30', Date.now()));
  const [hours, setHours] = useState(24);
  const [report, setReport] = useState<PeriodReportView | null>(null);
  /** The ledger page shown: the report's first, or one read since. */
  const [page, setPage] = useState<{ offset: number; rows: LedgerRow[] } | null>(null);
  const [paging, setPaging] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const [asked, setAsked] = useState<{ inputs: PeriodInputs; hours: number }>({ inputs, hours });

  /** Bumped to read the report again (an outage or ticket changed). */
  const [epoch, setEpoch] = useState(0);
  const reload = useCallback(() => setEpoch((n) => n + 1), []);

  useEffect(() => {
    const period = periodOf(asked.inputs);
    if (!period) return;
    let live = true;
    void api.call('reports.period', { ...period, noResponseHours: asked.hours }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setReport(result.value);
        setPage({ offset: 0, rows: result.value.outages });
        setError(null);
      } else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, asked, epoch]);
  usePushEvent('outages.changed', reload);

  function show(event: FormEvent) {
    event.preventDefault();
    if (!periodOf(inputs)) return setError({ code: 'invalid_input', message: 'period', field: 'to' });
    setAsked({ inputs, hours });
  }

  async function logged(format: 'csv', count: number): Promise<boolean> {
    if (!report) return false;
    const filters = { format, from: report.period.from, to: report.period.to, facility: report.facility.id };
    const result = await api.call('audit.exportLogged', { kind: 'outage-evidence', filters, count });
    if (!result.ok) setError(result.error);
    return result.ok;
  }

  /** A page of this report's ledger: the same period and moment, so pages agree with each other. */
  function readPage(shown: PeriodReportView, offset: number, limit: number) {
    return api.call('reports.ledgerPage', {
      ...shown.period,
      noResponseHours: shown.noResponseHours,
      asOf: shown.asOf,
      offset,
      limit,
    });
  }

  async function turnPage(offset: number) {
    if (!report) return;
    setPaging(true);
    const result = await readPage(report, offset, report.ledger.limit);
    setPaging(false);
    if (!result.ok) return setError(result.error);
    setPage({ offset, rows: result.value.rows });
  }

  async function exportCsv() {
    if (!report || !(await logged('csv', report.ledger.total))) return;
    // The CSV holds the whole ledger: read it page by page, each a short answer.
    setNotice(t('reports.csvReading'));
    const rows: LedgerRow[] = [];
    while (rows.length < report.ledger.total) {
      const result = await readPage(report, rows.length, MAX_LEDGER_PAGE_ROWS);
      if (!result.ok) return setError(result.error);
      if (result.value.rows.length === 0) break;
      rows.push(...result.value.rows);
    }
    const name = reportFileName(report, 'csv');
    saveFile(name, reportCsvText({ ...report, outages: rows }, t), 'text/csv;charset=utf-8');
    setNotice(t('reports.exported', { name }));
  }

  async function exportTmf621() {
    if (!report) return;
    const result = await api.call('reports.exportTmf621', {
      ...report.period,
      noResponseHours: report.noResponseHours,
    });
    if (!result.ok) return setError(result.error);
    setNotice(t('reports.exportedTo', { path: result.value.path, count: result.value.tickets }));
  }

  async function exportPdf() {
    if (!report) return;
    const result = await api.call('reports.exportPdf', { ...report.period, noResponseHours: report.noResponseHours });
    if (!result.ok) return setError(result.error);
    if (result.value.pdfBase64) {
      const name = reportFileName(report, 'pdf');
      saveFile(name, base64ToBytes(result.value.pdfBase64), 'application/pdf');
      setNotice(t('reports.exported', { name }));
    } else {
      window.print();
    }
  }

  // The report with the ledger page being shown in place of its first.
  const shown = report && page ? { ...report, outages: page.rows } : report;
  const shownWindow = report ? { ...report.ledger, offset: page?.offset ?? 0 } : { total: 0, offset: 0, limit: 1 };

  return (
    <section className="reports-page" aria-labelledby="reports-title">
      <header className="reports-head">
        <h1 id="reports-title">{t('reports.title')}</h1>
        {report && (
          <p className="reports-subtitle">
            {report.facility.name} · {formatTime(report.period.from, i18n.language)} –{' '}
            {formatTime(report.period.to, i18n.language)}
          </p>
        )}
      </header>

      <form className="reports-controls no-print" onSubmit={show} aria-label={t('reports.period.label')}>
        <PeriodFields inputs={inputs} onInputs={setInputs} hours={hours} onHours={setHours} />
        <button type="submit" className="primary">
          {t('reports.show')}
        </button>
        <div className="reports-exports" role="group" aria-label={t('reports.export.label')}>
          <button type="button" disabled={!report || !supervisor} onClick={() => void exportCsv()}>
            {t('reports.export.csv')}
          </button>
          <button type="button" disabled={!report || !supervisor} onClick={() => void exportPdf()}>
            {t('reports.export.pdf')}
          </button>
          <button type="button" disabled={!report || !supervisor} onClick={() => void exportTmf621()}>
            {t('reports.export.tmf621')}
          </button>
        </div>
      </form>

      {error && (
        <p role="alert" className="reports-error">
          {error.field === 'to' || error.field === 'from' ? t('reports.period.invalid') : t(`error.${error.code}`)}
        </p>
      )}
      <p role="status" className="reports-notice no-print">
        {notice}
      </p>
      <JobProgress methods={['reports.period', 'reports.ledgerPage', 'reports.exportTmf621', 'reports.exportPdf']} />

      {report && (
        <ReportSections
          report={report}
          timeline={shown ?? report}
          pager={<LedgerPager window={shownWindow} busy={paging} onOffset={(offset) => void turnPage(offset)} />}
        >
          <section className="report-section">
            <h2>{t('ledger.title')}</h2>
            <LedgerPager window={shownWindow} busy={paging} onOffset={(offset) => void turnPage(offset)} />
            <LedgerTable report={shown ?? report} canEdit={supervisor} onChanged={reload} />
          </section>
          <section className="report-section">
            <h2>{t('reports.voice.heading')}</h2>
            <VoiceEpisodes report={report} />
          </section>
        </ReportSections>
      )}
    </section>
  );
}
