/**
 * The header's sync indicator: state as icon and words, pending count, last success,
 * a clock-drift warning, the quarantine count, and a progress bar during large drains.
 * It is a button: the Synk page explains the state and offers what to do about it.
 */
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../src-shared/sync.ts';
import { indicatorText, render, showsLastSuccess, showsProgressBar, stateIcon, stateTone } from './model/sync-text.ts';
import { driftWarning, relativeTime } from './model/time-text.ts';
import { routeText, routeTone } from './model/mesh-text.ts';
import { useNow } from './use-now.ts';
import { useSyncStatus } from './use-sync-status.ts';

/** Often enough for "för 1 minut sedan" to stay true. */
const TICK_MS = 15_000;

/** `onOpen` leads to the Synk page; without it (no page to go to) the state is plain text. */
export function SyncIndicator(props: { onOpen?: () => void }) {
  const status = useSyncStatus();
  if (!status) return null;
  return <SyncIndicatorView status={status} onOpen={props.onOpen} />;
}

/** The indicator for a given status; exported so its markup can be tested without a host. */
export function SyncIndicatorView(props: { status: SyncStatus; onOpen: (() => void) | undefined }) {
  const { t, i18n } = useTranslation();
  const now = useNow(TICK_MS);
  const { status } = props;
  const text = render(t, indicatorText(status));
  const configured = status.state !== 'not_configured';
  const className = `indicator sync-state sync-tone-${stateTone(status.state)}`;
  const content = (
    <>
      <span aria-hidden="true">{stateIcon(status.state)} </span>
      {configured && <span className="visually-hidden">{t('sync.indicator.label')}: </span>}
      <span className="sync-state-text">{text}</span>
      {showsLastSuccess(status) && status.lastSuccessAt !== null && (
        <span className="sync-last-success">
          {' · '}
          {t('sync.indicator.lastSuccess', { when: relativeTime(status.lastSuccessAt, now, i18n.language) })}
        </span>
      )}
    </>
  );
  return (
    <div className="sync-indicator" data-testid="sync-indicator">
      {props.onOpen ? (
        <button type="button" className={className} onClick={props.onOpen} title={t('sync.indicator.open')}>
          {content}
        </button>
      ) : (
        <span className={className}>{content}</span>
      )}
      {status.mesh.enabled && status.mesh.route.kind !== 'tracker' && (
        <span
          className={`indicator mesh-route sync-tone-${routeTone(status.mesh.route)}`}
          data-testid="mesh-route-header"
        >
          {render(t, routeText(status.mesh.route))}
        </span>
      )}
      {showsProgressBar(status) && status.progress && <DrainProgress {...status.progress} text={text} />}
      {status.driftFlagged && status.driftMs !== null && (
        <span className="indicator sync-drift" role="status">
          <span aria-hidden="true">◷ </span>
          {render(t, driftWarning(status.driftMs))}
        </span>
      )}
      {status.quarantined > 0 && (
        <span className="indicator sync-quarantined">
          <span aria-hidden="true">⚠ </span>
          {t('sync.indicator.quarantined', { count: status.quarantined })}
        </span>
      )}
    </div>
  );
}

/** A bar with the numbers as its text, so the count is read out, not only the fill shown. */
function DrainProgress(props: { done: number; total: number; text: string }) {
  const { t } = useTranslation();
  const share = props.total > 0 ? Math.min(1, props.done / props.total) : 0;
  return (
    <div
      className="sync-progress"
      role="progressbar"
      aria-label={t('sync.progressLabel')}
      aria-valuemin={0}
      aria-valuemax={props.total}
      aria-valuenow={props.done}
      aria-valuetext={props.text}
    >
      <div className="sync-progress-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
    </div>
  );
}
