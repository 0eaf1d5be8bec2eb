/**
 * Ed25519 keys as Guardline passes them around: the raw 32-byte public key in
 * base64url (43 characters) on the wire and in records, KeyObjects inside node:crypto.
 * JWK is node:crypto's way in and out of raw Ed25519 keys without hand-built DER.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface KeyPairPem {
  /** PKCS#8 PEM: what `tls.createSecureContext({ key })` and `createPrivateKey` take. */
  privateKeyPem: string;
  /** Raw public key, base64url. */
  publicKey: string;
}

export function generateDeviceKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: rawPublicKey(publicKey),
  };
}

/** The raw 32-byte public key of a public or private KeyObject, base64url. */
export function rawPublicKey(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('not an Ed25519 key');
  return jwk.x;
}

/** Builds a KeyObject from a raw base64url public key; throws on anything that is not one. */
export function publicKeyObject(raw: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
}

/**
 * Short, stable name of a key for logs, pinning and pairing screens: sha256 of the raw
 * key, base64url, first 16 characters (96 bits). Syncthing shows the same kind of digest.
 */
export function keyFingerprint(raw: string): string {
  return createHash('sha256').update(Buffer.from(raw, 'base64url')).digest('base64url').slice(0, 16);
}

export function signBytes(privateKey: KeyObject, bytes: Uint8Array): Buffer {
  return sign(null, bytes, privateKey);
}

export function verifyBytes(publicKey: KeyObject, bytes: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, bytes, publicKey, signature);
  } catch {
    return false;
  }
}
