/** Set a new PIN for one staff member (they forgot theirs): typed twice, Enter sets it, Esc closes. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Pin, type StaffSummary } from '../../../src-shared/staff.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { rosterErrorKey } from './model/staff-form.ts';
import { StaffField } from './StaffField.tsx';

export function ResetPinForm(props: { staff: StaffSummary; onDone: () => void; onCancel: () => void }) {
  const { staff, onDone, onCancel } = props;
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(() => pinRef.current?.focus(), []);

  function refuse(key: string) {
    setError(key);
    setPin('');
    setRepeat('');
    pinRef.current?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!Pin.safeParse(pin).success) return refuse('staff.error.pinFormat');
    if (pin !== repeat) return refuse('staff.error.pinMismatch');
    setBusy(true);
    const result = await api.call('staff.setPin', { staffNumber: staff.staffNumber, pin });
    setBusy(false);
    if (!result.ok) return refuse(rosterErrorKey(result.error).key);
    toasts.info(t('staff.pinReset', { name: staff.name }));
    onDone();
  }

  const id = `reset-pin-${staff.staffNumber}`;
  return (
    <form
      className="staff-reset"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
      noValidate
      aria-label={t('staff.resetPinFor', { name: staff.name })}
    >
      <StaffField
        id={id}
        label={t('signIn.newPin')}
        pin
        value={pin}
        onChange={setPin}
        error={error ? t(error) : null}
        inputRef={pinRef}
      />
      <StaffField
        id={`${id}-repeat`}
        label={t('signIn.repeatPin')}
        pin
        value={repeat}
        onChange={setRepeat}
        error={null}
      />
      <button type="submit" className="primary" disabled={busy}>
        {t('staff.setPin')}
      </button>
      <button type="button" onClick={onCancel}>
        {t('staff.cancel')} <kbd aria-hidden="true">Esc</kbd>
      </button>
    </form>
  );
}
