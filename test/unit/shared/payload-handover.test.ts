/**
 * A receiver's gate validates each payload and the fold of the append right after validated
 * it again (issue 12i): the gate's successful parse is handed to the next parse of the very
 * same payload object, once. What the fold gets is what parsing gives; nothing is shared
 * between two consumers, and a failed or other-type parse is never handed on.
 */
import { describe, expect, it } from 'vitest';
import { parsedPayload, parseEventPayload, parseEventPayloadForLater } from '../../../src-shared/events.ts';
import { foldIncident } from '../../../src-shared/incident-fold.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { incidentInput } from '../../support/incidents.ts';

// `status` is not in the schema: zod leaves it out, so the fold never shows it.
const created = () => ({ ...incidentInput(), status: 'closed' });

/** An incident's creation with `payload`, as the fold is given it. */
const event = (payload: object) => ({
  id: '019ab000-0000-7000-8000-000000000001',
  streamId: 'inc-1',
  type: 'incident.created' as const,
  payload,
  actor: 'V1',
  deviceId: 'dev-a',
  deviceTime: 1,
  hlc: encodeHlc({ wallMs: 1, counter: 0, node: 'dev-a' }),
});

describe('a payload parse handed from the gate to the fold', () => {
  it('is taken once, by the next parse of the same object and type, and equals a parse of its own', () => {
    const payload = created();
    const gate = parseEventPayloadForLater('incident.created', payload);
    expect(gate.success).toBe(true);
    const first = parseEventPayload('incident.created', payload);
    expect(first).toBe(gate);
    const second = parseEventPayload('incident.created', payload);
    expect(second).not.toBe(gate);
    expect(second).toEqual(gate);
    expect(first.data).not.toHaveProperty('status');
  });

  it('is not handed to a parse as another type, nor when it failed', () => {
    const payload = created();
    parseEventPayloadForLater('incident.created', payload);
    expect(parseEventPayload('incident.note_added', payload).success).toBe(false);
    // Taken (and dropped) by that parse: the next one parses again.
    expect(parseEventPayload('incident.created', payload).success).toBe(true);

    const bad = { ...created(), title: 42 };
    expect(parseEventPayloadForLater('incident.created', bad).success).toBe(false);
    expect(parseEventPayload('incident.created', bad).success).toBe(false);
  });

  it('folds an incident exactly as without it', () => {
    const handed = event(created());
    parseEventPayloadForLater('incident.created', handed.payload);
    expect(foldIncident([handed])).toEqual(foldIncident([event(created())]));
    expect(foldIncident([handed])?.status).toBe('open');
  });
});

/** A created incident's payload as its schema gives it (what a command's dispatch marks). */
const schemaOutput = () => parseEventPayload('incident.created', incidentInput()).data!;

describe("a payload marked as its schema's output (parsedPayload: a command's, or the frame worker's)", () => {
  it('is read as itself by every parse of its type, and by zod as any other type', () => {
    const payload = schemaOutput();
    expect(parsedPayload('incident.created', payload)).toBe(payload);
    for (let i = 0; i < 3; i++) {
      const read = parseEventPayload('incident.created', payload);
      expect(read.success).toBe(true);
      expect(read.data).toBe(payload);
    }
    // Another type's schema parses it itself (a note needs a text): no mark is taken for it.
    expect(parseEventPayload('incident.note_added', payload).success).toBe(false);
    expect(parseEventPayload('incident.created', payload).data).toBe(payload);
  });

  it('stays marked after a parse handed on once for the same object was taken', () => {
    const payload = schemaOutput();
    parsedPayload('incident.created', payload);
    const gate = parseEventPayloadForLater('incident.created', payload);
    expect(parseEventPayload('incident.created', payload)).toBe(gate);
    // The hand-over is gone; the mark is not (round 12q: two maps, the mark a type alone).
    expect(parseEventPayload('incident.created', payload).data).toBe(payload);
  });

  it('folds an incident exactly as an unmarked payload does', () => {
    const marked = schemaOutput();
    parsedPayload('incident.created', marked);
    expect(foldIncident([event(marked)])).toEqual(foldIncident([event(incidentInput())]));
  });
});
