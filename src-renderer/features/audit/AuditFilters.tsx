/** Filter the audit trail by staff member, incident and time; Enter applies. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  checkAuditFilter,
  EMPTY_AUDIT_FILTER,
  type AuditFilterDraft,
  type AuditFilterErrors,
  type AuditFilterField,
} from './model/audit-filter.ts';
import type { AuditQuery } from './use-audit-log.ts';

const FIELDS: { field: AuditFilterField; type: 'text' | 'datetime-local' }[] = [
  { field: 'staffNumber', type: 'text' },
  { field: 'incidentId', type: 'text' },
  { field: 'from', type: 'datetime-local' },
  { field: 'to', type: 'datetime-local' },
];

export function AuditFilters(props: { onApply: (query: AuditQuery) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<AuditFilterDraft>(EMPTY_AUDIT_FILTER);
  const [errors, setErrors] = useState<AuditFilterErrors>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkAuditFilter(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = FIELDS.find((f) => checked.errors[f.field]);
      if (first) document.getElementById(`audit-${first.field}`)?.focus();
      return;
    }
    setErrors({});
    props.onApply(checked.query);
  }

  function clear() {
    setDraft(EMPTY_AUDIT_FILTER);
    setErrors({});
    props.onApply({});
  }

  return (
    <form className="audit-filters" onSubmit={submit} noValidate aria-label={t('audit.filters')}>
      {FIELDS.map(({ field, type }) => {
        const id = `audit-${field}`;
        const error = errors[field];
        return (
          <div key={field} className="audit-filter">
            <label htmlFor={id}>{t(`audit.filter.${field}`)}</label>
            <input
              id={id}
              type={type}
              value={draft[field]}
              onChange={(e) => setDraft((d) => ({ ...d, [field]: e.target.value }))}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            />
            {error && (
              <small id={`${id}-error`} className="audit-error">
                <span aria-hidden="true">⚠ </span>
                {t(error)}
              </small>
            )}
          </div>
        );
      })}
      <div className="audit-filter-actions">
        <button type="submit" className="primary">
          {t('audit.apply')}
        </button>
        <button type="button" onClick={clear}>
          {t('audit.clear')}
        </button>
      </div>
    </form>
  );
}
