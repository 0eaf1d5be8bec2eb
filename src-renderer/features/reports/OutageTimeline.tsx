/** The period's outages as bars on one time axis: when each began, how long it lasted. */
import { useTranslation } from 'react-i18next';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';
import { formatDuration, formatTime } from './model/format.ts';

export function OutageTimeline(props: { report: PeriodReport }) {
  const { t, i18n } = useTranslation();
  const { period, asOf, outages } = props.report;
  const span = period.to - period.from;
  if (outages.length === 0) return <p className="report-empty">{t('reports.timeline.none')}</p>;
  return (
    <ol className="report-timeline" aria-label={t('reports.timeline.title')} data-testid="outage-timeline">
      {[...outages].reverse().map((row) => {
        const o = row.outage;
        const start = Math.max(o.openedAt, period.from);
        const end = Math.min(o.status === 'open' ? asOf : (o.resolvedAt ?? o.openedAt), period.to);
        const left = ((start - period.from) / span) * 100;
        const width = Math.max(0.4, ((end - start) / span) * 100);
        return (
          <li key={o.id} className="timeline-row">
            <span className="timeline-label">
              {formatTime(o.openedAt, i18n.language)} · {o.lineIds.length} {t('reports.timeline.lines')}
            </span>
            <span className="timeline-track">
              <span
                className={`timeline-bar timeline-${o.status} response-${row.carrierResponse}`}
                style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                title={`${t(`reports.term.cause.${o.cause}`)} · ${formatDuration(row.inPeriodMs)}`}
              />
            </span>
          </li>
        );
      })}
    </ol>
  );
}
