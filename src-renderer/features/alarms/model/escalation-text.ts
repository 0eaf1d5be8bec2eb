/** How the incident view words an escalation's state, and a refused manual start. */
import type { EscalationView } from '../../../../src-shared/escalation.ts';

export function escalationStateKey(e: EscalationView): string {
  if (e.status === 'resolved') return `alarm.escalation.resolved.${e.resolvedReason ?? 'acknowledged'}`;
  return e.status === 'exhausted' ? 'alarm.escalation.state.exhausted' : 'alarm.escalation.state.active';
}

export function startErrorKey(error: { code: string; message: string }): string {
  if (error.code === 'conflict') return 'alarm.escalation.error.alreadyRunning';
  if (error.code === 'illegal_transition') return 'alarm.escalation.error.closed';
  if (error.code === 'not_found') return 'alarm.escalation.error.noPolicy';
  if (error.code === 'forbidden') return 'alarm.escalation.error.forbidden';
  return `error.${error.code}`;
}

/** The newest escalation first: the one that matters now. */
export function newestFirst(items: readonly EscalationView[]): EscalationView[] {
  return [...items].sort((a, b) => b.startedAt - a.startedAt);
}
