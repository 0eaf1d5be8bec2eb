/** The facility filter HQ's pages share: a labelled select of every facility, optionally with "all". */
import { useTranslation } from 'react-i18next';
import type { HqFacility } from '../src-shared/sync-wire.ts';

export function FacilitySelect(props: {
  facilities: readonly HqFacility[];
  value: string;
  onChange(facility: string): void;
  /** Offer "all facilities" as the empty value. */
  all?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <label>
      {t('hq.col.facility')}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.all && <option value="">{t('hq.all')}</option>}
        {props.facilities.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
      </select>
    </label>
  );
}
