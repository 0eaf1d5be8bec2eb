/**
 * What the alarm banner shows and does, decided without the DOM: the order alarms are
 * listed in, who may acknowledge which, what the shortcut acknowledges, and when the
 * sound plays. Every alarm the core lists is unacknowledged (or waits for a second
 * supervisor), so any alarm at all keeps the sound going.
 */
import type { Alarm } from '../../../../src-shared/escalation.ts';
import type { IncidentSeverity } from '../../../../src-shared/incident.ts';
import { roleAtLeast, type Role } from '../../../../src-shared/staff.ts';

const SEVERITY_RANK: Record<IncidentSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Most severe first, then the longest-waiting. */
export function orderAlarms(alarms: readonly Alarm[]): Alarm[] {
  return [...alarms].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.since - b.since ||
      a.escalationId.localeCompare(b.escalationId),
  );
}

export interface Viewer {
  staffNumber: string;
  role: Role;
}

export type AckState =
  /** This viewer may acknowledge now. */
  | { kind: 'can-ack' }
  /** Nobody is signed in here: a supervisor must sign in to acknowledge. */
  | { kind: 'sign-in' }
  /** Signed in, but not as a supervisor. */
  | { kind: 'not-supervisor' }
  /** Critical: this viewer acknowledged already; a different supervisor must be the second. */
  | { kind: 'acked-by-viewer' };

export function ackState(alarm: Alarm, viewer: Viewer | null): AckState {
  if (!viewer) return { kind: 'sign-in' };
  if (!roleAtLeast(viewer.role, 'supervisor')) return { kind: 'not-supervisor' };
  if (alarm.acknowledgedBy.includes(viewer.staffNumber)) return { kind: 'acked-by-viewer' };
  return { kind: 'can-ack' };
}

/** The alarm the keyboard shortcut acknowledges: the first in banner order this viewer may acknowledge. */
export function shortcutTarget(alarms: readonly Alarm[], viewer: Viewer | null): Alarm | null {
  return orderAlarms(alarms).find((a) => ackState(a, viewer).kind === 'can-ack') ?? null;
}

export function shouldSound(alarms: readonly Alarm[]): boolean {
  return alarms.length > 0;
}

/** Minutes since the alarm started, never negative (another console's clock may run ahead). */
export function minutesSince(since: number, now: number): number {
  return Math.max(0, Math.floor((now - since) / 60_000));
}

/** The i18n key for a refused acknowledgement. */
export function ackErrorKey(error: { code: string; message: string }): string {
  if (error.code === 'conflict' && /already acknowledged/i.test(error.message)) return 'alarm.error.alreadyAcked';
  if (error.code === 'conflict' && /resolved/i.test(error.message)) return 'alarm.error.resolved';
  if (error.code === 'forbidden') return 'alarm.error.forbidden';
  if (error.code === 'unauthenticated') return 'alarm.error.signIn';
  return `error.${error.code}`;
}
