/**
 * Filters as toggle buttons (one press, visible state, aria-pressed) and a search box
 * that waits for a short pause in typing before asking, so each keystroke does not
 * start a query over 100,000 incidents.
 */
import { useEffect, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  type IncidentCategory,
  type IncidentSeverity,
  type IncidentStatus,
} from '../../../src-shared/incident.ts';

export interface ListFilter {
  status: IncidentStatus[];
  category: IncidentCategory[];
  severity: IncidentSeverity[];
  query: string;
}

export const EMPTY_FILTER: ListFilter = { status: [], category: [], severity: [], query: '' };
export const SEARCH_DEBOUNCE_MS = 150;

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

function ToggleGroup<T extends string>(props: {
  label: string;
  values: readonly T[];
  selected: readonly T[];
  text: (value: T) => string;
  className: (value: T) => string;
  onChange: (next: T[]) => void;
}) {
  return (
    <div className="filter-group" role="group" aria-label={props.label}>
      <span className="filter-label" aria-hidden="true">
        {props.label}
      </span>
      {props.values.map((value) => (
        <button
          key={value}
          type="button"
          className={`filter-toggle ${props.className(value)}`}
          aria-pressed={props.selected.includes(value)}
          onClick={() => props.onChange(toggle(props.selected, value))}
        >
          {props.text(value)}
        </button>
      ))}
    </div>
  );
}

export function IncidentFilters(props: {
  filter: ListFilter;
  onChange: (next: ListFilter) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  onLeaveSearch: () => void;
}) {
  const { t } = useTranslation();
  const { filter, onChange, searchRef } = props;
  const [text, setText] = useState(filter.query);

  useEffect(() => {
    if (text === filter.query) return;
    const timer = setTimeout(() => onChange({ ...filter, query: text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filter, onChange]);

  const active = filter.status.length + filter.category.length + filter.severity.length > 0 || filter.query !== '';

  return (
    <div className="filters">
      <div className="search">
        <label htmlFor="incident-search">{t('filters.search')}</label>
        <input
          id="incident-search"
          ref={searchRef}
          type="search"
          value={text}
          placeholder={t('filters.searchPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          aria-keyshortcuts="/"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange({ ...filter, query: text });
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              props.onLeaveSearch();
            }
          }}
        />
      </div>
      <ToggleGroup
        label={t('filters.status')}
        values={INCIDENT_STATUSES}
        selected={filter.status}
        text={(v) => t(`status.${v}`)}
        className={(v) => `status-${v}`}
        onChange={(status) => onChange({ ...filter, status })}
      />
      <ToggleGroup
        label={t('filters.category')}
        values={INCIDENT_CATEGORIES}
        selected={filter.category}
        text={(v) => t(`category.${v}`)}
        className={() => ''}
        onChange={(category) => onChange({ ...filter, category })}
      />
      <ToggleGroup
        label={t('filters.severity')}
        values={INCIDENT_SEVERITIES}
        selected={filter.severity}
        text={(v) => t(`severity.${v}`)}
        className={(v) => `severity-${v}`}
        onChange={(severity) => onChange({ ...filter, severity })}
      />
      {active && (
        <button
          type="button"
          className="filter-clear"
          onClick={() => {
            setText('');
            onChange(EMPTY_FILTER);
          }}
        >
          {t('filters.clear')}
        </button>
      )}
    </div>
  );
}
