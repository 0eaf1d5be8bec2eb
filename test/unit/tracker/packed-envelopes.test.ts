import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { checkSlice } from '../../../src-tracker/events/author-check.ts';
import { packEnvelopes, unpackEnvelopes } from '../../../src-tracker/events/packed-envelopes.ts';
import { createVerifyPool } from '../../../src-tracker/events/verify-pool.ts';
import { offlineBacklog } from '../../bench/sync/offline-events.ts';
import { testKey } from '../../support/device-keys.ts';

const FACILITY = 'Märsta';
const DEVICE = 'ws-packed';

function envelope(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: '0192a0c0-0000-7000-8000-000000000001',
    streamId: '0192a0c0-0000-7000-9000-000000000001',
    type: 'incident.note_added',
    payload: { noteId: '0192a0c0-0000-7000-a000-000000000001', text: 'Samtal noterat. 😀' },
    actor: 'V1234',
    deviceId: 'ws-1',
    deviceTime: 1_764_100_000_000,
    hlc: '001764100000000-000000-ws-1',
    ...overrides,
  };
}

describe('envelopes packed for the verification workers', () => {
  it('come back as the same envelopes, optional fields absent where they were absent', () => {
    const events = [
      envelope(),
      envelope({ deviceSeq: 7, sig: 'A'.repeat(86), prev: 'b'.repeat(43) }),
      envelope({ deviceSeq: 1, sig: 'C'.repeat(86) }),
    ];
    const unpacked = unpackEnvelopes(structuredClone(packEnvelopes(events)));
    expect(unpacked).toStrictEqual(events);
    expect(Object.keys(unpacked[0]!)).toEqual(Object.keys(events[0]!));
    expect('deviceSeq' in unpacked[0]! || 'sig' in unpacked[0]! || 'prev' in unpacked[0]!).toBe(false);
  });

  it('carry any JSON payload as the text the tracker stores', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), (payloads) => {
        const events = payloads.map((payload) => envelope({ payload }));
        const texts = payloads.map((p) => JSON.stringify(p));
        const unpacked = unpackEnvelopes(structuredClone(packEnvelopes(events, texts)));
        expect(unpacked.map((e) => e.payload)).toStrictEqual(texts.map((t) => JSON.parse(t) as unknown));
      }),
    );
  });

  it('keep a missing payload missing, so its schema check still refuses it', () => {
    const [event] = unpackEnvelopes(packEnvelopes([envelope({ payload: undefined })]));
    expect(event!.payload).toBeUndefined();
  });

  describe('through the worker pool', () => {
    const pool = createVerifyPool(2);
    afterAll(() => pool.close());
    const { events } = offlineBacklog({
      count: 40,
      deviceId: DEVICE,
      facility: FACILITY,
      unit: 'Avdelning B',
      actor: 'A-packed',
      startMs: Date.now() - 40,
      signed: true,
    });
    const entries = [{ deviceId: DEVICE, publicKey: testKey(DEVICE).publicKey, facility: FACILITY }];
    const check = (batch: EventEnvelope[]) => ({
      events: batch,
      entries,
      facility: FACILITY,
      pusher: DEVICE,
      held: {},
      payloads: true,
    });

    it('give the verdict the event loop gives for a valid push, a tampered event and a bad payload', async () => {
      const tampered = events.map((e, i) => (i === 27 ? { ...e, payload: { ...(e.payload as object), x: 1 } } : e));
      const badPayload = events.map((e, i) => (i === 31 ? { ...e, payload: { title: 5 } } : e));
      for (const batch of [events, tampered, badPayload]) {
        const onWorkers = await pool.check(
          check(batch),
          batch.map((e) => JSON.stringify(e.payload)),
        );
        expect(onWorkers).toEqual(checkSlice(check(batch)));
      }
      expect((await pool.check(check(tampered))).refusal?.index).toBe(27);
      expect((await pool.check(check(badPayload))).badPayload?.index).toBe(31);
    });
  });
});
