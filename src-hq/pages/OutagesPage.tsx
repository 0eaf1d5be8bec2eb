/**
 * Outage evidence for the carrier, per facility: availability over a chosen period and
 * downtime per line (trunks included), MTTA/MTTR and the other figures, the outage
 * timeline; exports as CSV and TMF621 JSON from the tracker, PDF by printing the page
 * (the console's print stylesheet leaves only the report). The charts and tables are
 * the console's own components fed the same PeriodReport.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeriodReport } from '../../src-shared/figures-report.ts';
import { ReportSections } from '../../src-renderer/features/reports/ReportSections.tsx';
import { periodOf, presetInputs, type PeriodInputs } from '../../src-renderer/features/reports/model/period.ts';
import { formatTime } from '../../src-renderer/features/reports/model/format.ts';
import '../../src-renderer/features/reports/reports.css';
import { query } from '../api.ts';
import { useFacilities } from '../use-facilities.ts';
import { FacilitySelect } from '../FacilitySelect.tsx';
import { useHqData } from '../use-hq-data.ts';
import { PeriodFields } from '../../src-renderer/features/reports/PeriodFields.tsx';

export function OutagesPage() {
  const { t, i18n } = useTranslation();
  const facilities = useFacilities();
  const [chosen, setChosen] = useState('');
  const facility = chosen || facilities.list[0]?.id || '';
  const [inputs, setInputs] = useState<PeriodInputs>(() => presetInputs('last30', Date.now()));
  const [asked, setAsked] = useState(inputs);
  const [hours, setHours] = useState(24);
  const [invalid, setInvalid] = useState(false);
  const period = periodOf(asked);
  const params = period ? { ...period, noResponseHours: hours } : null;
  const { data, error } = useHqData<{ report: PeriodReport }>(
    facility && params ? `/v1/hq/report${query({ facility, ...params })}` : null,
    facility ? { facility } : {},
  );
  const report = data?.report ?? null;
  const exportQuery = params ? query({ facility, ...params, lang: i18n.language }) : '';

  const show = (event: FormEvent) => {
    event.preventDefault();
    setInvalid(periodOf(inputs) === null);
    if (periodOf(inputs)) setAsked(inputs);
  };

  return (
    <section className="reports-page" aria-labelledby="outages-title">
      <header className="reports-head">
        <h1 id="outages-title">{t('hq.outages.title')}</h1>
        {report && (
          <p className="reports-subtitle">
            {report.facility.name} · {formatTime(report.period.from, i18n.language)} –{' '}
            {formatTime(report.period.to, i18n.language)}
          </p>
        )}
      </header>
      <form className="reports-controls no-print" onSubmit={show} aria-label={t('reports.period.label')}>
        <FacilitySelect facilities={facilities.list} value={facility} onChange={setChosen} />
        <PeriodFields inputs={inputs} onInputs={setInputs} hours={hours} onHours={setHours} />
        <button type="submit" className="primary">
          {t('reports.show')}
        </button>
        <div className="reports-exports" role="group" aria-label={t('reports.export.label')}>
          <a className="hq-button" href={`/v1/hq/export.csv${exportQuery}`} download>
            {t('reports.export.csv')}
          </a>
          <button type="button" disabled={!report} onClick={() => window.print()}>
            {t('reports.export.pdf')}
          </button>
          <a className="hq-button" href={`/v1/hq/export.tmf621${exportQuery}`} download>
            {t('reports.export.tmf621')}
          </a>
        </div>
      </form>
      {invalid && (
        <p role="alert" className="reports-error">
          {t('reports.period.invalid')}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      {report && <ReportSections report={report} />}
    </section>
  );
}
