/**
 * Translations: Swedish by default (the guards' language), English switchable. The
 * choice is remembered per workstation and mirrored on `<html lang>` for screen readers.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { EventType } from '../../src-shared/events.ts';
import sv from './sv.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const resources = { sv, en } as const;

const STORAGE_KEY = 'guardline.lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** i18next keys use dots as separators, so `incident.created` becomes `eventType.incident_created`. */
export function eventTypeKey(type: EventType | string): string {
  return `eventType.${type.replaceAll('.', '_')}`;
}

function storedLanguage(): Language {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : 'sv';
  } catch {
    return 'sv';
  }
}

/** `extra`: another app's own strings beside the console's (HQ adds its `hq.*` keys). */
export function initI18n(extra?: { sv: object; en: object }) {
  const lng = storedLanguage();
  document.documentElement.lang = lng;
  void i18next.use(initReactI18next).init({
    resources: { sv: { translation: { ...sv, ...extra?.sv } }, en: { translation: { ...en, ...extra?.en } } },
    lng,
    fallbackLng: 'sv',
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  i18next.on('languageChanged', (next) => {
    document.documentElement.lang = next;
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage may be disabled; the choice then lasts for this session only
    }
  });
  return i18next;
}
