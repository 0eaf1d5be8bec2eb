/**
 * The revocation rule (src-shared/device-revocation.ts) as the tracker applies it
 * (src-tracker/events/author-check.ts): real keys and signatures, a revoked device's events
 * up to its cutoff verify, later ones are refused naming the field, whatever their order.
 */
import { describe, expect, it } from 'vitest';
import { mergeCutoff, revokedAfterCutoff } from '../../../src-shared/device-revocation.ts';
import { firstRefusal } from '../../../src-tracker/events/author-check.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { signAsAuthor, testKey } from '../../support/device-keys.ts';

const FACILITY = 'Kumla';
let n = 0;
const note = (deviceId: string, deviceSeq: number): EventEnvelope =>
  signAsAuthor({
    id: `019a0000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    streamId: 's1',
    type: 'incident.note_added',
    payload: { noteId: `n${n}`, text: 'Larm i korridor B' },
    actor: 'Vakt 1042',
    deviceId,
    deviceTime: 1_800_000_000_000,
    hlc: `0018000000000${String(n).padStart(2, '0')}-000000-x`,
    deviceSeq,
  });

const entries = ['ws-a', 'ws-c'].map((deviceId) => ({
  deviceId,
  publicKey: testKey(deviceId).publicKey,
  facility: FACILITY,
}));

describe('a revoked device after its cutoff', () => {
  it('is told apart by its sequence number; unsigned counts as after', () => {
    const cut = { 'ws-c': 5 };
    expect(revokedAfterCutoff(cut, { deviceId: 'ws-c', deviceSeq: 5 })).toBe(false);
    expect(revokedAfterCutoff(cut, { deviceId: 'ws-c', deviceSeq: 6 })).toBe(true);
    expect(revokedAfterCutoff(cut, { deviceId: 'ws-c' })).toBe(true);
    expect(revokedAfterCutoff(cut, { deviceId: 'ws-a', deviceSeq: 99 })).toBe(false);
    expect(revokedAfterCutoff(new Map([['ws-c', 5]]), { deviceId: 'ws-c', deviceSeq: 6 })).toBe(true);
  });

  it('keeps the lower of two cutoffs, in either order', () => {
    expect(mergeCutoff(mergeCutoff(undefined, 9), 4)).toBe(4);
    expect(mergeCutoff(mergeCutoff(undefined, 4), 9)).toBe(4);
  });

  it('is refused at the tracker even when relayed, after events up to the cutoff pass', () => {
    const events = [note('ws-c', 1), note('ws-c', 2), note('ws-a', 1), note('ws-c', 3)];
    const check = { events, entries, facility: FACILITY, pusher: 'ws-a', revokedThrough: { 'ws-c': 2 } };
    const refusal = firstRefusal(check);
    expect(refusal?.index).toBe(3);
    expect(refusal?.verdict).toMatchObject({ ok: false, code: 'unknown_device', field: 'deviceId' });
    expect(firstRefusal({ ...check, events: events.slice(0, 3) })).toBeNull();
  });

  it('a revocation record of another facility is refused', () => {
    const record = signAsAuthor({
      ...note('ws-a', 2),
      type: 'device.revoked',
      streamId: 'device:ws-c',
      payload: { deviceId: 'ws-c', facility: 'Hall', throughSeq: 2, revokedBy: 'ws-a', reason: '' },
      deviceSeq: 2,
    });
    const refusal = firstRefusal({ events: [record], entries, facility: FACILITY, pusher: 'ws-a' });
    expect(refusal?.verdict).toMatchObject({ code: 'other_facility', field: 'deviceId' });
  });
});
