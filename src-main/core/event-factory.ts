/**
 * Builds event envelopes for a console's own facts: the device, both clocks and the
 * actor, so every feature stamps events the same way. The id is a fresh UUIDv7 unless
 * the caller derives one (escalation steps use deterministic ids so two consoles that
 * record the same step produce the same event, deduplicated on sync).
 */
import { timeOrderedId } from './time-ordered-ids.ts';
import type { EventEnvelope, EventPayload, EventType } from '../../src-shared/events.ts';
import type { HybridLogicalClock } from '../../src-shared/hlc.ts';

export interface EventFactoryDeps {
  clock: HybridLogicalClock;
  deviceId: string;
  wallClock: () => number;
}

export type EventFactory = <T extends EventType>(
  type: T,
  streamId: string,
  payload: EventPayload<T>,
  actor: string,
  id?: string,
) => EventEnvelope;

export function createEventFactory(deps: EventFactoryDeps): EventFactory {
  return (type, streamId, payload, actor, id) => ({
    id: id ?? timeOrderedId(),
    streamId,
    type,
    payload,
    actor,
    deviceId: deps.deviceId,
    deviceTime: Math.floor(deps.wallClock()),
    hlc: deps.clock.now(),
  });
}

/** Actor of facts nobody signed in caused: sign-in attempts, the escalation timer. */
export const ANONYMOUS_ACTOR = 'anonymous';
export const SYSTEM_ACTOR = 'system';
