/** The Synk page's first section: the state in words, what it means, the facts behind it, "Försök nu". */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SystemInfo } from '../../../src-shared/api.ts';
import type { SyncStatus } from '../../../src-shared/sync.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { explanation, progressText, reasonText, render, stateIcon, stateLabel, stateTone } from './model/sync-text.ts';
import { driftDetail, relativeTime } from './model/time-text.ts';
import { useNow } from './use-now.ts';

const TICK_MS = 5_000;

export function SyncOverview(props: { status: SyncStatus; info: SystemInfo | null }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const now = useNow(TICK_MS);
  const [retrying, setRetrying] = useState(false);
  const { status, info } = props;
  const lng = i18n.language;
  const dateTime = (at: number) => new Date(at).toLocaleString(lng);
  const showReason = status.reason !== null && (status.state === 'offline' || status.state === 'error');

  async function retry() {
    setRetrying(true);
    const result = await api.call('sync.retryNow', {});
    setRetrying(false);
    if (result.ok) toasts.info(t('sync.page.retrying'));
    else toasts.apiError(result.error);
  }

  return (
    <section className="sync-section" aria-labelledby="sync-state-heading">
      <h2 id="sync-state-heading">{t('sync.page.stateHeading')}</h2>
      <p className={`sync-state-line sync-tone-${stateTone(status.state)}`} data-testid="sync-page-state">
        <span aria-hidden="true">{stateIcon(status.state)} </span>
        <strong>{render(t, stateLabel(status.state))}</strong>
        {status.progress && <span> – {render(t, progressText(status.progress))}</span>}
      </p>
      <p className="sync-explain">{render(t, explanation(status.state))}</p>
      {showReason && status.reason && (
        <p className="sync-reason">
          {t('sync.page.reason')}: {render(t, reasonText(status.reason))}{' '}
          <span className="muted">({status.reason.detail})</span>
        </p>
      )}
      <dl className="sync-facts">
        <dt>{t('sync.page.trackerUrl')}</dt>
        <dd>{status.trackerUrl ?? t('sync.page.none')}</dd>
        <dt>{t('sync.page.facility')}</dt>
        <dd>{status.facility ?? t('sync.page.none')}</dd>
        <dt>{t('sync.page.device')}</dt>
        <dd>
          {info ? (
            <>
              {info.unit} · <code>{info.deviceId}</code>
            </>
          ) : (
            t('sync.page.none')
          )}
        </dd>
        <dt>{t('sync.page.pending')}</dt>
        <dd data-testid="sync-page-pending">{t('sync.page.events', { count: status.pending })}</dd>
        <dt>{t('sync.page.quarantined')}</dt>
        <dd>{t('sync.page.events', { count: status.quarantined })}</dd>
        <dt>{t('sync.page.lastSuccess')}</dt>
        <dd>
          {status.lastSuccessAt === null
            ? t('sync.page.never')
            : `${relativeTime(status.lastSuccessAt, now, lng)} (${dateTime(status.lastSuccessAt)})`}
        </dd>
        <dt>{t('sync.page.drift')}</dt>
        <dd className={status.driftFlagged ? 'sync-drift-flagged' : undefined}>
          {status.driftFlagged && <span aria-hidden="true">◷ </span>}
          {status.driftMs === null ? t('sync.page.unknown') : render(t, driftDetail(status.driftMs))}
          {status.driftFlagged && <> {t('sync.page.driftAdvice')}</>}
        </dd>
        {status.nextAttemptAt !== null && (
          <>
            <dt>{t('sync.page.nextAttempt')}</dt>
            <dd>{relativeTime(status.nextAttemptAt, now, lng)}</dd>
          </>
        )}
      </dl>
      <button
        type="button"
        onClick={() => void retry()}
        disabled={status.state === 'not_configured' || retrying}
        aria-describedby="sync-retry-hint"
      >
        {t('sync.page.retry')}
      </button>
      <p id="sync-retry-hint" className="muted sync-hint">
        {t('sync.page.retryHint')}
      </p>
    </section>
  );
}
