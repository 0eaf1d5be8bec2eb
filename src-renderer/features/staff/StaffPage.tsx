/**
 * Personal (admins): the roster with each member's role, units, whether they can sign
 * in, and the two things an admin does at night: reset a forgotten PIN and deactivate
 * someone (which ends their session at once, on every console once synced). The core
 * refuses to deactivate or demote the last active admin; the page says so in words.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffSummary } from '../../../src-shared/staff.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { EnrolStaffForm } from './EnrolStaffForm.tsx';
import { rosterErrorKey } from './model/staff-form.ts';
import { ResetPinForm } from './ResetPinForm.tsx';
import { useRoster } from './use-roster.ts';
import './staff.css';

export function StaffPage() {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const { items, error, reload } = useRoster();
  const [resetting, setResetting] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function setActive(staff: StaffSummary, active: boolean) {
    setBusy(staff.staffNumber);
    const result = await api.call('staff.update', { staffNumber: staff.staffNumber, patch: { active } });
    setBusy(null);
    if (result.ok) {
      toasts.info(t(active ? 'staff.activated' : 'staff.deactivated', { name: staff.name }));
      reload();
    } else toasts.error(t(rosterErrorKey(result.error).key));
  }

  return (
    <section className="staff-page" aria-labelledby="staff-heading">
      <h1 id="staff-heading">{t('staff.heading')}</h1>
      {error && <p className="staff-form-error">{t(`error.${error.code}`)}</p>}
      {items === null && !error && <p role="status">{t('staff.loading')}</p>}
      {items !== null && (
        <table className="staff-table">
          <caption className="visually-hidden">{t('staff.tableCaption', { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('signIn.staffNumber')}</th>
              <th scope="col">{t('signIn.name')}</th>
              <th scope="col">{t('staff.roleLabel')}</th>
              <th scope="col">{t('staff.units')}</th>
              <th scope="col">{t('staff.state')}</th>
              <th scope="col">{t('staff.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((staff) => (
              <tr key={staff.staffNumber} className={staff.active ? undefined : 'staff-inactive'}>
                <td className="staff-number">{staff.staffNumber}</td>
                <td>{staff.name}</td>
                <td>{t(`staff.role.${staff.role}`)}</td>
                <td>{staff.units.length > 0 ? staff.units.join(', ') : t('staff.noUnits')}</td>
                <td>
                  {staff.active ? (
                    <span>
                      <span aria-hidden="true">● </span>
                      {t('staff.active')}
                    </span>
                  ) : (
                    <span>
                      <span aria-hidden="true">○ </span>
                      {t('staff.inactive')}
                    </span>
                  )}
                  {!staff.hasPin && (
                    <span className="staff-no-pin">
                      {' · '}
                      <span aria-hidden="true">⚠ </span>
                      {t('staff.noPin')}
                    </span>
                  )}
                </td>
                <td className="staff-actions">
                  {resetting === staff.staffNumber ? (
                    <ResetPinForm
                      staff={staff}
                      onDone={() => {
                        setResetting(null);
                        reload();
                      }}
                      onCancel={() => setResetting(null)}
                    />
                  ) : (
                    <>
                      <button
                        type="button"
                        onClick={() => setResetting(staff.staffNumber)}
                        aria-label={t('staff.resetPinFor', { name: staff.name })}
                      >
                        {t('staff.resetPin')}
                      </button>
                      <button
                        type="button"
                        className={staff.active ? 'danger' : undefined}
                        disabled={busy === staff.staffNumber}
                        onClick={() => void setActive(staff, !staff.active)}
                        aria-label={t(staff.active ? 'staff.deactivateFor' : 'staff.activateFor', { name: staff.name })}
                      >
                        {t(staff.active ? 'staff.deactivate' : 'staff.activate')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <EnrolStaffForm onEnrolled={reload} />
    </section>
  );
}
