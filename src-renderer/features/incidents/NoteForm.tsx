/** Adding a note: a textarea, Ctrl+Enter to save, cleared only once the core has it. */
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../src-shared/incident.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { FieldError, describedBy } from './form-fields.tsx';
import { toFieldErrors, type FieldErrorKind } from './model/field-errors.ts';

export function NoteForm(props: {
  incidentId: string;
  draft: string;
  onDraft: (text: string) => void;
  onAdded: (incident: Incident) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FieldErrorKind | undefined>();

  async function add() {
    if (busy) return;
    setBusy(true);
    const result = await api.call('incidents.addNote', { id: props.incidentId, text: props.draft });
    setBusy(false);
    if (result.ok) {
      setError(undefined);
      props.onDraft('');
      toasts.info(t('detail.noteAdded'));
      props.onAdded(result.value);
      return;
    }
    const kind = toFieldErrors(result.error).text;
    setError(kind);
    if (!kind) toasts.apiError(result.error);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void add();
    }
  }

  return (
    <form
      className="note-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <div className={`field${error ? ' invalid' : ''}`}>
        <label htmlFor="note-text">{t('detail.noteLabel')}</label>
        <textarea
          id="note-text"
          rows={3}
          value={props.draft}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(error && 'note-text-error')}
          onChange={(e) => props.onDraft(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <FieldError id="note-text-error" kind={error} />
      </div>
      <button type="submit" disabled={busy} aria-keyshortcuts="Control+Enter">
        {t('detail.addNote')} <kbd aria-hidden="true">Ctrl+Enter</kbd>
      </button>
    </form>
  );
}
