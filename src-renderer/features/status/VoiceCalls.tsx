/**
 * A line's synthetic test calls: run one now (button or `T`), the last calls with MOS,
 * loss, jitter and set-up time, and a small uPlot chart of MOS and loss over time.
 * Reloads when the core pushes `voice.changed` for this line.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ApiError } from '../../../src-shared/errors.ts';
import type { VoiceLineStatus } from '../../../src-shared/voice.ts';
import { useApi, usePushEvent } from '../../api/ApiContext.tsx';
import { useAuth } from '../sign-in/index.ts';
import { STATE_ICON, stateClass } from './model/line-state.ts';
import { clockTime } from './model/relative-time.ts';
import { formatNumber, mosSeries } from './model/voice-calls.ts';
import { useWindowKeydown } from '../../app/use-window-keydown.ts';

const LIMIT = 20;
const AXIS = { stroke: '#c9d1d9', grid: { stroke: '#30363d', width: 1 }, ticks: { stroke: '#30363d', width: 1 } };

export function VoiceCalls(props: { lineId: string; now: number }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const lng = i18n.language;
  const [status, setStatus] = useState<VoiceLineStatus | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    void api.call('voice.status', { lineId: props.lineId, limit: LIMIT }).then((r) => {
      if (r.ok) {
        setStatus(r.value);
        setError(null);
      } else setError(r.error);
    });
  }, [api, props.lineId]);
  useEffect(load, [load]);
  usePushEvent('voice.changed', (p) => {
    if (p.lineId === props.lineId) load();
  });

  const testNow = useCallback(() => {
    void api.call('voice.testNow', { lineId: props.lineId }).then((r) => {
      if (!r.ok) return setError(r.error);
      setNotice(r.value.started ? null : t(r.value.queued ? 'status.voice.queued' : 'status.voice.alreadyRunning'));
      load();
    });
  }, [api, props.lineId, load, t]);

  useWindowKeydown((event) => {
    const target = event.target as HTMLElement | null;
    if (event.key.toLowerCase() !== 't' || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target?.closest('input, textarea, select, [contenteditable]') || document.querySelector('dialog[open]')) return;
    if (!status?.configured) return;
    event.preventDefault();
    testNow();
  });

  if (!status) return error ? <p role="alert">{t(`error.${error.code}`)}</p> : null;
  if (!status.configured) return <p className="muted">{t('status.voice.notConfigured')}</p>;
  const schedule = status.scheduled
    ? t('status.voice.scheduled', { minutes: formatNumber(status.intervalMinutes, lng, 1) })
    : t('status.voice.onDemandOnly');

  return (
    <div className="voice-calls" data-testid="voice-calls">
      <p className="muted">
        {schedule} · {t('status.voice.floor', { mos: formatNumber(status.mosFloor, lng, 1) })}
      </p>
      <div className="toolbar">
        <button type="button" onClick={testNow} disabled={status.running} data-testid="voice-test-now">
          {t('status.voice.testNow')} <kbd>T</kbd>
        </button>
        {status.running && (
          <span role="status" className="voice-running">
            {t('status.voice.running')}
          </span>
        )}
        {notice && !status.running && <span role="status">{notice}</span>}
      </div>
      {error && <p role="alert">{t(`error.${error.code}`)}</p>}
      {status.credential && <CredentialForm credential={status.credential} />}
      {status.calls.length === 0 ? (
        <p className="muted">{t('status.voice.none')}</p>
      ) : (
        <>
          <VoiceChart status={status} />
          <table className="voice-table" aria-label={t('status.voice.heading')}>
            <thead>
              <tr>
                <th scope="col">{t('status.voice.col.time')}</th>
                <th scope="col">{t('status.voice.col.verdict')}</th>
                <th scope="col">{t('status.voice.col.mos')}</th>
                <th scope="col">{t('status.voice.col.loss')}</th>
                <th scope="col">{t('status.voice.col.jitter')}</th>
                <th scope="col">{t('status.voice.col.setup')}</th>
                <th scope="col">{t('status.voice.col.trigger')}</th>
              </tr>
            </thead>
            <tbody>
              {status.calls.map((c) => {
                const m = c.measurements;
                return (
                  <tr key={c.testId} title={c.detail}>
                    <td>{clockTime(c.at, props.now, lng)}</td>
                    <td className={stateClass(c.state)}>
                      <span aria-hidden="true">{STATE_ICON[c.state]} </span>
                      {t(`status.voice.verdict.${c.verdict}`)}
                    </td>
                    <td>{formatNumber(m.mos, lng, 2)}</td>
                    <td>{formatNumber(m.lossPct, lng, 1, '%')}</td>
                    <td>{formatNumber(m.jitterMs, lng, 1, 'ms')}</td>
                    <td>{formatNumber(m.setupMs, lng, 0, 'ms')}</td>
                    <td>{t(`status.voice.trigger.${c.trigger}`)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

/** The calls' time span, at least ten minutes wide: a lone call would otherwise stretch the axis over years. */
function timeRange(xs: readonly number[]): [number, number] {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return hi - lo < 600 ? [lo - 300, hi + 300] : [lo, hi];
}

