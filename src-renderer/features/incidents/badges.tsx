/** Severity and status are never told by colour alone: each badge carries a shape and a word. */
import { useTranslation } from 'react-i18next';
import type { IncidentSeverity, IncidentStatus } from '../../../src-shared/incident.ts';

/** A rising bar: the shape alone tells low from critical. */
const SEVERITY_ICON: Record<IncidentSeverity, string> = { low: '▁', medium: '▃', high: '▆', critical: '█' };
const STATUS_ICON: Record<IncidentStatus, string> = {
  open: '○',
  acknowledged: '◑',
  escalated: '▲',
  resolved: '✓',
  closed: '■',
};

export function SeverityBadge(props: { severity: IncidentSeverity }) {
  const { t } = useTranslation();
  return (
    <span className={`severity severity-${props.severity}`}>
      <span className="badge-icon" aria-hidden="true">
        {SEVERITY_ICON[props.severity]}
      </span>
      {t(`severity.${props.severity}`)}
    </span>
  );
}

export function StatusBadge(props: { status: IncidentStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`status status-${props.status}`}>
      <span className="badge-icon" aria-hidden="true">
        {STATUS_ICON[props.status]}
      </span>
      {t(`status.${props.status}`)}
    </span>
  );
}

export function PendingSyncMarker() {
  const { t } = useTranslation();
  return (
    <span className="pending-sync">
      <span className="badge-icon" aria-hidden="true">
        ⟳
      </span>
      {t('list.pendingSync')}
    </span>
  );
}
