/**
 * One facility read-only, as its console's status board shows it: every line by unit
 * with its state and since when, then its open outages and open incidents.
 */
import { useTranslation } from 'react-i18next';
import type { HqIncident, HqOutage } from '../../src-shared/sync-wire.ts';
import type { LineState } from '../../src-shared/telephony.ts';
import { STATE_ICON, stateClass } from '../../src-renderer/features/status/model/line-state.ts';
import { formatDuration, relativeTime } from '../../src-renderer/features/status/model/relative-time.ts';
import { query } from '../api.ts';
import { href } from '../route.ts';
import { useHqData, useNow } from '../use-hq-data.ts';

interface FacilityLines {
  facility: string;
  name: string;
  lines: { lineId: string; name: string; unit: string; state: LineState; since: number }[];
}

export function HqLineState(props: { state: LineState }) {
  const { t } = useTranslation();
  return (
    <span className={`line-state ${stateClass(props.state)}`}>
      <span className="line-state-icon" aria-hidden="true">
        {STATE_ICON[props.state]}
      </span>
      {props.state === 'UNKNOWN' ? t('hq.lines.unknownState') : t(`status.state.${props.state}`)}
    </span>
  );
}

export function FacilityPage(props: { facility: string }) {
  const { t, i18n } = useTranslation();
  const { facility } = props;
  const now = useNow();
  const lines = useHqData<{ facilities: FacilityLines[] }>(`/v1/hq/lines${query({ facility })}`, { facility });
  const outages = useHqData<{ outages: HqOutage[] }>(`/v1/hq/outages${query({ facility, status: 'open' })}`, {
    facility,
  });
  const incidents = useHqData<{ incidents: HqIncident[] }>(`/v1/hq/incidents${query({ facility, limit: 50 })}`, {
    facility,
  });
  const board = lines.data?.facilities[0];
  const byUnit = new Map<string, FacilityLines['lines']>();
  for (const line of board?.lines ?? []) byUnit.set(line.unit, [...(byUnit.get(line.unit) ?? []), line]);
  const lng = i18n.language;
  const open = (incidents.data?.incidents ?? []).filter((i) => i.status !== 'resolved' && i.status !== 'closed');

  return (
    <section aria-labelledby="facility-title">
      <p>
        <a href={href({ page: 'overview' })}>{t('hq.back')}</a>
      </p>
      <h1 id="facility-title">{board?.name ?? facility}</h1>
      {lines.error && <p role="alert">{lines.error}</p>}
      <h2>{t('hq.facility.board')}</h2>
      {board && board.lines.length === 0 && <p>{t('hq.facility.noLines')}</p>}
      <div className="hq-board" data-testid="facility-board">
        {[...byUnit.entries()].map(([unit, unitLines]) => (
          <section key={unit} className="hq-unit" aria-label={unit || t('hq.facility.noUnit')}>
            <h3>{unit || t('hq.facility.noUnit')}</h3>
            <ul>
              {unitLines.map((line) => (
                <li key={line.lineId} data-testid={`line-${line.lineId}`}>
                  <span className="hq-line-name">{line.name}</span> <HqLineState state={line.state} />{' '}
                  <span className="hq-muted">{relativeTime(line.since, now, lng)}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <h2>{t('hq.facility.openOutages')}</h2>
      {(outages.data?.outages ?? []).length === 0 ? (
        <p>{t('hq.none')}</p>
      ) : (
        <ul>
          {outages.data!.outages.map((o) => (
            <li key={o.id}>
              {t(`hq.cause.${o.cause}`)} · {t('hq.lineCount', { count: o.lineIds.length })} ·{' '}
              {formatDuration(now - o.openedAt, lng)}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('hq.facility.openIncidents')}</h2>
      {open.length === 0 ? (
        <p>{t('hq.none')}</p>
      ) : (
        <ul>
          {open.map((i) => (
            <li key={i.id}>
              <a href={href({ page: 'incident', facility, id: i.id })}>{i.title}</a> · {t(`category.${i.category}`)} ·{' '}
              {t(`severity.${i.severity}`)} · {t(`status.${i.status}`)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
