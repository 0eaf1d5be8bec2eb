/**
 * An incident's escalations in its detail view: state, level and round, who was
 * alarmed and who acknowledged, and when the next level is due; supervisors can start
 * one by hand ("Eskalera och larma") when none is running.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationView } from '../../../src-shared/escalation.ts';
import type { IncidentStatus } from '../../../src-shared/incident.ts';
import { roleAtLeast } from '../../../src-shared/staff.ts';
import { useApi, useOnReconnect, usePushEvent } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { useAuth } from '../sign-in/index.ts';
import { escalationStateKey, newestFirst, startErrorKey } from './model/escalation-text.ts';
import { useStaffNames } from './use-staff-names.ts';
import './alarms.css';

const CLOSED: readonly IncidentStatus[] = ['resolved', 'closed'];

export function EscalationPanel(props: { incidentId: string; incidentStatus: IncidentStatus }) {
  const { incidentId, incidentStatus } = props;
  const { t, i18n } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const { gate } = useAuth();
  const session = gate.kind === 'app' ? gate.session : null;
  const nameOf = useStaffNames(session?.staffNumber ?? null);
  const [items, setItems] = useState<EscalationView[] | null>(null);
  const [epoch, setEpoch] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void api.call('escalation.list', { incidentId }).then((result) => {
      if (live && result.ok) setItems(newestFirst(result.value.items));
    });
    return () => {
      live = false;
    };
  }, [api, incidentId, epoch]);
  const reload = () => setEpoch((n) => n + 1);
  // Escalation ids are not known here before the first answer; any change may be ours.
  usePushEvent('escalations.changed', reload);
  useOnReconnect(reload);

  async function start() {
    setBusy(true);
    setError(null);
    const result = await api.call('escalation.start', { incidentId });
    setBusy(false);
    if (result.ok) {
      toasts.info(t('alarm.escalation.started'));
      reload();
    } else setError(startErrorKey(result.error));
  }

  const time = (ms: number) => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(ms);
  const running = items?.some((e) => e.status !== 'resolved') ?? false;
  const mayStart =
    session !== null && roleAtLeast(session.role, 'supervisor') && !running && !CLOSED.includes(incidentStatus);
  const names = (list: readonly string[]) => (list.length > 0 ? list.map(nameOf).join(', ') : t('detail.none'));

  return (
    <section className="escalation-panel" aria-labelledby="escalation-heading">
      <h2 id="escalation-heading">{t('alarm.escalation.heading')}</h2>
      {items !== null && items.length === 0 && <p className="muted">{t('alarm.escalation.none')}</p>}
      {items?.map((e) => (
        <dl key={e.escalationId} className={`escalation escalation-${e.status}`}>
          <dt>{t('alarm.escalation.stateLabel')}</dt>
          <dd>
            <span aria-hidden="true">{e.status === 'resolved' ? '✓ ' : '▲ '}</span>
            {t(escalationStateKey(e))}
            {e.trigger === 'manual' ? ` · ${t('alarm.escalation.manual')}` : ''}
          </dd>
          <dt>{t('alarm.escalation.levelLabel')}</dt>
          <dd>
            {t('alarm.escalation.levelOf', { level: e.level, levels: e.levels, round: e.round, repeat: e.repeat })}
          </dd>
          <dt>{t('alarm.escalation.startedLabel')}</dt>
          <dd>{time(e.startedAt)}</dd>
          {e.nextDueAt !== null && (
            <>
              <dt>{t('alarm.escalation.nextDueLabel')}</dt>
              <dd>{time(e.nextDueAt)}</dd>
            </>
          )}
          <dt>{t('alarm.escalation.notifiedLabel')}</dt>
          <dd>{names(e.notified)}</dd>
          <dt>{t('alarm.escalation.ackedLabel', { count: e.requiredAcks })}</dt>
          <dd>
            {t('alarm.escalation.acks', {
              names: names(e.acknowledgedBy),
              have: e.acknowledgedBy.length,
              need: e.requiredAcks,
            })}
          </dd>
        </dl>
      ))}
      {mayStart && (
        <button type="button" className="danger" onClick={() => void start()} disabled={busy}>
          <span aria-hidden="true">▲ </span>
          {t('alarm.escalation.start')}
        </button>
      )}
      {error && (
        <p className="escalation-error" role="alert">
          <span aria-hidden="true">⚠ </span>
          {t(error)}
        </p>
      )}
    </section>
  );
}
