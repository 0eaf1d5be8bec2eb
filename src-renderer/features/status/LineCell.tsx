/** One line on the board: state, name, kind, criticality, last check, RTT and since-when. */
import { useTranslation } from 'react-i18next';
import type { LineView } from '../../../src-shared/telephony.ts';
import { CriticalMark, LineStateBadge } from './LineStateBadge.tsx';
import { evidenceText, formatRtt, stateClass } from './model/line-state.ts';
import { clockTime, relativeTime } from './model/relative-time.ts';

interface Props {
  line: LineView;
  now: number;
  focused: boolean;
  onFocus(): void;
  onOpen(): void;
}

export function LineCell(props: Props) {
  const { t, i18n } = useTranslation();
  const { line, now } = props;
  const lng = i18n.language;
  const rtt = formatRtt(line.rttMs, lng);
  return (
    <div
      role="gridcell"
      id={`line-cell-${line.id}`}
      data-line-id={line.id}
      className={`line-cell ${stateClass(line.state)}${line.criticality === 'critical' ? ' line-critical' : ''}`}
      tabIndex={props.focused ? 0 : -1}
      onFocus={props.onFocus}
      onClick={props.onOpen}
    >
      <LineStateBadge line={line} />
      <span className="line-name">{line.name}</span>
      <span className="line-meta">
        {t(`status.kind.${line.kind}`)}
        {line.criticality === 'critical' && (
          <>
            {' · '}
            <CriticalMark />
          </>
        )}
      </span>
      <span className="line-meta">
        {line.lastCheckAt === null
          ? t('status.board.never')
          : t('status.board.lastCheck', { ago: relativeTime(line.lastCheckAt, now, lng) })}
        {line.state === 'UP' ? rtt && ` · ${rtt}` : line.lastCheckAt !== null && ` · ${evidenceText(t, line)}`}
      </span>
      {line.since !== null && (
        <span className="line-meta">
          {t('status.board.since', {
            time: clockTime(line.since, now, lng),
            ago: relativeTime(line.since, now, lng),
          })}
        </span>
      )}
      {line.openOutageId && <span className="line-outage">{t('status.board.inOutage')}</span>}
    </div>
  );
}
