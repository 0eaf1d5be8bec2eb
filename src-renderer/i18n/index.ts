/**
 * Translations: Swedish by default (the guards' language), English switchable. The
 * choice is remembered per workstation and mirrored on `<html lang>` for screen readers.
 * Swedish is in the first chunk; English (~7 KB gzip) is fetched when chosen.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { EventType } from '../../src-shared/events.ts';
import sv from './sv.json' with { type: 'json' };

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
type Bundle = typeof sv;
const loaders: Record<Language, () => Promise<Bundle>> = {
  sv: () => Promise.resolve(sv),
  en: () => import('./en.json').then((m) => m.default),
};

const STORAGE_KEY = 'guardline.lang';

/** Another app's own strings beside the console's, per language (HQ adds its `hq.*` keys). */
let extraBundles: Partial<Record<Language, object>> = {};

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

async function ensureLoaded(lng: Language): Promise<void> {
  if (!i18next.hasResourceBundle(lng, 'translation')) {
    i18next.addResourceBundle(lng, 'translation', { ...(await loaders[lng]()), ...extraBundles[lng] });
  }
}

/**
 * Switch language, fetching its translations first when they are not loaded yet. Once
 * `preloadLanguages` has run, the switch happens at once, as it did before the split.
 */
export async function setLanguage(lng: Language): Promise<void> {
  await ensureLoaded(lng);
  await i18next.changeLanguage(lng);
}

/** Fetch every language's translations (after the first paint), so a switch never waits. */
export function preloadLanguages(): Promise<void> {
  return Promise.all(LANGUAGES.map(ensureLoaded)).then(() => undefined);
}

/**
 * Ready to render: Swedish at once, the stored language once its translations are in.
 * `extra`: another app's own strings (HQ's), merged into each language as it loads.
 */
export async function initI18n(extra: Partial<Record<Language, object>> = {}) {
  extraBundles = extra;
  const lng = storedLanguage();
  document.documentElement.lang = 'sv';
  void i18next.use(initReactI18next).init({
    resources: { sv: { translation: { ...sv, ...extra.sv } } },
    lng: 'sv',
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
  if (lng !== 'sv') {
    // English that cannot load leaves the console in Swedish rather than blank.
    await setLanguage(lng).catch(() => undefined);
  }
  return i18next;
}
