/**
 * Logging a new incident, keyboard-first: focus starts in the first field, Ctrl+Enter
 * saves, Esc cancels (asking first if anything was typed). The id is chosen when the
 * form opens, so a double submit or a retry after a dropped connection can never
 * create two incidents. "Sparad" is shown only once the core has committed and replied.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { v7 as uuidv7 } from 'uuid';
import type { SystemInfo } from '../../../src-shared/api.ts';
import { INCIDENT_CATEGORIES, INCIDENT_SEVERITIES, type Incident } from '../../../src-shared/incident.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { ChoiceField, TextField } from './form-fields.tsx';
import { DRAFT_FIELDS, draftToInput, isDirty, type DraftField, type IncidentDraft } from './model/draft.ts';
import { firstInvalidField, toFieldErrors, type FieldErrors } from './model/field-errors.ts';
import { toLocalInput } from './model/occurred-at.ts';

const REPORTER_KEY = 'guardline.reportedBy';

function rememberedReporter(): string {
  try {
    return window.localStorage.getItem(REPORTER_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Fields are found by their element id (`field-<name>`); a choice group focuses its checked or first option. */
function focusField(name: DraftField) {
  const el = document.getElementById(`field-${name}`);
  if (el instanceof HTMLFieldSetElement) {
    (el.querySelector<HTMLInputElement>('input:checked') ?? el.querySelector<HTMLInputElement>('input'))?.focus();
  } else el?.focus();
}

function emptyDraft(info: SystemInfo): IncidentDraft {
  return {
    category: '',
    severity: '',
    title: '',
    description: '',
    people: '',
    location: '',
    occurredAt: toLocalInput(new Date()),
    unit: info.unit,
    reportedBy: rememberedReporter(),
  };
}

