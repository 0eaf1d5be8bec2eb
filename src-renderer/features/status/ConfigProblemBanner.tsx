/**
 * For administrators: the facility config file was edited and the edit was refused. The
 * last good config keeps running, so the lines are still monitored, but what the admin
 * meant to change is not in force, and only the terminal and `config.status` said so.
 * Shown on every page until a good edit is loaded (the core pushes `config.changed`).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigStatus } from '../../../src-shared/telephony.ts';
import type { Role } from '../../../src-shared/staff.ts';
import { useApi, useOnReconnect, usePushEvent } from '../../api/ApiContext.tsx';
import './status.css';

export function ConfigProblemBanner(props: { role: Role | null }) {
  const { t } = useTranslation();
  const api = useApi();
  const isAdmin = props.role === 'admin';
  const [status, setStatus] = useState<ConfigStatus | null>(null);

  const load = useCallback(() => {
    if (!isAdmin) return;
    void api.call('config.status', {}).then((result) => {
      if (result.ok) setStatus(result.value);
    });
  }, [api, isAdmin]);
  useEffect(load, [load]);
  useOnReconnect(load);
  usePushEvent('config.changed', (next) => setStatus(next));

  const issue = status?.error;
  if (!isAdmin || !status || status.ok || !issue) return null;
  return (
    <section
      className="config-problem"
      role="alert"
      aria-labelledby="config-problem-heading"
      data-testid="config-problem"
    >
      <h2 id="config-problem-heading">
        <span aria-hidden="true">⚠ </span>
        {t('status.configProblem.heading')}
      </h2>
      <p>
        <code>{issue.file}</code> · <code>{issue.path}</code>: {issue.message}.{' '}
        {t(status.loadedAt === null ? 'status.configProblem.noneInForce' : 'status.configProblem.lastGood')}
      </p>
    </section>
  );
}
