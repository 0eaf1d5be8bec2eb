/**
 * The alarms a console shows: open escalations for the console's own unit, and those
 * that notified whoever is signed in here. The banner and the sound follow the
 * `alarm.changed` push; it is sent only when the set (or its content) changes.
 */
import type { Alarm, EscalationView } from '../../../src-shared/escalation.ts';

export interface Viewer {
  unit: string;
  staffNumber: string | null;
}

export function visibleAlarms(open: readonly EscalationView[], viewer: Viewer): Alarm[] {
  return open
    .filter((e) => e.status !== 'resolved')
    .filter((e) => e.unit === viewer.unit || (viewer.staffNumber !== null && e.notified.includes(viewer.staffNumber)))
    .map((e) => ({
      escalationId: e.escalationId,
      incidentId: e.incidentId,
      title: e.title,
      severity: e.severity,
      unit: e.unit,
      level: e.level,
      round: e.round,
      since: e.startedAt,
      acknowledgedBy: e.acknowledgedBy,
      needsSecondAck: e.requiredAcks > 1 && e.acknowledgedBy.length > 0 && e.acknowledgedBy.length < e.requiredAcks,
      exhausted: e.status === 'exhausted',
    }));
}

export interface AlarmFeed {
  current(): Alarm[];
  /** Recompute; pushes `alarm.changed` when different from what was last pushed. */
  refresh(): void;
}

export function createAlarmFeed(deps: {
  open: () => EscalationView[];
  viewer: () => Viewer;
  push: (alarms: Alarm[]) => void;
}): AlarmFeed {
  let last = '[]';
  const current = () => visibleAlarms(deps.open(), deps.viewer());
  return {
    current,
    refresh() {
      const alarms = current();
      const text = JSON.stringify(alarms);
      if (text === last) return;
      last = text;
      deps.push(alarms);
    },
  };
}
