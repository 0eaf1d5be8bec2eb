/**
 * Outages, open first, then recent: which lines, which trunk, when it started, how
 * long it lasted, measured or reported. Supervisors confirm or dismiss reported ones.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roleAtLeast } from '../../../src-shared/staff.ts';
import type { ApiError } from '../../../src-shared/errors.ts';
import type { Outage } from '../../../src-shared/outages.ts';
import { useApi, useOnReconnect, usePushEvent } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { clockTime, formatDuration, useLineBoard, useNow } from '../status/index.ts';
import { decisionsFor, lineNames, outageDurationMs, sortOutages, type OutageDecision } from './model/outage-view.ts';
import { useSession } from './use-session.ts';
import './outages.css';

const LIST_LIMIT = 100;
const METHOD: Record<OutageDecision, 'outages.confirm' | 'outages.dismiss' | 'outages.resolve'> = {
  confirm: 'outages.confirm',
  dismiss: 'outages.dismiss',
  resolve: 'outages.resolve',
};

export function OutagesScreen(props: { highlight?: string | null }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const session = useSession();
  const board = useLineBoard();
  const now = useNow();
  const [outages, setOutages] = useState<Outage[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [epoch, setEpoch] = useState(0);
  const reload = () => setEpoch((n) => n + 1);

  useEffect(() => {
    let live = true;
    void api.call('outages.list', { limit: LIST_LIMIT }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setOutages(sortOutages(result.value.items));
        setError(null);
      } else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, epoch]);
  usePushEvent('outages.changed', reload);
  usePushEvent('auth.changed', reload);
  useOnReconnect(reload);

  const names = new Map(board.status === 'ready' ? board.board.lines.map((l) => [l.id, l.name]) : []);
  const supervisor = session !== null && roleAtLeast(session.role, 'supervisor');
  const lng = i18n.language;

  async function decide(outage: Outage, decision: OutageDecision) {
    setBusy(outage.id);
    const result = await api.call(METHOD[decision], { outageId: outage.id });
    setBusy(null);
    if (!result.ok) return toasts.apiError(result.error);
    toasts.info(t(`outage.decided.${decision}`));
    reload();
  }

  return (
    <section className="outages-screen" aria-labelledby="outages-heading">
      <div className="toolbar">
        <h1 id="outages-heading">{t('outage.heading')}</h1>
      </div>
      {error && <p role="alert">{t(`error.${error.code}`)}</p>}
      {!error && outages === null && <p role="status">{t('outage.loading')}</p>}
      {outages?.length === 0 && <p>{t('outage.none')}</p>}
      {outages && outages.length > 0 && (
        <table className="outage-table">
          <thead>
            <tr>
              <th scope="col">{t('outage.col.status')}</th>
              <th scope="col">{t('outage.col.kind')}</th>
              <th scope="col">{t('outage.col.lines')}</th>
              <th scope="col">{t('outage.col.trunk')}</th>
              <th scope="col">{t('outage.col.started')}</th>
              <th scope="col">{t('outage.col.duration')}</th>
              <th scope="col">{t('outage.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {outages.map((o) => {
              const duration = outageDurationMs(o, now);
              return (
                <tr
                  key={o.id}
                  className={`outage-${o.status}${props.highlight === o.id ? ' outage-highlight' : ''}`}
                  aria-current={props.highlight === o.id ? 'true' : undefined}
                >
                  <td>
                    <span className={`outage-status outage-status-${o.status}`}>
                      <span aria-hidden="true">
                        {o.status === 'open' ? '✕ ' : o.status === 'resolved' ? '✓ ' : '– '}
                      </span>
                      {t(`outage.status.${o.status}`)}
                    </span>
                  </td>
                  <td>
                    {t(`outage.kind.${o.kind}`)}
                    {o.report && (
                      <div className="muted">
                        {t(`status.problem.${o.report.problem}`)} · {o.report.reporter}
                      </div>
                    )}
                    {o.confirmed && <div className="muted">{t('outage.confirmedBy', { by: o.confirmed.by })}</div>}
                  </td>
                  <td>{lineNames(o.lineIds, names)}</td>
                  <td>{o.trunk ? (names.get(o.trunk) ?? o.trunk) : '–'}</td>
                  <td>{clockTime(o.openedAt, now, lng)}</td>
                  <td>
                    {duration === null ? '–' : formatDuration(duration, lng)}
                    {o.status === 'open' && <span className="muted"> {t('outage.ongoing')}</span>}
                  </td>
                  <td>
                    <div className="outage-actions">
                      {supervisor &&
                        decisionsFor(o).map((d) => (
                          <button key={d} type="button" disabled={busy === o.id} onClick={() => void decide(o, d)}>
                            {t(`outage.decide.${d}`)}
                          </button>
                        ))}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
