/**
 * The body of a period report, shared by the console's report page and HQ's outage page:
 * availability and downtime charts, the figures table and the outage timeline, with the
 * page's own sections after them. The console pages its timeline through the ledger
 * (`timeline` and `pager`); HQ shows the report's own.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';
import { FiguresTable } from './FiguresTable.tsx';
import { OutageTimeline } from './OutageTimeline.tsx';
import { AvailabilityChart, DowntimeChart } from './ReportCharts.tsx';

export function ReportSections(props: {
  report: PeriodReport;
  /** The report whose outages the timeline lists (a ledger page); the report itself by default. */
  timeline?: PeriodReport;
  /** Shown above the timeline: the ledger pager. */
  pager?: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { report } = props;
  return (
    <div className="reports-body" data-testid="report-body">
      <section className="report-section">
        <h2>{t('reports.chart.availability')}</h2>
        <AvailabilityChart report={report} />
      </section>
      <section className="report-section">
        <h2>{t('reports.chart.downtime')}</h2>
        <DowntimeChart report={report} />
      </section>
      <section className="report-section">
        <h2>{t('reports.figures.title')}</h2>
        <FiguresTable report={report} />
      </section>
      <section className="report-section">
        <h2>{t('reports.timeline.title')}</h2>
        {props.pager}
        <OutageTimeline report={props.timeline ?? report} />
      </section>
      {props.children}
    </div>
  );
}
