/** Event builders for pure escalation model tests: one fake device, a strictly increasing HLC. */
import type { EventEnvelope } from '../../../src-shared/events.ts';
import type { EscalationLevel } from '../../../src-shared/escalation.ts';

export const INCIDENT_ID = '019ab000-0000-7000-8000-0000000000aa';
export const ESCALATION_ID = '019ab000-0000-7000-8000-0000000000ee';

export function levels(...timeouts: number[]): EscalationLevel[] {
  return timeouts.map((ackTimeoutMs) => ({
    targets: [{ kind: 'role', role: 'supervisor', scope: 'facility' }],
    ackTimeoutMs,
  }));
}

export function eventLog(deviceId = 'dev-a') {
  let counter = 0;
  const events: EventEnvelope[] = [];
  const add = (type: string, payload: unknown, at: number) => {
    counter += 1;
    const e: EventEnvelope = {
      id: `019ab000-0000-7000-8000-${String(counter).padStart(12, '0')}`,
      streamId: ESCALATION_ID,
      type: type as EventEnvelope['type'],
      payload,
      actor: 'system',
      deviceId,
      deviceTime: at,
      hlc: `${String(at).padStart(15, '0')}-${String(counter).padStart(6, '0')}-${deviceId}`,
    };
    events.push(e);
    return e;
  };
  return {
    events,
    started(at: number, opts: { levels?: EscalationLevel[]; repeat?: number; requiredAcks?: 1 | 2 } = {}) {
      return add(
        'escalation.started',
        {
          incidentId: INCIDENT_ID,
          trigger: 'auto',
          policyId: 'threat',
          levels: opts.levels ?? levels(60_000, 60_000, 120_000),
          repeat: opts.repeat ?? 2,
          requiredAcks: opts.requiredAcks ?? 1,
          unit: 'Avdelning B',
          severity: 'high',
          title: 'Hot',
        },
        at,
      );
    },
    notified: (at: number, level: number, round: number, targets: string[] = []) =>
      add('escalation.notified', { incidentId: INCIDENT_ID, level, round, targets }, at),
    timedOut: (at: number, level: number, round: number) =>
      add('escalation.timed_out', { incidentId: INCIDENT_ID, level, round }, at),
    acked: (at: number, by: string, role = 'supervisor') =>
      add('escalation.acknowledged', { incidentId: INCIDENT_ID, by, role }, at),
    resolved: (at: number, reason = 'acknowledged') =>
      add('escalation.resolved', { incidentId: INCIDENT_ID, reason }, at),
  };
}
