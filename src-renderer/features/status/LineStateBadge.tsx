/** A line's state as shape + word + colour (never colour alone). */
import { useTranslation } from 'react-i18next';
import type { LineView } from '../../../src-shared/telephony.ts';
import { STATE_ICON, stateClass, stateText } from './model/line-state.ts';

export function LineStateBadge(props: { line: Pick<LineView, 'state' | 'code' | 'lastCheckAt'> }) {
  const { t } = useTranslation();
  const { line } = props;
  return (
    <span className={`line-state ${stateClass(line.state)}`}>
      <span className="line-state-icon" aria-hidden="true">
        {STATE_ICON[line.state]}
      </span>
      {stateText(t, line)}
    </span>
  );
}

export function CriticalMark() {
  const { t } = useTranslation();
  return (
    <span className="critical-mark">
      <span aria-hidden="true">★ </span>
      {t('status.critical')}
    </span>
  );
}
