/**
 * A push's envelopes as the verification workers get them (verify-pool.ts): every field in
 * flat arrays, strings in one, numbers in a Float64Array, each payload as its JSON text (the
 * text the tracker stores, validate-push.ts `payloadText`), rebuilt into envelopes on the worker.
 *
 * Why: postMessage clones what it is given with V8's serializer, which walks every object and
 * writes every key; posting a 1,000-event push's envelopes as objects was the largest single
 * item of the drain's event loop after the INSERT (issue 16, round 16ab: 4–5 ms per 1,000
 * events sampled), and the workers paid about as much again to rebuild them. Strings are
 * copied whole, and JSON.parse of the payload texts on the worker costs less than
 * deserializing the same objects. A payload parsed from its stored text is the value the
 * tracker stores and HQ folds; a `-0` in a pushed payload is `0` in both (JSON has no -0).
 * Hand-written: a fixed layout over the envelope's fields, which the module checks against
 * EventEnvelope's schema when it loads, so a field added to the envelope cannot be dropped here.
 */
import { EventEnvelope } from '../../src-shared/events.ts';

/** The envelope's string fields in pack order; `payload` travels as its JSON text after them. */
const STRINGS = ['id', 'streamId', 'type', 'actor', 'deviceId', 'hlc', 'sig', 'prev'] as const;
const NUMBERS = ['deviceTime', 'deviceSeq'] as const;
const STRIDE = STRINGS.length + 1;

{
  const packed = new Set<string>([...STRINGS, ...NUMBERS, 'payload']);
  const schema = Object.keys(EventEnvelope.shape);
  const missing = schema.filter((key) => !packed.has(key));
  if (missing.length > 0 || schema.length !== packed.size)
    throw new Error(
      `packed-envelopes.ts does not carry the envelope's fields: ${missing.join(', ') || 'a field it packs is gone'}`,
    );
}

export interface PackedEnvelopes {
  count: number;
  /** STRIDE entries an event: the STRINGS (null where absent), then the payload's JSON (null when it had none). */
  strings: (string | null)[];
  /** Two an event: deviceTime, then deviceSeq (NaN where absent). */
  numbers: Float64Array;
}

/**
 * `payloadTexts[i]` is JSON.stringify of `events[i].payload` (the push route has it already);
 * computed here when not given.
 */
export function packEnvelopes(
  events: readonly EventEnvelope[],
  payloadTexts?: readonly (string | undefined)[],
): PackedEnvelopes {
  const strings: (string | null)[] = new Array<string | null>(events.length * STRIDE);
  const numbers = new Float64Array(events.length * NUMBERS.length);
  let s = 0;
  for (const [index, event] of events.entries()) {
    for (const key of STRINGS) strings[s++] = event[key] ?? null;
    const text = payloadTexts ? payloadTexts[index] : (JSON.stringify(event.payload) as string | undefined);
    strings[s++] = text ?? null;
    numbers[index * 2] = event.deviceTime;
    numbers[index * 2 + 1] = event.deviceSeq ?? Number.NaN;
  }
  return { count: events.length, strings, numbers };
}

export function unpackEnvelopes(packed: PackedEnvelopes): EventEnvelope[] {
  const { count, strings, numbers } = packed;
  const events: EventEnvelope[] = new Array<EventEnvelope>(count);
  for (let index = 0, s = 0; index < count; index++, s += STRIDE) {
    const text = strings[s + 8] ?? null;
    const event = {
      id: strings[s]!,
      streamId: strings[s + 1]!,
      type: strings[s + 2]! as EventEnvelope['type'],
      payload: text === null ? undefined : (JSON.parse(text) as unknown),
      actor: strings[s + 3]!,
      deviceId: strings[s + 4]!,
      deviceTime: numbers[index * 2]!,
      hlc: strings[s + 5]!,
    } as EventEnvelope;
    const deviceSeq = numbers[index * 2 + 1]!;
    if (!Number.isNaN(deviceSeq)) event.deviceSeq = deviceSeq;
    const sig = strings[s + 6];
    if (sig != null) event.sig = sig;
    const prev = strings[s + 7];
    if (prev != null) event.prev = prev;
    events[index] = event;
  }
  return events;
}
