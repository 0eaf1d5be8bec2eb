/** A facility's staff roster as its consoles have it (folded from its staff events), read-only. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../api.ts';
import { useFacilities } from '../use-facilities.ts';
import { FacilitySelect } from '../FacilitySelect.tsx';
import { useHqData } from '../use-hq-data.ts';

interface RosterRow {
  staffNumber: string;
  name: string;
  role: string;
  units: string[];
  active: boolean;
  hasPin: boolean;
}

export function StaffPage() {
  const { t } = useTranslation();
  const facilities = useFacilities();
  const [chosen, setChosen] = useState('');
  const facility = chosen || facilities.list[0]?.id || '';
  const { data, error } = useHqData<{ staff: RosterRow[] }>(
    facility ? `/v1/hq/staff${query({ facility })}` : null,
    facility ? { facility } : {},
  );
  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">{t('hq.staff.title')}</h1>
      <div className="hq-filters">
        <FacilitySelect facilities={facilities.list} value={facility} onChange={setChosen} />
      </div>
      {error && <p role="alert">{error}</p>}
      {data && data.staff.length === 0 && <p>{t('hq.staff.none')}</p>}
      {data && data.staff.length > 0 && (
        <table className="hq-table" data-testid="staff-table">
          <caption className="visually-hidden">{t('hq.staff.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('hq.staff.name')}</th>
              <th scope="col">{t('hq.staff.number')}</th>
              <th scope="col">{t('hq.staff.role')}</th>
              <th scope="col">{t('field.unit')}</th>
              <th scope="col">{t('field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {data.staff.map((s) => (
              <tr key={s.staffNumber}>
                <th scope="row">{s.name}</th>
                <td>{s.staffNumber}</td>
                <td>{t(`hq.staff.roles.${s.role}`)}</td>
                <td>{s.units.join(', ') || t('hq.staff.allUnits')}</td>
                <td>
                  {s.active ? t('hq.staff.active') : t('hq.staff.inactive')}
                  {!s.hasPin && ` · ${t('hq.staff.noPin')}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
