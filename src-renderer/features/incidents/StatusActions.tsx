/** Only the legal next statuses are offered, straight from the shared state machine. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STATUS_TRANSITIONS, type Incident, type IncidentStatus } from '../../../src-shared/incident.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';

export function StatusActions(props: { incident: Incident; onChanged: (incident: Incident) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const next = STATUS_TRANSITIONS[props.incident.status];

  async function change(to: IncidentStatus) {
    if (busy) return;
    setBusy(true);
    const trimmed = reason.trim();
    const result = await api.call('incidents.setStatus', {
      id: props.incident.id,
      to,
      ...(trimmed ? { reason: trimmed } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      toasts.apiError(result.error);
      return;
    }
    setReason('');
    toasts.info(t('detail.statusChanged', { status: t(`status.${result.value.status}`) }));
    props.onChanged(result.value);
  }

  if (next.length === 0) return <p className="status-final">{t('detail.noNextStatus')}</p>;
  return (
    <div className="status-actions" role="group" aria-labelledby="status-actions-heading">
      <h2 id="status-actions-heading">{t('detail.changeStatus')}</h2>
      <div className="field">
        <label htmlFor="status-reason">{t('detail.reason')}</label>
        <input id="status-reason" value={reason} autoComplete="off" onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="status-buttons">
        {next.map((to) => (
          <button
            key={to}
            type="button"
            className={`status-action status-${to}`}
            disabled={busy}
            onClick={() => void change(to)}
          >
            {t(`statusAction.${to}`)}
          </button>
        ))}
      </div>
    </div>
  );
}
