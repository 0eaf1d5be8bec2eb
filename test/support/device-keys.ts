/**
 * Ed25519 keys for test devices, one per device id for the life of the test process,
 * and signing the way a console does (deviceSeq 1, 2, 3… per device, signature over
 * the canonical envelope). Real keys and real signatures: the tracker verifies them.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { generateDeviceKeyPair, signEnvelope } from '../../src-common/trust/index.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';

interface TestKey {
  publicKey: string;
  privateKeyPem: string;
  privateKey: KeyObject;
  nextSeq: number;
}

const keys = new Map<string, TestKey>();

export function testKey(deviceId: string): TestKey {
  let key = keys.get(deviceId);
  if (!key) {
    const pair = generateDeviceKeyPair();
    key = { ...pair, privateKey: createPrivateKey(pair.privateKeyPem), nextSeq: 1 };
    keys.set(deviceId, key);
  }
  return key;
}

/** Numbers (when not numbered yet) and signs `event` as its author `event.deviceId`. */
export function signAsAuthor(event: EventEnvelope, signer = event.deviceId): EventEnvelope {
  const key = testKey(signer);
  const { sig: _old, ...rest } = event;
  const numbered = { ...rest, deviceSeq: rest.deviceSeq ?? key.nextSeq++ };
  return { ...numbered, sig: signEnvelope(numbered, key.privateKey) };
}

/** The envelope as it was before signing existed. */
export function unsigned(event: EventEnvelope): EventEnvelope {
  const { sig: _sig, deviceSeq: _seq, ...rest } = event;
  return rest;
}
