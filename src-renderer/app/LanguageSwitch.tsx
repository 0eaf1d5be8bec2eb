/** Svenska / English: the console's header and HQ's share this one switch. */
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from '../i18n/index.ts';

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
            // Loaded already (preloadLanguages): switch in this very event, as before the split.
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
