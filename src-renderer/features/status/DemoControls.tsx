/**
 * Demo mode only: break a demo line the ways real lines break (port closed, 503, no
 * answer) and watch the real monitor notice. Hidden unless `demo.status` says the
 * console runs the demo facility.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEMO_FAULTS, type DemoFault, type DemoStatus, type LineView } from '../../../src-shared/telephony.ts';
import { useApi, usePushEvent } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';

function isDemoFault(value: string): value is DemoFault {
  return (DEMO_FAULTS as readonly string[]).includes(value);
}

export function DemoControls(props: { lines: readonly LineView[] }) {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const [status, setStatus] = useState<DemoStatus | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    let live = true;
    void api.call('demo.status', {}).then((result) => {
      if (live && result.ok) setStatus(result.value);
    });
    return () => {
      live = false;
    };
  }, [api, epoch]);
  usePushEvent('config.changed', () => setEpoch((n) => n + 1));

  if (!status?.enabled) return null;

  async function setFault(line: LineView, fault: DemoFault) {
    setBusy(line.id);
    const result = await api.call('demo.setLineFault', { lineId: line.id, fault });
    setBusy(null);
    if (!result.ok) return toasts.apiError(result.error);
    setStatus(result.value);
    toasts.info(t('status.demo.changed', { line: line.name, fault: t(`status.demo.${fault}`) }));
  }

  return (
    <section className="demo-controls" aria-labelledby="demo-heading">
      <h2 id="demo-heading">{t('status.demo.heading')}</h2>
      <p className="muted">{t('status.demo.intro')}</p>
      <ul className="demo-faults">
        {props.lines.map((line) => (
          <li key={line.id}>
            <label>
              <span>{line.name}</span>
              <select
                name={`demo-fault-${line.id}`}
                value={status.faults[line.id] ?? 'none'}
                disabled={busy === line.id}
                onChange={(event) => {
                  if (isDemoFault(event.target.value)) void setFault(line, event.target.value);
                }}
              >
                {DEMO_FAULTS.map((f) => (
                  <option key={f} value={f}>
                    {t(`status.demo.${f}`)}
                  </option>
                ))}
              </select>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
