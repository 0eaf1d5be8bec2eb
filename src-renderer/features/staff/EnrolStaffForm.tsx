/** Enrol a staff member: number, name, role, units and (optionally now) a PIN. Checked before it is sent. */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../src-shared/staff.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { checkEnrol, EMPTY_ENROL, rosterErrorKey, type EnrolDraft, type EnrolErrors } from './model/staff-form.ts';
import { StaffField } from './StaffField.tsx';

export function EnrolStaffForm(props: { onEnrolled: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [draft, setDraft] = useState<EnrolDraft>(EMPTY_ENROL);
  const [errors, setErrors] = useState<EnrolErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const numberRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const unitsRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);

  const set = (field: keyof EnrolDraft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  function show(next: EnrolErrors) {
    setErrors(next);
    const first = (['staffNumber', 'name', 'units', 'pin', 'pinRepeat'] as const).find((f) => next[f]);
    const target = { staffNumber: numberRef, name: nameRef, units: unitsRef, pin: pinRef, pinRepeat: pinRef };
    if (first) target[first].current?.focus();
    if (next.pin || next.pinRepeat) setDraft((d) => ({ ...d, pin: '', pinRepeat: '' }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    const checked = checkEnrol(draft);
    if (!checked.ok) return show(checked.errors);
    setBusy(true);
    const result = await api.call('staff.enroll', checked.input);
    setBusy(false);
    if (result.ok) {
      toasts.info(t('staff.enrolled', { name: result.value.name }));
      setDraft(EMPTY_ENROL);
      setErrors({});
      numberRef.current?.focus();
      props.onEnrolled();
      return;
    }
    const refused = rosterErrorKey(result.error);
    if (refused.field) show({ [refused.field]: refused.key });
    else setFormError(refused.key);
  }

  const err = (field: keyof EnrolErrors) => (errors[field] ? t(errors[field]) : null);
  return (
    <form className="staff-enrol" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="staff-enrol-heading">
      <h2 id="staff-enrol-heading">{t('staff.enrolHeading')}</h2>
      <div className="staff-enrol-grid">
        <StaffField
          id="staff-number"
          label={t('signIn.staffNumber')}
          value={draft.staffNumber}
          onChange={set('staffNumber')}
          error={err('staffNumber')}
          inputRef={numberRef}
        />
        <StaffField
          id="staff-name"
          label={t('signIn.name')}
          value={draft.name}
          onChange={set('name')}
          error={err('name')}
          inputRef={nameRef}
        />
        <fieldset className="staff-role">
          <legend>{t('staff.roleLabel')}</legend>
          {ROLES.map((role) => (
            <label key={role}>
              <input
                type="radio"
                name="staff-role"
                value={role}
                checked={draft.role === role}
                onChange={() => setDraft((d) => ({ ...d, role: role as Role }))}
              />
              {t(`staff.role.${role}`)}
            </label>
          ))}
        </fieldset>
        <StaffField
          id="staff-units"
          label={t('staff.units')}
          hint={t('staff.unitsHint')}
          value={draft.units}
          onChange={set('units')}
          error={err('units')}
          inputRef={unitsRef}
        />
        <StaffField
          id="staff-pin"
          label={t('signIn.pin')}
          hint={t('staff.pinHint')}
          pin
          value={draft.pin}
          onChange={set('pin')}
          error={err('pin')}
          inputRef={pinRef}
        />
        <StaffField
          id="staff-pin-repeat"
          label={t('signIn.repeatPin')}
          pin
          value={draft.pinRepeat}
          onChange={set('pinRepeat')}
          error={err('pinRepeat')}
        />
      </div>
      {formError && (
        <p className="staff-form-error" role="alert">
          <span aria-hidden="true">⚠ </span>
          {t(formError)}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('staff.enrolling') : t('staff.enrol')}
      </button>
    </form>
  );
}
