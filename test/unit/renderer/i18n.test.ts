import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import sv from '../../../src-renderer/i18n/sv.json' with { type: 'json' };
import en from '../../../src-renderer/i18n/en.json' with { type: 'json' };
import { eventTypeKey } from '../../../src-renderer/i18n/index.ts';
import { ERROR_CODES } from '../../../src-shared/errors.ts';
import { EVENT_TYPES } from '../../../src-shared/events.ts';
import {
  EDITABLE_INCIDENT_FIELDS,
  INCIDENT_CATEGORIES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
} from '../../../src-shared/incident.ts';
import { DRAFT_FIELDS } from '../../../src-renderer/features/incidents/model/draft.ts';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const languages = { sv: flatten(sv as Tree), en: flatten(en as Tree) };

/** Keys the code builds from contract values; each must exist in every language. */
const required = [
  ...ERROR_CODES.map((c) => `error.${c}`),
  ...INCIDENT_CATEGORIES.map((c) => `category.${c}`),
  ...INCIDENT_SEVERITIES.map((s) => `severity.${s}`),
  ...INCIDENT_STATUSES.map((s) => `status.${s}`),
  ...INCIDENT_STATUSES.map((s) => `statusAction.${s}`),
  ...EVENT_TYPES.map((type) => eventTypeKey(type)),
  ...DRAFT_FIELDS.map((f) => `field.${f}`),
  ...EDITABLE_INCIDENT_FIELDS.map((f) => `field.${f}`),
  ...['required', 'choose', 'tooLong', 'invalidDate', 'invalid'].map((k) => `fieldError.${k}`),
  ...['illegal_transition', 'duplicate_create', 'orphan_event'].map((k) => `conflictKind.${k}`),
];

describe('translations', () => {
  it('have exactly the same keys in Swedish and English', () => {
    const svKeys = [...languages.sv.keys()].sort();
    const enKeys = [...languages.en.keys()].sort();
    expect(svKeys.filter((k) => !languages.en.has(k))).toEqual([]);
    expect(enKeys.filter((k) => !languages.sv.has(k))).toEqual([]);
  });

  it.each(Object.keys(languages) as (keyof typeof languages)[])(
    'translate every error code, category, severity, status and event type in %s',
    (lang) => {
      const missing = required.filter((key) => !languages[lang].get(key)?.trim());
      expect(missing).toEqual([]);
    },
  );

  it('resolve plural keys through i18next in both languages', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { sv: { translation: sv }, en: { translation: en } }, lng: 'sv' });
    expect(i18n.t('list.count', { count: 1 })).toBe('1 händelse');
    expect(i18n.t('list.count', { count: 3 })).toBe('3 händelser');
    expect(i18n.t('list.count', { lng: 'en', count: 1 })).toBe('1 incident');
    expect(i18n.t('list.count', { lng: 'en', count: 3 })).toBe('3 incidents');
    // Large counts are grouped the local way (a no-break space in Swedish).
    expect(i18n.t('list.count', { count: 100_000 })).toBe('100\u00a0000 händelser');
    expect(i18n.t('list.count', { lng: 'en', count: 100_000 })).toBe('100,000 incidents');
  });

  it('map the dotted event type names to nested-safe keys', () => {
    expect(eventTypeKey('incident.status_changed')).toBe('eventType.incident_status_changed');
  });
});
