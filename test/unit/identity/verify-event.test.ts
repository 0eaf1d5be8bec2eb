import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createKeyring,
  generateDeviceKeyPair,
  signEnvelope,
  verifyAuthoredEvent,
} from '../../../src-common/trust/index.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';

const FACILITY = 'Kumla';

function device(deviceId: string) {
  const pair = generateDeviceKeyPair();
  const privateKey = createPrivateKey(pair.privateKeyPem);
  let seq = 0;
  return {
    deviceId,
    publicKey: pair.publicKey,
    sign(event: Omit<EventEnvelope, 'sig' | 'deviceSeq'>, as = deviceId): EventEnvelope {
      const numbered = { ...event, deviceId: as, deviceSeq: ++seq };
      return { ...numbered, sig: signEnvelope(numbered, privateKey) };
    },
  };
}

const fact = (deviceId: string): Omit<EventEnvelope, 'sig' | 'deviceSeq'> => ({
  id: '019a0000-0000-7000-8000-000000000001',
  streamId: 's1',
  type: 'incident.note_added',
  payload: { noteId: 'n1', text: 'Larm i korridor B' },
  actor: 'Vakt 1042',
  deviceId,
  deviceTime: 1_800_000_000_000,
  hlc: '001800000000000-000000-x',
});

describe('verifying authored events', () => {
  const a = device('ws-a');
  const b = device('ws-b');
  const keyring = createKeyring([
    { deviceId: 'ws-a', publicKey: a.publicKey, facility: FACILITY },
    { deviceId: 'ws-b', publicKey: b.publicKey, facility: FACILITY },
  ]);
  const verify = (e: EventEnvelope) => verifyAuthoredEvent(e, keyring, { facility: FACILITY });

  it('accepts an event signed by its author, whatever key order the relay used', () => {
    const event = a.sign(fact('ws-a'));
    expect(verify(event)).toEqual({ ok: true, preSignature: false });
    // Same content, other key order (as another JSON writer would send it).
    const { payload: _payload, sig, ...rest } = event;
    const reordered = JSON.parse(
      JSON.stringify({ sig, payload: { text: 'Larm i korridor B', noteId: 'n1' }, ...rest }),
    ) as EventEnvelope;
    expect(verify(reordered)).toEqual({ ok: true, preSignature: false });
  });

  it('refuses a tampered payload and a renumbered feed as a bad signature on the sig field', () => {
    const event = a.sign(fact('ws-a'));
    expect(verify({ ...event, payload: { noteId: 'n1', text: 'Inget larm' } })).toMatchObject({
      ok: false,
      code: 'bad_signature',
      field: 'sig',
    });
    expect(verify({ ...event, deviceSeq: 7 })).toMatchObject({ ok: false, code: 'bad_signature' });
  });

  it('refuses an event re-signed by another device under the author’s id', () => {
    const forged = b.sign(fact('ws-a'), 'ws-a');
    expect(verify(forged)).toMatchObject({ ok: false, code: 'bad_signature', field: 'sig' });
  });

  it('refuses unknown authors and authors enrolled in another facility, naming deviceId', () => {
    const stranger = device('ws-x');
    expect(verify(stranger.sign(fact('ws-x')))).toMatchObject({ ok: false, code: 'unknown_device', field: 'deviceId' });
    const elsewhere = createKeyring([{ deviceId: 'ws-a', publicKey: a.publicKey, facility: 'Hall' }]);
    expect(verifyAuthoredEvent(a.sign(fact('ws-a')), elsewhere, { facility: FACILITY })).toMatchObject({
      ok: false,
      code: 'other_facility',
      field: 'deviceId',
    });
  });

  it('refuses an unsigned event unless the receiver’s pre-signature rule admits it', () => {
    const old = fact('ws-a');
    expect(verify(old)).toMatchObject({ ok: false, code: 'unsigned', field: 'sig' });
    expect(verifyAuthoredEvent(old, keyring, { facility: FACILITY, allowUnsigned: () => true })).toEqual({
      ok: true,
      preSignature: true,
    });
  });
});
