/** A supervisor records the carrier's ticket: reference, status and the times the carrier answered. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CARRIER_TICKET_STATUSES, type CarrierTicketStatus } from '../../../src-shared/carrier-ticket.ts';
import type { LedgerRow } from '../../../src-shared/figures-report.ts';
import type { ApiError } from '../../../src-shared/errors.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { fromLocalInput, localInputValue } from './model/format.ts';

export function TicketForm(props: { row: LedgerRow; onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const ticket = props.row.ticket;
  const [ref, setRef] = useState(ticket?.ticketRef ?? '');
  const [status, setStatus] = useState<CarrierTicketStatus>(ticket?.status ?? 'reported');
  const [reportedAt, setReportedAt] = useState(() => localInputValue(ticket?.reportedAt ?? Date.now()));
  const [acknowledgedAt, setAcknowledgedAt] = useState(localInputValue(ticket?.acknowledgedAt ?? null));
  const [restoredAt, setRestoredAt] = useState(localInputValue(ticket?.restoredAt ?? null));
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const id = props.row.outage.id;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await api.call('ledger.setCarrierTicket', {
      outageId: id,
      ticketRef: ref,
      status,
      reportedAt: fromLocalInput(reportedAt),
      acknowledgedAt: fromLocalInput(acknowledgedAt),
      restoredAt: fromLocalInput(restoredAt),
      note,
    });
    if (result.ok) props.onSaved();
    else setError(result.error);
  }

  const fieldError = (field: string) => {
    const issue = error?.issues?.find((i) => i.field === field) ?? (error?.field === field ? error : null);
    return issue ? (
      <span className="ticket-error">{t('ledger.ticket.invalid', { field: t(`ledger.ticket.${field}`) })}</span>
    ) : null;
  };

  return (
    <form className="ticket-form no-print" onSubmit={(e) => void submit(e)} aria-label={t('ledger.ticket.title')}>
      <label>
        {t('ledger.ticket.ticketRef')}
        <input value={ref} maxLength={120} onChange={(e) => setRef(e.target.value)} />
      </label>
      <label>
        {t('ledger.ticket.status')}
        <select value={status} onChange={(e) => setStatus(e.target.value as CarrierTicketStatus)}>
          {CARRIER_TICKET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`reports.term.ticketStatus.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('ledger.ticket.reportedAt')}
        <input type="datetime-local" value={reportedAt} onChange={(e) => setReportedAt(e.target.value)} />
        {fieldError('reportedAt')}
      </label>
      <label>
        {t('ledger.ticket.acknowledgedAt')}
        <input type="datetime-local" value={acknowledgedAt} onChange={(e) => setAcknowledgedAt(e.target.value)} />
        {fieldError('acknowledgedAt')}
      </label>
      <label>
        {t('ledger.ticket.restoredAt')}
        <input type="datetime-local" value={restoredAt} onChange={(e) => setRestoredAt(e.target.value)} />
        {fieldError('restoredAt')}
      </label>
      <label className="ticket-note">
        {t('ledger.ticket.note')}
        <textarea value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error && !error.issues?.length && !error.field && (
        <p role="alert" className="ticket-error">
          {t(`error.${error.code}`)}
        </p>
      )}
      <div className="ticket-actions">
        <button type="submit">{t('ledger.ticket.save')}</button>
        <button type="button" onClick={props.onCancel}>
          {t('ledger.ticket.cancel')}
        </button>
      </div>
    </form>
  );
}
