/**
 * Joining this console to a facility: the tracker's address and a one-time code from
 * HQ. The core validates; its answer is shown beside the field it is about, and focus
 * goes there, so the form works from the keyboard alone.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../src-shared/errors.ts';
import type { SyncPreview, SyncStatus } from '../../../src-shared/sync.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { enrolErrors, firstInvalid, type EnrolErrors, type EnrolField } from './model/enrol-errors.ts';
import { SyncField } from './SyncField.tsx';

const NO_ERRORS: EnrolErrors = { fields: {}, form: null };

export function EnrolForm(props: { status: SyncStatus; allowed: boolean; defaultLabel: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const { status } = props;
  const [trackerUrl, setTrackerUrl] = useState(status.trackerUrl ?? '');
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<EnrolErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [mismatch, setMismatch] = useState<SyncPreview | null>(null);
  const trackerUrlInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const labelInput = useRef<HTMLInputElement>(null);
  const configured = status.state !== 'not_configured';

  function refused(error: ApiError) {
    const next = enrolErrors(error);
    setErrors(next);
    const inputs: Record<EnrolField, HTMLInputElement | null> = {
      trackerUrl: trackerUrlInput.current,
      code: codeInput.current,
      label: labelInput.current,
    };
    const field = firstInvalid(next);
    if (field) inputs[field]?.focus();
  }

  async function enrol(adoptFacility: boolean) {
    setBusy(true);
    const chosenLabel = label.trim() || props.defaultLabel;
    const result = await api.call('sync.enroll', {
      trackerUrl: trackerUrl.trim(),
      code: code.trim(),
      ...(chosenLabel ? { label: chosenLabel } : {}),
      ...(adoptFacility ? { adoptFacility } : {}),
    });
    setBusy(false);
    setMismatch(null);
    if (result.ok) {
      setErrors(NO_ERRORS);
      setCode('');
      toasts.info(t('sync.enrol.done', { facility: result.value.facility ?? '' }));
      return;
    }
    refused(result.error);
  }

  /** Issue 15: see which facility the code joins first; a different one is the person's call. */
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const seen = await api.call('sync.previewEnrolment', { trackerUrl: trackerUrl.trim(), code: code.trim() });
    setBusy(false);
    if (!seen.ok) return refused(seen.error);
    if (!seen.value.matches) {
      setErrors(NO_ERRORS);
      setMismatch(seen.value);
      return;
    }
    await enrol(false);
  }

  return (
    <section className="sync-section" aria-labelledby="sync-enrol-heading">
      <h2 id="sync-enrol-heading">{t(configured ? 'sync.enrol.headingAgain' : 'sync.enrol.heading')}</h2>
      {!props.allowed ? (
        <p className="sync-hint">{t('sync.enrol.adminOnly')}</p>
      ) : (
        <form className="sync-enrol" noValidate onSubmit={(e) => void submit(e)}>
          <p className="sync-hint">{t(configured ? 'sync.enrol.introAgain' : 'sync.enrol.intro')}</p>
          <SyncField
            name="trackerUrl"
            ref={trackerUrlInput}
            label={t('sync.enrol.trackerUrl')}
            hint={t('sync.enrol.trackerUrlHint')}
            value={trackerUrl}
            onChange={setTrackerUrl}
            error={errors.fields.trackerUrl}
            type="url"
            required
          />
          <SyncField
            name="code"
            ref={codeInput}
            label={t('sync.enrol.code')}
            hint={t('sync.enrol.codeHint')}
            value={code}
            onChange={setCode}
            error={errors.fields.code}
            required
          />
          <SyncField
            name="label"
            ref={labelInput}
            label={t('sync.enrol.label')}
            hint={t('sync.enrol.labelHint', { unit: props.defaultLabel })}
            value={label}
            onChange={setLabel}
            error={errors.fields.label}
          />
          {errors.form && (
            <p className="sync-form-error" role="alert">
              <span aria-hidden="true">⚠ </span>
              {t(`error.${errors.form}`)}
            </p>
          )}
          {mismatch ? (
            <div className="sync-mismatch" role="alertdialog" aria-labelledby="sync-mismatch-text">
              <p id="sync-mismatch-text">
                {t('sync.enrol.mismatch', {
                  console: `${mismatch.console.name} (${mismatch.console.id})`,
                  tracker: `${mismatch.tracker.name} (${mismatch.tracker.id})`,
                })}
              </p>
              <button type="button" className="primary" disabled={busy} onClick={() => void enrol(true)} autoFocus>
                {t('sync.enrol.adopt', { tracker: mismatch.tracker.name })}
              </button>{' '}
              <button type="button" onClick={() => setMismatch(null)}>
                {t('sync.enrol.cancelAdopt')}
              </button>
            </div>
          ) : (
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t('sync.enrol.submitting') : t('sync.enrol.submit')}
            </button>
          )}
        </form>
      )}
    </section>
  );
}
