/**
 * Every facility at a glance: lines up/down now (the down ones named), open outages
 * with how long, open threats and escalations, consoles online/offline with last
 * contact, overdue carrier tickets. Facilities in trouble lead. Live via the stream.
 */
import { useTranslation } from 'react-i18next';
import type { HqOverview, HqOverviewFacility } from '../../src-shared/hq-wire.ts';
import { formatDuration, relativeTime } from '../../src-renderer/features/status/model/relative-time.ts';
import { STATE_ICON } from '../../src-renderer/features/status/model/line-state.ts';
import { href } from '../route.ts';
import { useHqData, useNow } from '../use-hq-data.ts';

export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const { data, error } = useHqData<HqOverview>('/v1/hq/overview');
  const now = useNow();
  const lng = i18n.language;
  if (error) return <p role="alert">{error}</p>;
  if (!data) return <p>{t('hq.loading')}</p>;
  const totals = data.facilities.reduce(
    (sum, f) => ({
      down: sum.down + f.lines.down,
      outages: sum.outages + f.openOutages.length,
      threats: sum.threats + f.openThreats,
      offline: sum.offline + f.consoles.offline,
    }),
    { down: 0, outages: 0, threats: 0, offline: 0 },
  );
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t('hq.overview.title')}</h1>
      <ul className="hq-tiles" aria-label={t('hq.overview.summary')}>
        <Tile label={t('hq.overview.facilities')} value={data.facilities.length} />
        <Tile label={t('hq.overview.linesDown')} value={totals.down} alarm={totals.down > 0} testId="total-down" />
        <Tile label={t('hq.overview.openOutages')} value={totals.outages} alarm={totals.outages > 0} />
        <Tile label={t('hq.overview.openThreats')} value={totals.threats} alarm={totals.threats > 0} />
        <Tile label={t('hq.overview.consolesOffline')} value={totals.offline} alarm={totals.offline > 0} />
      </ul>
      {data.facilities.length === 0 ? (
        <p>{t('hq.overview.empty')}</p>
      ) : (
        <table className="hq-table" data-testid="overview-table">
          <caption className="visually-hidden">{t('hq.overview.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('hq.col.facility')}</th>
              <th scope="col">{t('hq.col.lines')}</th>
              <th scope="col">{t('hq.col.downLines')}</th>
              <th scope="col">{t('hq.col.outages')}</th>
              <th scope="col">{t('hq.col.threats')}</th>
              <th scope="col">{t('hq.col.consoles')}</th>
              <th scope="col">{t('hq.col.overdue')}</th>
            </tr>
          </thead>
          <tbody>
            {data.facilities.map((f) => (
              <FacilityRow key={f.id} facility={f} now={now} lng={lng} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Tile(props: { label: string; value: number; alarm?: boolean; testId?: string }) {
  return (
    <li className={`hq-tile${props.alarm ? ' hq-tile-alarm' : ''}`} data-testid={props.testId}>
      <span className="hq-tile-value">{props.value}</span>
      <span className="hq-tile-label">{props.label}</span>
    </li>
  );
}

function FacilityRow(props: { facility: HqOverviewFacility; now: number; lng: string }) {
  const { t } = useTranslation();
  const { facility: f, now, lng } = props;
  return (
    <tr data-testid={`facility-${f.id}`}>
      <th scope="row">
        <a href={href({ page: 'facility', facility: f.id })}>{f.name}</a>
      </th>
      <td>
        <span className="line-state line-up">
          <span aria-hidden="true">{STATE_ICON.UP} </span>
          {t('hq.lines.up', { count: f.lines.up })}
        </span>{' '}
        {f.lines.down > 0 && (
          <span className="line-state line-down">
            <span aria-hidden="true">{STATE_ICON.DOWN} </span>
            {t('hq.lines.down', { count: f.lines.down })}
          </span>
        )}{' '}
        {f.lines.degraded > 0 && (
          <span className="line-state line-degraded">
            <span aria-hidden="true">{STATE_ICON.DEGRADED} </span>
            {t('hq.lines.degraded', { count: f.lines.degraded })}
          </span>
        )}{' '}
        {f.lines.unknown > 0 && (
          <span className="line-state line-unknown">
            <span aria-hidden="true">{STATE_ICON.UNKNOWN} </span>
            {t('hq.lines.unknown', { count: f.lines.unknown })}
          </span>
        )}
      </td>
      <td>
        {f.downLines.length === 0
          ? '–'
          : f.downLines
              .slice(0, 3)
              .map((l) => (l.unit ? `${l.name} (${l.unit})` : l.name))
              .join(', ') + (f.downLines.length > 3 ? ` ${t('hq.andMore', { count: f.downLines.length - 3 })}` : '')}
      </td>
      <td>
        {f.openOutages.length === 0
          ? '–'
          : t('hq.outagesOpen', {
              count: f.openOutages.length,
              duration: formatDuration(now - f.openOutages[0]!.openedAt, lng),
            })}
      </td>
      <td>
        {f.openThreats === 0 && f.escalations === 0
          ? '–'
          : t('hq.threatsOpen', { threats: f.openThreats, escalations: f.escalations })}
      </td>
      <td>
        {t('hq.consolesOnline', { online: f.consoles.online, offline: f.consoles.offline })}
        {f.consoles.lastContactAt !== null && (
          <span className="hq-muted"> · {relativeTime(f.consoles.lastContactAt, now, lng)}</span>
        )}
      </td>
      <td className={f.overdueTickets > 0 ? 'hq-alarm-text' : undefined}>
        {f.overdueTickets > 0 ? t('hq.overdue', { count: f.overdueTickets }) : '–'}
      </td>
    </tr>
  );
}
