/** Svenska / English, as in the console's header. */
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from '../src-renderer/i18n/index.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="button"
          lang={lng}
          aria-pressed={i18n.language === lng}
          onClick={() => {
            if (i18n.hasResourceBundle(lng, 'translation')) void i18n.changeLanguage(lng);
            else void setLanguage(lng);
          }}
        >
          {t(`language.${lng}`)}
        </button>
      ))}
    </div>
  );
}