export function IncidentForm(props: { info: SystemInfo; onSaved: (incident: Incident) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [id] = useState(() => uuidv7());
  const [initial] = useState(() => emptyDraft(props.info));
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  const savingRef = useRef(false);
  const keepEditingRef = useRef<HTMLButtonElement>(null);
  const lastFocus = useRef<HTMLElement | null>(null);

  useEffect(() => {
    focusField('category');
  }, []);

  useEffect(() => {
    if (confirmingDiscard) keepEditingRef.current?.focus();
  }, [confirmingDiscard]);

  const set = <K extends keyof IncidentDraft>(key: K, value: IncidentDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const errorOf = (field: DraftField) => errors[field];

  async function submit() {
    if (savingRef.current) return;
    savingRef.current = true;
    setSaving(true);
    const result = await api.call('incidents.create', draftToInput(draft, id, props.info.facility));
    savingRef.current = false;
    setSaving(false);
    if (result.ok) {
      try {
        window.localStorage.setItem(REPORTER_KEY, result.value.reportedBy);
      } catch {
        // remembered for convenience only
      }
      toasts.info(t('form.saved', { title: result.value.title }));
      props.onSaved(result.value);
      return;
    }
    const fieldErrors = toFieldErrors(result.error);
    setErrors(fieldErrors);
    const first = firstInvalidField(DRAFT_FIELDS, fieldErrors);
    if (first) focusField(first);
    else toasts.apiError(result.error);
  }

  function keepEditing() {
    setConfirmingDiscard(false);
    if (lastFocus.current?.isConnected) lastFocus.current.focus();
    else focusField('category');
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    const target = event.target as HTMLElement;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (!confirmingDiscard) void submit();
      return;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      if (confirmingDiscard) keepEditing();
      else if (isDirty(draft, initial)) {
        lastFocus.current = target;
        setConfirmingDiscard(true);
      } else props.onCancel();
      return;
    }
    // A lone Enter in a one-line field must not save a half-written report.
    if (event.key === 'Enter' && target.tagName === 'INPUT') event.preventDefault();
  }

  const invalidFields = DRAFT_FIELDS.filter((f) => errors[f] !== undefined);

  return (
    <section className="form-screen" aria-labelledby="form-heading">
      <form
        className="incident-form"
        noValidate
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="form-head">
          <h1 id="form-heading">{t('form.heading')}</h1>
          <p className="form-facility">
            {t('field.facility')}: <strong>{props.info.facility}</strong>
          </p>
        </div>
        {invalidFields.length > 0 && (
          <p className="form-summary" role="alert">
            <span aria-hidden="true">⚠ </span>
            {t('form.invalidSummary', {
              count: invalidFields.length,
              fields: invalidFields.map((f) => t(`field.${f}`)).join(', '),
            })}
          </p>
        )}
        <div className="form-choices">
          <ChoiceField
            name="category"
            label={t('field.category')}
            values={INCIDENT_CATEGORIES}
            value={draft.category}
            onChange={(v) => set('category', v)}
            text={(v) => t(`category.${v}`)}
            error={errorOf('category')}
          />
          <ChoiceField
            name="severity"
            label={t('field.severity')}
            values={INCIDENT_SEVERITIES}
            value={draft.severity}
            onChange={(v) => set('severity', v)}
            text={(v) => t(`severity.${v}`)}
            optionClass={(v) => `severity-${v}`}
            error={errorOf('severity')}
          />
        </div>
        <div className="form-grid">
          <div className="form-column">
            <TextField
              name="title"
              label={t('field.title')}
              value={draft.title}
              onChange={(v) => set('title', v)}
              error={errorOf('title')}
              required
            />
            <TextField
              name="description"
              label={t('field.description')}
              value={draft.description}
              onChange={(v) => set('description', v)}
              error={errorOf('description')}
              multiline
              rows={3}
            />
            <TextField
              name="location"
              label={t('field.location')}
              value={draft.location}
              onChange={(v) => set('location', v)}
              error={errorOf('location')}
            />
          </div>
          <div className="form-column">
            <TextField
              name="peopleInvolved"
              label={t('field.peopleInvolved')}
              value={draft.people}
              onChange={(v) => set('people', v)}
              error={errorOf('peopleInvolved')}
              multiline
              rows={2}
              hint={t('fieldHint.peopleInvolved')}
            />
            <div className="field-row">
              <TextField
                name="occurredAt"
                label={t('field.occurredAt')}
                type="datetime-local"
                value={draft.occurredAt}
                onChange={(v) => set('occurredAt', v)}
                error={errorOf('occurredAt')}
                required
              />
              <TextField
                name="unit"
                label={t('field.unit')}
                value={draft.unit}
                onChange={(v) => set('unit', v)}
                error={errorOf('unit')}
                required
              />
            </div>
            <TextField
              name="reportedBy"
              label={t('field.reportedBy')}
              value={draft.reportedBy}
              onChange={(v) => set('reportedBy', v)}
              error={errorOf('reportedBy')}
              required
              hint={t('fieldHint.reportedBy')}
            />
          </div>
        </div>
        {confirmingDiscard ? (
          <div className="discard-confirm" role="group" aria-labelledby="discard-question">
            <p id="discard-question">{t('form.discardQuestion')}</p>
            <button type="button" ref={keepEditingRef} className="primary" onClick={keepEditing}>
              {t('form.keepEditing')} <kbd>Esc</kbd>
            </button>
            <button type="button" className="danger" onClick={props.onCancel}>
              {t('form.discard')}
            </button>
          </div>
        ) : (
          <div className="form-actions">
            <button type="submit" className="primary" disabled={saving} aria-keyshortcuts="Control+Enter">
              {saving ? t('form.saving') : t('form.submit')} <kbd aria-hidden="true">Ctrl+Enter</kbd>
            </button>
            <button
              type="button"
              onClick={() => {
                if (isDirty(draft, initial)) setConfirmingDiscard(true);
                else props.onCancel();
              }}
            >
              {t('form.cancel')} <kbd aria-hidden="true">Esc</kbd>
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
