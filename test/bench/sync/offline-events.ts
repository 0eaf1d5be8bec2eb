/**
 * The 50,000 events a console could pile up during a long outage, made directly
 * (not through dispatch) so set-up takes seconds: valid `incident.*` events as the
 * incidents feature writes them. Each incident is created, noted, acknowledged and
 * noted again, its later events spread over the following ~2,000 events the way
 * follow-ups trickle in, so a push batch often extends streams an earlier batch began.
 */
import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '../../../src-shared/events.ts';
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
    slotted.push(
      { slot: base + FOLLOW_UP_SPREAD[0]!, make: make('incident.created', createdPayload(i, options)) },
      {
        slot: base + FOLLOW_UP_SPREAD[1]!,
        make: make('incident.note_added', note(`Samtal med intagen ${i} noterat.`)),
      },
      {
        slot: base + FOLLOW_UP_SPREAD[2]!,
        make: make('incident.status_changed', { from: 'open', to: 'acknowledged', reason: 'Kvitterad av vakthavande' }),
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
    category: i % 3 === 0 ? 'threat' : 'other',
    severity: i % 5 === 0 ? 'high' : 'medium',
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
