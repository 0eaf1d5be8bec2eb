/**
 * The console's Ed25519 private key on disk: one PKCS#8 PEM file beside the store,
 * created once, mode 0600, never copied anywhere else (the key leaves this file only
 * into this process's memory: signing, and the TLS context of the peer listener).
 *
 * Created atomically (temporary file with O_EXCL, fsync, rename, fsync of the
 * directory), so a power cut leaves either no key or a whole one, never half a key
 * that would sign nothing verifiable.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { generateDeviceKeyPair, rawPublicKey } from '../../../src-common/trust/index.ts';

export interface DeviceKey {
  privateKey: KeyObject;
  privateKeyPem: string;
  /** Raw Ed25519 public key, base64url. */
  publicKey: string;
  /** True when this call created the key. */
  created: boolean;
}

export function readDeviceKey(file: string): DeviceKey | null {
  if (!existsSync(file)) return null;
  // Someone loosened the mode (a restore, a copy): tighten it again before use.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const privateKeyPem = readFileSync(file, 'utf8');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new Error(`device key ${file} is not a readable private key: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`device key ${file} is a ${privateKey.asymmetricKeyType} key, not Ed25519`);
  }
  return { privateKey, privateKeyPem, publicKey: rawPublicKey(privateKey), created: false };
}

export function loadOrCreateDeviceKey(file: string): DeviceKey {
  const existing = readDeviceKey(file);
  if (existing) return existing;
  const pair = generateDeviceKeyPair();
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, pair.privateKeyPem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return { ...readDeviceKey(file)!, created: true };
}
