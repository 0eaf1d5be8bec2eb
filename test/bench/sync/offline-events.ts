/**
 * The 50,000 events a console could pile up during a long outage, made directly
 * (not through dispatch) so set-up takes seconds: valid `incident.*` events as the
 * incidents feature writes them. Each incident is created, noted, acknowledged and
 * noted again, its later events spread over the following ~2,000 events the way
 * follow-ups trickle in, so a push batch often extends streams an earlier batch began.
 */
import { v7 as uuidv7 } from 'uuid';
import { DEFAULT_ESCALATION_POLICIES, matchingPolicy } from '../../../src-shared/escalation.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import type { IncidentCategory, IncidentSeverity } from '../../../src-shared/incident.ts';
import { escalationIdFor, stepEventId } from '../../../src-main/core/escalation/model.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { signAsAuthor } from '../../support/device-keys.ts';

export const EVENTS_PER_INCIDENT = 4;
/** How far (in events) an incident's follow-ups trail its creation. */
const FOLLOW_UP_SPREAD = [0, 600, 1_300, 2_000];

export interface OfflineBacklog {
  events: EventEnvelope[];
  incidents: number;
}

export function offlineBacklog(options: {
  count: number;
  deviceId: string;
  facility: string;
  unit: string;
  actor: string;
  /** Wall clock of the first event (ms); each event is 1 ms after the one before. */
  startMs: number;
  /** Number and sign the events as their device would (its test key): what a tracker accepts. */
  signed?: boolean;
  /**
   * Also the escalations the console's escalation runner writes for the incidents its default
   * policies match (threats of high severity), with the runner's deterministic ids: started,
   * incident escalated and first notification right after the creation, acknowledged and
   * resolved with the incident's acknowledgement. A console that logged the backlog with its
   * runner on holds them, so a peer catching up finds each threat already escalated, as it
   * would after a real partition, instead of starting every escalation again itself.
   */
  escalations?: boolean;
}): OfflineBacklog {
  if (options.count % EVENTS_PER_INCIDENT !== 0)
    throw new RangeError(`count must be a multiple of ${EVENTS_PER_INCIDENT}`);
  const incidents = options.count / EVENTS_PER_INCIDENT;
  // Place every event at a slot (creation index + spread), then order by slot: a stable, deterministic interleaving.
  const slotted: { slot: number; make: (ms: number) => EventEnvelope }[] = [];
  for (let i = 0; i < incidents; i++) {
    const id = uuidv7();
    const make = (type: EventEnvelope['type'], payload: unknown) => (ms: number) => ({
      id: uuidv7(),
      streamId: id,
      type,
      payload,
      actor: options.actor,
      deviceId: options.deviceId,
      deviceTime: ms,
      hlc: encodeHlc({ wallMs: ms, counter: 0, node: options.deviceId }),
    });
    const base = i * EVENTS_PER_INCIDENT;
    const created = createdPayload(i, options);
    const policy = options.escalations ? matchingPolicy(DEFAULT_ESCALATION_POLICIES, created) : null;
    if (policy) {
      const escalationId = escalationIdFor(id, 1);
      const step =
        (type: EventEnvelope['type'], stream: string, eventId: string, payload: unknown) => (ms: number) => ({
          ...make(type, payload)(ms),
          id: eventId,
          streamId: stream,
          actor: 'system',
        });
      const acked = base + FOLLOW_UP_SPREAD[2]!;
      const by = options.actor.toUpperCase();
      slotted.push(
        {
          slot: base + 0.1,
          make: step('escalation.started', escalationId, stepEventId(escalationId, 'started'), {
            incidentId: id,
            trigger: 'auto',
            policyId: policy.id,
            levels: policy.levels,
            repeat: policy.repeat,
            requiredAcks: policy.twoPersonSeverities.includes(created.severity) ? 2 : 1,
            unit: created.unit,
            severity: created.severity,
            title: created.title,
          }),
        },
        {
          slot: base + 0.2,
          make: step('incident.status_changed', id, stepEventId(escalationId, 'incident_escalated'), {
            from: 'open',
            to: 'escalated',
            reason: 'escalation',
          }),
        },
        {
          slot: base + 0.3,
          make: step('escalation.notified', escalationId, stepEventId(escalationId, 'notified', 1, 1), {
            incidentId: id,
            level: 1,
            round: 1,
            targets: [options.actor],
          }),
        },
        {
          slot: acked - 0.2,
          make: (ms) => ({
            ...step('escalation.acknowledged', escalationId, stepEventId(escalationId, 'acknowledged', by), {
              incidentId: id,
              by,
              role: 'supervisor',
            })(ms),
            actor: options.actor,
          }),
        },
        {
          slot: acked - 0.1,
          make: step('escalation.resolved', escalationId, stepEventId(escalationId, 'resolved'), {
            incidentId: id,
            reason: 'acknowledged',
          }),
        },
      );
    }
    slotted.push(
      { slot: base + FOLLOW_UP_SPREAD[0]!, make: make('incident.created', created) },
      {
        slot: base + FOLLOW_UP_SPREAD[1]!,
        make: make('incident.note_added', note(`Samtal med intagen ${i} noterat.`)),
      },
      {
        slot: base + FOLLOW_UP_SPREAD[2]!,
        // An escalated incident cannot go back to acknowledged: its alarm was acknowledged
        // (above) and the incident is resolved instead.
        make: make(
          'incident.status_changed',
          policy
            ? { from: 'escalated', to: 'resolved', reason: 'Situationen hanterad' }
            : { from: 'open', to: 'acknowledged', reason: 'Kvitterad av vakthavande' },
        ),
      },
      { slot: base + FOLLOW_UP_SPREAD[3]!, make: make('incident.note_added', note(`Uppföljning ${i} klar.`)) },
    );
  }
  slotted.sort((a, b) => a.slot - b.slot);
  const events = slotted.map((s, n) => s.make(options.startMs + n));
  return { events: options.signed ? events.map((e) => signAsAuthor(e)) : events, incidents };
}

function createdPayload(i: number, options: { facility: string; unit: string }) {
  return {
    facility: options.facility,
    unit: options.unit,
    category: (i % 3 === 0 ? 'threat' : 'other') as IncidentCategory,
    severity: (i % 5 === 0 ? 'high' : 'medium') as IncidentSeverity,
    title: `Händelse ${i} vid matsalen`,
    description: 'Intagen hotade personal med överfall efter telefonsamtal; personal larmade och situationen lugnades.',
    peopleInvolved: ['A. Andersson'],
    location: 'Matsalen',
    occurredAt: '2026-11-25T21:14:00+01:00',
    reportedBy: 'V1234',
  };
}

function note(text: string) {
  return { noteId: uuidv7(), text };
}