function VoiceChart(props: { status: VoiceLineStatus }) {
  const { t, i18n } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const data = useMemo(() => mosSeries(props.status.calls) as uPlot.AlignedData, [props.status.calls]);
  const floor = props.status.mosFloor ?? 3.6;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(320, Math.min(el.clientWidth || 640, 900));
    const plot = new uPlot(
      {
        width,
        height: 160,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: true, range: timeRange(data[0] as number[]) },
          mos: { range: [1, 4.5] },
          loss: { range: [0, 100] },
        },
        axes: [
          {
            ...AXIS,
            // 24-hour local times in the page's language, not uPlot's default "3:56am".
            values: (_u, splits) =>
              splits.map((v) =>
                new Date(v * 1000).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' }),
              ),
          },
          { ...AXIS, scale: 'mos', size: 40 },
          { ...AXIS, scale: 'loss', side: 1, size: 50, values: (_u, s) => s.map((v) => `${v} %`) },
        ],
        series: [
          {},
          { label: 'MOS', scale: 'mos', stroke: '#58a6ff', width: 2, points: { show: true } },
          { label: t('status.voice.col.loss'), scale: 'loss', stroke: '#f85149', width: 1, points: { show: true } },
        ],
        hooks: {
          draw: [
            (u) => {
              // The MOS floor as a dashed line: calls under it are "poor voice quality".
              const y = u.valToPos(floor, 'mos', true);
              const ctx = u.ctx;
              ctx.save();
              ctx.setLineDash([4, 4]);
              ctx.strokeStyle = '#d29922';
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
              ctx.restore();
            },
          ],
        },
      },
      data,
      el,
    );
    return () => plot.destroy();
  }, [data, floor, t, i18n.language]);
  return (
    <figure className="voice-chart-figure">
      <div
        ref={box}
        className="voice-chart"
        role="img"
        aria-label={t('status.voice.chartLabel', { count: props.status.calls.length })}
        data-testid="voice-chart"
      />
      <figcaption className="muted">
        {t('status.voice.chartKey', { mos: formatNumber(props.status.mosFloor ?? 3.6, i18n.language, 1) })}
      </figcaption>
    </figure>
  );
}

/** Admins store the line's SIP login here; the password goes to the console's sealed store, never to the config. */
function CredentialForm(props: { credential: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const role = useAuth().state?.session?.role ?? null;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [result, setResult] = useState<string | null>(null);
  if (role !== 'admin') return null;
  const save = (event: React.FormEvent) => {
    event.preventDefault();
    void api.call('voice.setCredential', { ref: props.credential, username, password }).then((r) => {
      setPassword('');
      setResult(r.ok ? t(`status.voice.credentialSaved.${r.value.storage}`) : t(`error.${r.error.code}`));
    });
  };
  return (
    <details className="voice-credential">
      <summary>{t('status.voice.credentialOpen')}</summary>
      <form onSubmit={save}>
        <fieldset>
          <legend>{t('status.voice.credentialHeading', { name: props.credential })}</legend>
          <label>
            {t('status.voice.username')}
            <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" required />
          </label>
          <label>
            {t('status.voice.password')}
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
              required
            />
          </label>
          <button type="submit">{t('status.voice.saveCredential')}</button>
          {result && <span role="status"> {result}</span>}
        </fieldset>
      </form>
    </details>
  );
}
