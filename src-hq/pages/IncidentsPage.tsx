/**
 * Every facility's incidents: filter by facility, status and category, search the
 * text; newest change first; live. A row opens the incident with its timeline.
 */
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HqIncident } from '../../src-shared/sync-wire.ts';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../src-shared/incident.ts';
import { useLocalTime } from '../../src-renderer/features/incidents/use-local-time.ts';
import { query } from '../api.ts';
import { href } from '../route.ts';
import { useFacilities } from '../use-facilities.ts';
import { FacilitySelect } from '../FacilitySelect.tsx';
import { useHqData } from '../use-hq-data.ts';

export function IncidentsPage() {
  const { t } = useTranslation();
  const localTime = useLocalTime();
  const facilities = useFacilities();
  const [facility, setFacility] = useState('');
  const [status, setStatus] = useState('');
  const [category, setCategory] = useState('');
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim());
  const path = `/v1/hq/incidents${query({ facility, status, category, q, limit: 500 })}`;
  const { data, error } = useHqData<{ incidents: HqIncident[] }>(path, facility ? { facility } : {});

  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">{t('hq.incidents.title')}</h1>
      <form className="hq-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <FacilitySelect facilities={facilities.list} value={facility} onChange={setFacility} all />
        <label>
          {t('field.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('hq.all')}</option>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('field.category')}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t('hq.all')}</option>
            {INCIDENT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('hq.incidents.search')}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      </form>
      {error && <p role="alert">{error}</p>}
      {!data ? (
        <p>{t('hq.loading')}</p>
      ) : data.incidents.length === 0 ? (
        <p>{t('hq.incidents.none')}</p>
      ) : (
        <table className="hq-table" data-testid="incidents-table">
          <caption className="visually-hidden">{t('hq.incidents.caption', { count: data.incidents.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field.title')}</th>
              <th scope="col">{t('hq.col.facility')}</th>
              <th scope="col">{t('field.unit')}</th>
              <th scope="col">{t('field.category')}</th>
              <th scope="col">{t('field.severity')}</th>
              <th scope="col">{t('field.status')}</th>
              <th scope="col">{t('field.occurredAt')}</th>
            </tr>
          </thead>
          <tbody>
            {data.incidents.map((i) => (
              <tr key={`${i.facility}/${i.id}`}>
                <th scope="row">
                  <a href={href({ page: 'incident', facility: i.facility, id: i.id })}>{i.title}</a>
                </th>
                <td>{facilities.nameOf(i.facility)}</td>
                <td>{i.unit}</td>
                <td>{t(`category.${i.category}`)}</td>
                <td className={`sev-${i.severity}`}>{t(`severity.${i.severity}`)}</td>
                <td>{t(`status.${i.status}`)}</td>
                <td>{localTime(i.occurredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
