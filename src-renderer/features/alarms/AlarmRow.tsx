/** One standing alarm: what, how bad, where, since when, which level, and who may acknowledge it. */
import { useTranslation } from 'react-i18next';
import type { Alarm } from '../../../src-shared/escalation.ts';
import { ackState, minutesSince, type Viewer } from './model/alarm-view.ts';
import { useNotified } from './use-notified.ts';

export const ACK_SHORTCUT = { keys: 'Control+Shift+K', label: 'Ctrl+Shift+K' } as const;

export interface AlarmRowProps {
  alarm: Alarm;
  viewer: Viewer | null;
  now: number;
  /** This row is what the keyboard shortcut acknowledges. */
  shortcut: boolean;
  nameOf: (staffNumber: string) => string;
  /** An acknowledgement of this alarm is on its way. */
  busy: boolean;
  /** i18n key of why the last acknowledgement was refused. */
  errorKey: string | null;
  onAcknowledge: (escalationId: string) => void;
  onOpenIncident?: (incidentId: string) => void;
}

export function AlarmRow(props: AlarmRowProps) {
  const { alarm, viewer, now, shortcut, nameOf, busy, errorKey, onOpenIncident } = props;
  const { t, i18n } = useTranslation();
  const state = ackState(alarm, viewer);
  const notified = useNotified(alarm.escalationId, state.kind === 'not-supervisor');

  const since = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }).format(alarm.since);
  const level =
    alarm.round > 1
      ? t('alarm.levelRound', { level: alarm.level, round: alarm.round })
      : t('alarm.level', { level: alarm.level });
  return (
    <li className={`alarm alarm-${alarm.severity}`} data-escalation-id={alarm.escalationId}>
      <span className="alarm-icon" aria-hidden="true">
        ⚠
      </span>
      <div className="alarm-text">
        <p className="alarm-headline">
          <strong className="alarm-word">{t('alarm.word')}</strong> <span className="alarm-title">{alarm.title}</span>
        </p>
        <p className="alarm-meta">
          {t(`severity.${alarm.severity}`)} · {alarm.unit} · {level} ·{' '}
          {t('alarm.since', { time: since, count: minutesSince(alarm.since, now) })}
        </p>
        {alarm.needsSecondAck && (
          <p className="alarm-note">
            <span aria-hidden="true">◑ </span>
            {t('alarm.needsSecondAck', { names: alarm.acknowledgedBy.map(nameOf).join(', ') })}
          </p>
        )}
        {alarm.exhausted && (
          <p className="alarm-note">
            <span aria-hidden="true">▲ </span>
            {t('alarm.exhausted')}
          </p>
        )}
        {state.kind === 'sign-in' && <p className="alarm-note">{t('alarm.signInToAck')}</p>}
        {state.kind === 'not-supervisor' && (
          <p className="alarm-note">
            {notified.length > 0
              ? t('alarm.supervisorMustAckNamed', { names: notified.map(nameOf).join(', ') })
              : t('alarm.supervisorMustAck')}
          </p>
        )}
        {state.kind === 'acked-by-viewer' && <p className="alarm-note">{t('alarm.youAcked')}</p>}
        {errorKey && (
          <p className="alarm-error">
            <span aria-hidden="true">✕ </span>
            {t(errorKey)}
          </p>
        )}
      </div>
      <div className="alarm-actions">
        {state.kind === 'can-ack' && (
          <button
            type="button"
            className="alarm-ack"
            onClick={() => props.onAcknowledge(alarm.escalationId)}
            disabled={busy}
            aria-keyshortcuts={shortcut ? ACK_SHORTCUT.keys : undefined}
          >
            {busy ? t('alarm.acknowledging') : t('alarm.acknowledge')}
            {shortcut && <kbd aria-hidden="true">{ACK_SHORTCUT.label}</kbd>}
          </button>
        )}
        {onOpenIncident && viewer && (
          <button type="button" className="alarm-open" onClick={() => onOpenIncident(alarm.incidentId)}>
            {t('alarm.openIncident')}
          </button>
        )}
      </div>
    </li>
  );
}
