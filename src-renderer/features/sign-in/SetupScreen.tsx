/**
 * First run: nobody is on this console's roster. A new facility's first console makes
 * whoever sets it up its first admin (staff number, name, PIN twice); a console joining
 * an existing facility enrols with the tracker instead (the sync feature's panel, beside
 * it) and its roster arrives by sync, which turns this screen into the sign-in screen.
 * The core refuses a first admin once anyone is on the roster, and on an enrolled
 * console until the roster has arrived; both refusals are said in words here.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext.tsx';
import { SyncEnrolPanel } from '../sync/index.ts';
import { useAuth } from './auth-context.tsx';
import { GateField } from './GateField.tsx';
import { setupProblem } from './model/setup-form.ts';
import { signInProblem, type SignInField, type SignInProblem } from './model/sign-in-error.ts';

export function SetupScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const auth = useAuth();
  const [form, setForm] = useState({ staffNumber: '', name: '', pin: '', pinRepeat: '' });
  const [problem, setProblem] = useState<SignInProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const numberRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);

  useEffect(() => numberRef.current?.focus(), []);

  /** The unit names this console when it enrols (its suggested label). */
  const [unit, setUnit] = useState('');
  useEffect(() => {
    let live = true;
    void api.call('system.info', {}).then((result) => {
      if (live && result.ok) setUnit(result.value.unit);
    });
    return () => {
      live = false;
    };
  }, [api]);

  const set = (field: SignInField) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  function refuse(next: SignInProblem) {
    setProblem(next);
    if (next.field === 'pin' || next.field === 'pinRepeat') setForm((f) => ({ ...f, pin: '', pinRepeat: '' }));
    // A mismatch clears both PINs, so typing starts again at the first.
    const target = { staffNumber: numberRef, name: nameRef, pin: pinRef, pinRepeat: pinRef };
    target[next.field ?? 'staffNumber'].current?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const local = setupProblem(form);
    if (local) return refuse(local);
    setBusy(true);
    const result = await api.call('auth.bootstrapAdmin', {
      staffNumber: form.staffNumber,
      name: form.name,
      pin: form.pin,
    });
    setBusy(false);
    if (result.ok) auth.accept(result.value);
    else refuse(signInProblem(result.error, Date.now()));
  }

  const errorText = problem ? t(problem.key, problem.values ?? {}) : null;
  const fieldError = (field: SignInField) => (problem?.field === field ? errorText : null);
  return (
    <section className="gate-screen gate-setup" aria-labelledby="gate-heading">
      <form className="gate-card" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <h1 id="gate-heading">{t('signIn.setupHeading')}</h1>
        <p className="gate-lead">{t('signIn.setupLead')}</p>
        <GateField
          id="setup-staff-number"
          kind="staffNumber"
          label={t('signIn.staffNumber')}
          value={form.staffNumber}
          onChange={set('staffNumber')}
          error={fieldError('staffNumber')}
          inputRef={numberRef}
        />
        <GateField
          id="setup-name"
          kind="name"
          label={t('signIn.name')}
          value={form.name}
          onChange={set('name')}
          error={fieldError('name')}
          inputRef={nameRef}
        />
        <GateField
          id="setup-pin"
          kind="pin"
          label={t('signIn.newPin')}
          hint={t('signIn.pinHint')}
          value={form.pin}
          onChange={set('pin')}
          error={fieldError('pin')}
          inputRef={pinRef}
        />
        <GateField
          id="setup-pin-repeat"
          kind="pin"
          label={t('signIn.repeatPin')}
          value={form.pinRepeat}
          onChange={set('pinRepeat')}
          error={fieldError('pinRepeat')}
          inputRef={repeatRef}
        />
        {problem && problem.field === null && (
          <p className="gate-error" role="alert">
            <span aria-hidden="true">⚠ </span>
            {errorText}
          </p>
        )}
        <p className="visually-hidden" aria-live="assertive">
          {problem && problem.field !== null ? errorText : ''}
        </p>
        <div className="gate-actions">
          <button type="submit" className="primary gate-submit" disabled={busy}>
            {busy ? t('signIn.creating') : t('signIn.createAdmin')} <kbd aria-hidden="true">Enter</kbd>
          </button>
        </div>
      </form>
      <div className="gate-card gate-join">
        <SyncEnrolPanel unit={unit} />
      </div>
    </section>
  );
}
