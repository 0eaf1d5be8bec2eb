/**
 * Sign-in with staff number and PIN, keyboard first: the number field (or the PIN,
 * when the lock screen already knows who) has focus, Enter submits, a refusal clears
 * the PIN and says why in words. The same screen serves the lock screen and the quick
 * user switch, where Esc goes back to the session that still holds.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Pin, StaffNumber } from '../../../src-shared/staff.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useAuth } from './auth-context.tsx';
import { GateField } from './GateField.tsx';
import { signInProblem, type SignInProblem } from './model/sign-in-error.ts';
import type { Gate } from './model/gate.ts';
import { useWindowKeydown } from '../../app/use-window-keydown.ts';

type Mode = Extract<Gate, { kind: 'sign-in' | 'locked' | 'switch' }>;

export function SignInScreen(props: { mode: Mode }) {
  const { mode } = props;
  const { t } = useTranslation();
  const api = useApi();
  const auth = useAuth();
  const [staffNumber, setStaffNumber] = useState(mode.kind === 'locked' ? mode.staffNumber : '');
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<SignInProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const numberRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const prefilled = mode.kind === 'locked';

  useEffect(() => {
    (prefilled ? pinRef : numberRef).current?.focus();
  }, [prefilled]);

  const cancelSwitch = auth.cancelSwitch;
  useWindowKeydown(
    mode.kind === 'switch'
      ? (event) => {
          if (event.key === 'Escape' && !event.defaultPrevented) {
            event.preventDefault();
            cancelSwitch();
          }
        }
      : null,
  );

  function refuse(next: SignInProblem) {
    setProblem(next);
    setPin('');
    (next.field === 'staffNumber' ? numberRef : pinRef).current?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!StaffNumber.safeParse(staffNumber).success) {
      return refuse({
        key: staffNumber.trim() ? 'signIn.error.staffNumberFormat' : 'signIn.error.staffNumberRequired',
        field: 'staffNumber',
      });
    }
    if (!Pin.safeParse(pin).success) return refuse({ key: 'signIn.error.pinFormat', field: 'pin' });
    setBusy(true);
    setProblem(null);
    const result = await api.call('auth.signIn', { staffNumber, pin });
    setBusy(false);
    if (result.ok) auth.accept(result.value);
    else refuse(signInProblem(result.error, Date.now()));
  }

  const otherUser = () => {
    setStaffNumber('');
    setPin('');
    setProblem(null);
    numberRef.current?.focus();
  };

  const heading =
    mode.kind === 'locked'
      ? t('signIn.lockedHeading')
      : mode.kind === 'switch'
        ? t('signIn.switchHeading')
        : t('signIn.heading');
  const errorText = problem ? t(problem.key, problem.values ?? {}) : null;
  return (
    <section className="gate-screen" aria-labelledby="gate-heading">
      <form className="gate-card" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <h1 id="gate-heading">{heading}</h1>
        {mode.kind === 'locked' && <p className="gate-lead">{t('signIn.lockedBy', { name: mode.name })}</p>}
        {mode.kind === 'switch' && <p className="gate-lead">{t('signIn.switchLead', { name: mode.from.name })}</p>}
        <GateField
          id="signin-staff-number"
          kind="staffNumber"
          label={t('signIn.staffNumber')}
          value={staffNumber}
          onChange={setStaffNumber}
          error={problem?.field === 'staffNumber' ? errorText : null}
          inputRef={numberRef}
        />
        <GateField
          id="signin-pin"
          kind="pin"
          label={t('signIn.pin')}
          value={pin}
          onChange={setPin}
          error={problem?.field === 'pin' ? errorText : null}
          inputRef={pinRef}
        />
        {problem && problem.field === null && (
          <p className="gate-error" role="alert">
            <span aria-hidden="true">⚠ </span>
            {errorText}
          </p>
        )}
        {/* Field errors are announced here too: focus moves to the field, the reason must be heard. */}
        <p className="visually-hidden" aria-live="assertive">
          {problem && problem.field !== null ? errorText : ''}
        </p>
        <div className="gate-actions">
          <button type="submit" className="primary gate-submit" disabled={busy}>
            {busy ? t('signIn.signingIn') : t('signIn.submit')} <kbd aria-hidden="true">Enter</kbd>
          </button>
          {mode.kind === 'locked' && (
            <button type="button" onClick={otherUser}>
              {t('signIn.otherUser')}
            </button>
          )}
          {mode.kind === 'switch' && (
            <button type="button" onClick={auth.cancelSwitch} aria-keyshortcuts="Escape">
              {t('signIn.cancelSwitch', { name: mode.from.name })} <kbd aria-hidden="true">Esc</kbd>
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
