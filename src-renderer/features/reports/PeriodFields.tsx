/**
 * The period a report covers: from and to dates, the hours after which an unanswered fault
 * report counts as "no response", and the preset periods. One component for the console's
 * Rapporter page and HQ's Avbrott page, so both ask for a period the same way.
 */
import { useTranslation } from 'react-i18next';
import { PRESETS, presetInputs, type PeriodInputs } from './model/period.ts';

export function PeriodFields(props: {
  inputs: PeriodInputs;
  onInputs: (next: PeriodInputs) => void;
  hours: number;
  onHours: (next: number) => void;
}) {
  const { t } = useTranslation();
  const { inputs, onInputs } = props;
  return (
    <>
      <label>
        {t('reports.period.from')}
        <input
          type="date"
          name="from"
          value={inputs.from}
          required
          onChange={(e) => onInputs({ ...inputs, from: e.target.value })}
        />
      </label>
      <label>
        {t('reports.period.to')}
        <input
          type="date"
          name="to"
          value={inputs.to}
          required
          onChange={(e) => onInputs({ ...inputs, to: e.target.value })}
        />
      </label>
      <label>
        {t('reports.period.noResponseHours')}
        <input
          type="number"
          name="noResponseHours"
          min={1}
          max={2160}
          value={props.hours}
          onChange={(e) => props.onHours(Math.max(1, Number(e.target.value) || 24))}
        />
      </label>
      <div className="reports-presets" role="group" aria-label={t('reports.period.presets')}>
        {PRESETS.map((p) => (
          <button key={p} type="button" onClick={() => onInputs(presetInputs(p, Date.now()))}>
            {t(`reports.preset.${p}`)}
          </button>
        ))}
      </div>
    </>
  );
}
