/**
 * The outage ledger of the period: start and end, lines and units, root cause, probe
 * evidence, guard reports, the carrier ticket and notes. Outages the carrier has not
 * answered within N hours are marked.
 */
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LedgerRow, PeriodReport } from '../../../src-shared/figures-report.ts';
import { formatDuration, formatTime } from './model/format.ts';
import { TicketForm } from './TicketForm.tsx';

export function LedgerTable(props: { report: PeriodReport; canEdit: boolean; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
  const { report } = props;
  const lineName = new Map(report.lines.map((l) => [l.lineId, l.name]));
  const unitName = new Map(report.units.map((u) => [u.unit, u.name]));
  const time = (ms: number | null | undefined) => formatTime(ms, i18n.language);
  if (report.outages.length === 0) return <p className="report-empty">{t('ledger.none')}</p>;

  const ticketCell = (row: LedgerRow) =>
    row.ticket ? (
      <>
        <strong>{row.ticket.ticketRef || '–'}</strong> · {t(`reports.term.ticketStatus.${row.ticket.status}`)}
        <br />
        {t('ledger.reported')}: {time(row.ticket.reportedAt)}
        <br />
        {t('ledger.acknowledged')}: {time(row.ticket.acknowledgedAt)}
        <br />
        {t('ledger.restored')}: {time(row.ticket.restoredAt)}
      </>
    ) : (
      t('ledger.noTicket')
    );

  return (
    <table className="report-table ledger-table" data-testid="ledger-table">
      <thead>
        <tr>
          <th scope="col">{t('ledger.when')}</th>
          <th scope="col">{t('ledger.lines')}</th>
          <th scope="col">{t('ledger.cause')}</th>
          <th scope="col">{t('ledger.evidence')}</th>
          <th scope="col">{t('ledger.ticket.title')}</th>
          <th scope="col">{t('ledger.response')}</th>
          <th scope="col">{t('ledger.reportsAndNotes')}</th>
        </tr>
      </thead>
      <tbody>
        {report.outages.map((row) => {
          const o = row.outage;
          const flagged = row.carrierResponse === 'overdue' || row.carrierResponse === 'late';
          return (
            <Fragment key={o.id}>
              <tr className={flagged ? 'ledger-flagged' : undefined} data-outage={o.id}>
                <td>
                  {time(o.openedAt)} – {o.status === 'open' ? t('ledger.ongoing') : time(o.resolvedAt)}
                  <br />
                  <small>
                    {t(`reports.term.status.${o.status}`)} · {formatDuration(row.inPeriodMs)}
                  </small>
                </td>
                <td>
                  {o.lineIds.map((id) => lineName.get(id) ?? id).join(', ')}
                  <br />
                  <small>{row.units.map((u) => unitName.get(u) || '–').join(', ')}</small>
                </td>
                <td>
                  {t(`reports.term.cause.${o.cause}`)}
                  {o.trunk && (
                    <>
                      <br />
                      <small>
                        {t('ledger.trunk')}: {lineName.get(o.trunk) ?? o.trunk}
                      </small>
                    </>
                  )}
                </td>
                <td>
                  {t('ledger.failedProbes', { count: row.probes.failedProbes })}
                  <br />
                  <small>
                    {t('ledger.firstFailure')}: {time(row.probes.firstFailureAt)}
                    <br />
                    {t('ledger.lastSuccess')}: {time(row.probes.lastSuccessAt)}
                  </small>
                </td>
                <td>
                  {ticketCell(row)}
                  {props.canEdit && editing !== o.id && (
                    <>
                      <br />
                      <button type="button" className="no-print" onClick={() => setEditing(o.id)}>
                        {t('ledger.ticket.edit')}
                      </button>
                    </>
                  )}
                </td>
                <td className={flagged ? 'report-overdue' : undefined}>
                  {t(`reports.term.carrierResponse.${row.carrierResponse}`)}
                </td>
                <td>
                  {row.reports.map((r) => (
                    <div key={r.reportId}>
                      {time(r.at)} {r.reporter}: {t(`reports.term.problem.${r.problem}`)}
                      {r.text ? ` – ${r.text}` : ''}
                    </div>
                  ))}
                  {row.notes.map((n, i) => (
                    <div key={i}>
                      {time(n.at)} {n.by}: {n.text}
                    </div>
                  ))}
                </td>
              </tr>
              {editing === o.id && (
                <tr>
                  <td colSpan={7}>
                    <TicketForm
                      row={row}
                      onCancel={() => setEditing(null)}
                      onSaved={() => {
                        setEditing(null);
                        props.onChanged();
                      }}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
