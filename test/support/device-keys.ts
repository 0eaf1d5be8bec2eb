/**
 * Ed25519 keys for test devices, one per device id for the life of the test process,
 * and signing the way a console does (deviceSeq 1, 2, 3… per device, signature over
 * the canonical envelope, `prev` linking each newly numbered event to the one before it).
 * Real keys and real signatures: the tracker verifies them.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { authorHash, generateDeviceKeyPair, signEnvelope } from '../../src-common/trust/index.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';

interface TestKey {
  publicKey: string;
  privateKeyPem: string;
  privateKey: KeyObject;
  nextSeq: number;
  /** Author hash of the last event this key numbered: the next one's `prev`. */
  last: string | null;
}

const keys = new Map<string, TestKey>();

export function testKey(deviceId: string): TestKey {
  let key = keys.get(deviceId);
  if (!key) {
    const pair = generateDeviceKeyPair();
    key = { ...pair, privateKey: createPrivateKey(pair.privateKeyPem), nextSeq: 1, last: null };
    keys.set(deviceId, key);
  }
  return key;
}

/**
 * Numbers (when not numbered yet) and signs `event` as its author `event.deviceId`. An
 * event numbered here is linked (`prev`) to the last one numbered here, as a console's
 * store does; an event that comes numbered keeps its own number and link.
 */
export function signAsAuthor(event: EventEnvelope, signer = event.deviceId): EventEnvelope {
  const key = testKey(signer);
  const { sig: _old, ...rest } = event;
  if (rest.deviceSeq !== undefined) return { ...rest, sig: signEnvelope(rest, key.privateKey) };
  const numbered = { ...rest, deviceSeq: key.nextSeq++, ...(key.last !== null ? { prev: key.last } : {}) };
  const signed = { ...numbered, sig: signEnvelope(numbered, key.privateKey) };
  key.last = authorHash(signed);
  return signed;
}

/** The envelope as it was before signing existed. */
export function unsigned(event: EventEnvelope): EventEnvelope {
  const { sig: _sig, deviceSeq: _seq, prev: _prev, ...rest } = event;
  return rest;
}
