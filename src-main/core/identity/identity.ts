/**
 * The console's identity in the facility mesh: its device id bound to an Ed25519 key.
 *
 * Decision (DESIGN §10 "Identity"): the device id stays the UUIDv7 the console has
 * always had (it is in every event it ever authored, in HLC node names and in tracker
 * enrolments), and the key is bound to it by a signed `device.enrolled` record rather
 * than the id being derived from the key as Syncthing does. A derived id would give every
 * upgraded console a second identity and orphan its pre-signature history. Peers pin the
 * key from the record (or its fingerprint), which gives the same guarantee: nobody
 * without the private key can act as that device id.
 *
 * The store remembers the public key (`identity.public_key`): if the key file vanishes
 * while the store has signed with it, start-up stops with a clear error instead of
 * quietly minting a key that no peer or tracker would accept for this device id.
 */
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { keyFingerprint, signBytes, signCanonical, signEnvelope } from '../../../src-common/trust/index.ts';
import type { SignableEnvelope } from '../../../src-shared/signed-envelope.ts';
import { loadOrCreateDeviceKey } from './device-key-file.ts';

export interface DeviceIdentity {
  readonly deviceId: string;
  /** Raw 32-byte Ed25519 public key, base64url (43 characters): what records and the wire carry. */
  readonly publicKey: string;
  /** sha256 of the raw public key, base64url, 16 characters: for pairing screens and logs. */
  readonly fingerprint: string;
  /** PKCS#8 PEM of the private key, for `tls.createSecureContext({ key })` (peer listener, issue 12b). */
  readonly privateKeyPem: string;
  readonly privateKey: KeyObject;
  /** Since when (ms) this console signs everything it authors; the tracker records it with the key. */
  readonly signingSince: number;
  sign(bytes: Uint8Array): Buffer;
  /** `sig` for an envelope: the signature over its canonical bytes. */
  signEvent(event: SignableEnvelope): string;
  /** The same, from the envelope's canonical text already in hand (the append computes it once). */
  signCanonical(canonical: string): string;
}

export interface IdentityMeta {
  getMeta(key: string): string | null;
  setMeta(key: string, value: string): void;
}

export const PUBLIC_KEY_META = 'identity.public_key';
/** When this store started signing (ms): the key's creation, or the upgrade that brought signing. */
export const SIGNING_SINCE_META = 'identity.signing_since';

/** The key file of a store file: `guardline.sqlite` -> `guardline.sqlite-device-key.pem`, like SQLite's `-wal`. */
export function deviceKeyFileFor(dataFile: string): string {
  return `${dataFile}-device-key.pem`;
}

export function loadDeviceIdentity(options: { keyFile: string; deviceId: string; meta: IdentityMeta }): DeviceIdentity {
  const remembered = options.meta.getMeta(PUBLIC_KEY_META);
  if (remembered !== null && !existsSync(options.keyFile)) {
    throw new Error(
      `device key ${options.keyFile} is missing, but this store signed events with key ${keyFingerprint(remembered)}: ` +
        'restore the key file from the backup of this data directory',
    );
  }
  const key = loadOrCreateDeviceKey(options.keyFile);
  if (remembered !== null && remembered !== key.publicKey) {
    throw new Error(
      `device key ${options.keyFile} (${keyFingerprint(key.publicKey)}) is not the key this store signed with ` +
        `(${keyFingerprint(remembered)})`,
    );
  }
  if (remembered === null) options.meta.setMeta(PUBLIC_KEY_META, key.publicKey);
  let since = Number(options.meta.getMeta(SIGNING_SINCE_META));
  if (!Number.isFinite(since) || since <= 0) {
    since = Date.now();
    options.meta.setMeta(SIGNING_SINCE_META, String(since));
  }
  return {
    deviceId: options.deviceId,
    publicKey: key.publicKey,
    fingerprint: keyFingerprint(key.publicKey),
    privateKeyPem: key.privateKeyPem,
    privateKey: key.privateKey,
    signingSince: since,
    sign: (bytes) => signBytes(key.privateKey, bytes),
    signEvent: (event) => signEnvelope(event, key.privateKey),
    signCanonical: (canonical) => signCanonical(canonical, key.privateKey),
  };
}
