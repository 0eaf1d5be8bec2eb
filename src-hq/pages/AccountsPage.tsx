/** HQ admins list HQ accounts and create new ones (viewer or admin). */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HqAccount } from '../../src-shared/hq-wire.ts';
import { HQ_ROLES } from '../../src-shared/hq-wire.ts';
import { useLocalTime } from '../../src-renderer/features/incidents/use-local-time.ts';
import { HqApiError, hqApi } from '../api.ts';
import { useHqData, useNow } from '../use-hq-data.ts';

export function AccountsPage() {
  const { t } = useTranslation();
  const localTime = useLocalTime();
  const now = useNow();
  const { data, error, reload } = useHqData<{ accounts: HqAccount[] }>('/v1/hq/accounts', { live: false });
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    try {
      const { account } = await hqApi.post<{ account: HqAccount }>('/v1/hq/accounts', {
        name: String(form.get('name')),
        password: String(form.get('password')),
        role: String(form.get('role')),
      });
      setMessage(t('hq.accounts.created', { name: account.name }));
      formElement.reset();
      reload();
    } catch (failure) {
      setMessage(
        failure instanceof HqApiError && failure.field
          ? `${t('hq.error.field', { field: failure.field })}: ${failure.message}`
          : String(failure instanceof Error ? failure.message : failure),
      );
    }
  };
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('hq.accounts.title')}</h1>
      <form className="hq-filters" onSubmit={(e) => void submit(e)}>
        <label>
          {t('hq.signIn.name')}
          <input name="name" required maxLength={80} autoComplete="off" />
        </label>
        <label>
          {t('hq.setup.password')}
          <input name="password" type="password" required minLength={12} autoComplete="new-password" />
        </label>
        <label>
          {t('hq.accounts.role')}
          <select name="role" defaultValue="viewer">
            {HQ_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`hq.role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t('hq.accounts.create')}
        </button>
      </form>
      {message && <p role="status">{message}</p>}
      {error && <p role="alert">{error}</p>}
      {data && (
        <table className="hq-table">
          <caption className="visually-hidden">{t('hq.accounts.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('hq.signIn.name')}</th>
              <th scope="col">{t('hq.accounts.role')}</th>
              <th scope="col">{t('hq.accounts.createdAt')}</th>
              <th scope="col">{t('field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {data.accounts.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.name}</th>
                <td>{t(`hq.role.${a.role}`)}</td>
                <td>{localTime(a.createdAt)}</td>
                <td>
                  {a.lockedUntil !== null && a.lockedUntil > now
                    ? t('hq.accounts.lockedUntil', { time: localTime(a.lockedUntil) })
                    : t('hq.accounts.ok')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
