/**
 * The renderer's shipped translations (sv, en) in a test's own i18next instance, Swedish
 * first and, as in the renderer, not escaped by i18next (React escapes).
 */
import type { i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import sv from '../../../src-renderer/i18n/sv.json' with { type: 'json' };
import en from '../../../src-renderer/i18n/en.json' with { type: 'json' };

/** Initialise `instance` (from `i18next.createInstance()`); `react`: bind it to react-i18next for rendering. */
export async function initShippedTranslations(instance: i18n, { react = false } = {}): Promise<void> {
  await (react ? instance.use(initReactI18next) : instance).init({
    resources: { sv: { translation: sv }, en: { translation: en } },
    lng: 'sv',
    interpolation: { escapeValue: false },
  });
}
