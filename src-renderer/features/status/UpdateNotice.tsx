/**
 * Issue 15: the Electron console's own update, on every page and also on a locked
 * console (whoever stands at it should know it restarts into a new version): downloaded
 * and installing at the next restart, held while an alarm stands, being downloaded, or
 * failed with the reason. Nothing is shown when there is nothing to say (and on the
 * browser host, which installs nothing itself; its Synk page says a version is offered).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NO_CONSOLE_UPDATE, type ConsoleUpdate } from '../../../src-shared/sync.ts';
import { useApi, useOnReconnect, usePushEvent } from '../../api/ApiContext.tsx';
import './status.css';

export function UpdateNotice() {
  const api = useApi();
  const [update, setUpdate] = useState<ConsoleUpdate>(NO_CONSOLE_UPDATE);
  const load = useCallback(() => {
    void api.call('update.status', {}).then((result) => {
      if (result.ok) setUpdate(result.value);
    });
  }, [api]);
  useEffect(load, [load]);
  useOnReconnect(load);
  usePushEvent('update.changed', setUpdate);
  return <UpdateNoticeView update={update} />;
}

export function UpdateNoticeView({ update }: { update: ConsoleUpdate }) {
  const { t } = useTranslation();
  const lines: string[] = [];
  if (update.state === 'ready' || update.state === 'held' || update.state === 'downloading') {
    lines.push(t(`status.update.${update.state}`, { version: update.version ?? '' }));
  }
  if (update.error !== null) lines.push(t('status.update.error', { error: update.error }));
  if (lines.length === 0) return null;
  const failed = update.error !== null;
  return (
    <section
      className={`update-notice${failed ? ' update-notice-failed' : ''}`}
      role={failed ? 'alert' : 'status'}
      aria-label={t('status.update.label')}
      data-testid="update-notice"
      data-state={update.state}
    >
      <span aria-hidden="true">{failed ? '⚠ ' : '⬆ '}</span>
      {lines.join(' ')}
    </section>
  );
}
