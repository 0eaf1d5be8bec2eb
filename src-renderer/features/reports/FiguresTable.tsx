/** Figures for the facility, each unit and each line. */
import { useTranslation } from 'react-i18next';
import type { Figures } from '../../../src-shared/figures.ts';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';
import { formatDuration, formatPercent } from './model/format.ts';

function Row(props: { scope: string; name: string; f: Figures; strong?: boolean }) {
  const { i18n } = useTranslation();
  const { f } = props;
  return (
    <tr className={props.strong ? 'figures-total' : undefined}>
      <th scope="row">
        <span className="figures-scope">{props.scope}</span> {props.name}
      </th>
      <td>{formatPercent(f.availabilityPct, i18n.language)}</td>
      <td>{f.outageCount}</td>
      <td>{formatDuration(f.lineDowntimeMs)}</td>
      <td>{formatDuration(f.longestDowntimeMs)}</td>
      <td>{formatDuration(f.mttaMs)}</td>
      <td>{formatDuration(f.mttrMs)}</td>
      <td className={f.overdueCount > 0 ? 'report-overdue' : undefined}>{f.overdueCount}</td>
    </tr>
  );
}

export function FiguresTable(props: { report: PeriodReport }) {
  const { t } = useTranslation();
  const { report } = props;
  return (
    <table className="report-table" data-testid="figures-table">
      <caption>{t('reports.figures.caption', { hours: report.noResponseHours })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reports.figures.scope')}</th>
          <th scope="col">{t('reports.figures.availability')}</th>
          <th scope="col">{t('reports.figures.outages')}</th>
          <th scope="col">{t('reports.figures.downtime')}</th>
          <th scope="col">{t('reports.figures.longest')}</th>
          <th scope="col">{t('reports.figures.mtta')}</th>
          <th scope="col">{t('reports.figures.mttr')}</th>
          <th scope="col">{t('reports.figures.overdue')}</th>
        </tr>
      </thead>
      <tbody>
        <Row scope={t('reports.term.scope.facility')} name={report.facility.name} f={report.totals} strong />
        {report.units.map((u) => (
          <Row key={`u:${u.unit}`} scope={t('reports.term.scope.unit')} name={u.name || '–'} f={u} />
        ))}
        {report.lines.map((l) => (
          <Row key={`l:${l.lineId}`} scope={t('reports.term.scope.line')} name={l.name} f={l} />
        ))}
      </tbody>
    </table>
  );
}
