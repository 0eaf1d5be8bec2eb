/** Local date-time text in the UI language, e.g. "2026-11-25 21:14" (sv) or "25/11/2026, 21:14" (en). */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

const LOCALES: Record<string, string> = { sv: 'sv-SE', en: 'en-GB' };

export function useLocalTime(): (value: string | number) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(LOCALES[i18n.language] ?? 'sv-SE', {
      dateStyle: 'short',
      timeStyle: 'short',
    });
    return (value) => {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? String(value) : format.format(date);
    };
  }, [i18n.language]);
}
