/** Phone line status strip. Issue 4 fills it from the line monitor; until then it says so. */
import { useTranslation } from 'react-i18next';

export function PhoneStatus() {
  const { t } = useTranslation();
  return (
    <section className="phone-status" aria-label={t('phone.region')}>
      <span className="phone-status-label" aria-hidden="true">
        ☎ {t('phone.region')}:
      </span>
      <span>{t('phone.none')}</span>
    </section>
  );
}
