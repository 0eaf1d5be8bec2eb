/**
 * One line up close: what was measured last, RTT of recent probes, every state change
 * with its evidence, and what guards reported. History is reloaded when the line's
 * state, reports or outage change, and every few seconds for the sparkline.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../src-shared/errors.ts';
import type { LineHistory, LineView } from '../../../src-shared/telephony.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { CriticalMark, LineStateBadge } from './LineStateBadge.tsx';
import { Sparkline } from './Sparkline.tsx';
import { VoiceCalls } from './VoiceCalls.tsx';
import { STATE_ICON, formatRtt, stateClass } from './model/line-state.ts';
import { clockTime, relativeTime } from './model/relative-time.ts';
import { useWindowKeydown } from '../../app/use-window-keydown.ts';

const HISTORY_LIMIT = 200;
const SAMPLE_REFRESH_MS = 5000;

interface Props {
  line: LineView;
  unitName: string;
  now: number;
  onBack(): void;
  onShowOutage?: (outageId: string) => void;
}

export function LineDetail(props: Props) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { line, now } = props;
  const lng = i18n.language;
  const [history, setHistory] = useState<LineHistory | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => headingRef.current?.focus(), []);

  useEffect(() => {
    let live = true;
    const load = () =>
      void api.call('lines.history', { lineId: line.id, limit: HISTORY_LIMIT }).then((result) => {
        if (!live) return;
        if (result.ok) {
          setHistory(result.value);
          setError(null);
        } else setError(result.error);
      });
    load();
    const timer = setInterval(load, SAMPLE_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, line.id, line.state, line.lastReport?.at, line.openOutageId]);

  useWindowKeydown((event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('dialog[open]')) props.onBack();
  });

  const rtt = formatRtt(line.rttMs, lng);
  const when = (at: number) => `${clockTime(at, now, lng)} (${relativeTime(at, now, lng)})`;

  return (
    <section className="line-detail" aria-labelledby="line-detail-heading">
      <div className="toolbar">
        <button type="button" onClick={props.onBack}>
          ← {t('status.detail.back')}
          <kbd>Esc</kbd>
        </button>
      </div>
      <h1 id="line-detail-heading" ref={headingRef} tabIndex={-1}>
        {line.name}
      </h1>
      <p className="line-detail-state">
        <LineStateBadge line={line} />
        {line.criticality === 'critical' && <CriticalMark />}
      </p>
      {line.openOutageId && (
        <p className="line-detail-outage">
          <strong>{t('status.detail.outage')}</strong>{' '}
          {props.onShowOutage && (
            <button type="button" onClick={() => props.onShowOutage?.(line.openOutageId!)}>
              {t('status.detail.showOutage')}
            </button>
          )}
        </p>
      )}
      <dl className="line-facts">
        <dt>{t('status.detail.kind')}</dt>
        <dd>{t(`status.kind.${line.kind}`)}</dd>
        <dt>{t('status.detail.unit')}</dt>
        <dd>{props.unitName}</dd>
        <dt>{t('status.detail.probe')}</dt>
        <dd>{t(`status.probe.${line.probeType}`)}</dd>
        <dt>{t('status.detail.lastCheck')}</dt>
        <dd>{line.lastCheckAt === null ? t('status.board.never') : when(line.lastCheckAt)}</dd>
        <dt>{t('status.detail.rtt')}</dt>
        <dd>{rtt ?? '–'}</dd>
        <dt>{t('status.detail.since')}</dt>
        <dd>{line.since === null ? '–' : when(line.since)}</dd>
        <dt>{t('status.detail.evidence')}</dt>
        <dd>
          {t(`status.reason.${line.code}`)}
          {line.detail && <span className="muted"> – {line.detail}</span>}
        </dd>
        <dt>{t('status.detail.failures')}</dt>
        <dd>{line.failures}</dd>
      </dl>

      <h2>{t('status.detail.rttHeading')}</h2>
      {history ? (
        <Sparkline samples={history.samples} />
      ) : (
        !error && <p className="muted">{t('status.detail.loading')}</p>
      )}
      {error && (
        <p className="line-detail-error" role="alert">
          {t(`error.${error.code}`)}
        </p>
      )}

      <h2>{t('status.voice.heading')}</h2>
      <VoiceCalls lineId={line.id} now={now} />

      <h2>{t('status.detail.reports')}</h2>
      {history && history.reports.length === 0 && <p className="muted">{t('status.detail.noReports')}</p>}
      {history && history.reports.length > 0 && (
        <ul className="line-reports" aria-label={t('status.detail.reports')}>
          {[...history.reports].reverse().map((r) => (
            <li key={r.reportId}>
              <strong>{t(`status.problem.${r.problem}`)}</strong>
              {r.text && <> – {r.text}</>}
              <span className="muted">
                {' '}
                · {r.reporter} · {when(r.at)}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>{t('status.detail.history')}</h2>
      {history && history.transitions.length === 0 && <p className="muted">{t('status.detail.noHistory')}</p>}
      {history && history.transitions.length > 0 && (
        <ol className="line-transitions" aria-label={t('status.detail.history')}>
          {[...history.transitions].reverse().map((tr) => (
            <li key={tr.eventId}>
              <span className="muted">{when(tr.at)}</span>{' '}
              <span className={stateClass(tr.from)}>
                <span aria-hidden="true">{STATE_ICON[tr.from]} </span>
                {t(`status.state.${tr.from}`)}
              </span>
              {' → '}
              <span className={stateClass(tr.to)}>
                <span aria-hidden="true">{STATE_ICON[tr.to]} </span>
                {t(`status.state.${tr.to}`)}
              </span>
              <span className="muted">
                {' '}
                · {t(`status.reason.${tr.evidence.code}`)}
                {tr.evidence.detail && ` (${tr.evidence.detail})`}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
