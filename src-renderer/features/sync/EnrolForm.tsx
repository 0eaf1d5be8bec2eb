/**
 * Joining this console to a facility: the tracker's address and a one-time code from
 * HQ. The core validates; its answer is shown beside the field it is about, and focus
 * goes there, so the form works from the keyboard alone.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../src-shared/sync.ts';
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
  const trackerUrlInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const labelInput = useRef<HTMLInputElement>(null);
  const configured = status.state !== 'not_configured';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const chosenLabel = label.trim() || props.defaultLabel;
    const result = await api.call('sync.enroll', {
      trackerUrl: trackerUrl.trim(),
      code: code.trim(),
      ...(chosenLabel ? { label: chosenLabel } : {}),
    });
    setBusy(false);
    if (result.ok) {
      setErrors(NO_ERRORS);
      setCode('');
      toasts.info(t('sync.enrol.done', { facility: result.value.facility ?? '' }));
      return;
    }
    const next = enrolErrors(result.error);
    setErrors(next);
    const inputs: Record<EnrolField, HTMLInputElement | null> = {
      trackerUrl: trackerUrlInput.current,
      code: codeInput.current,
      label: labelInput.current,
    };
    const field = firstInvalid(next);
    if (field) inputs[field]?.focus();
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
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('sync.enrol.submitting') : t('sync.enrol.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
