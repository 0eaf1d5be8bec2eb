/**
 * Pairing two consoles of a facility that has never reached a tracker (so no device
 * records have arrived through its log): an admin shows a one-time code on console A and
 * types it, with A's address, on console B. Over the TLS connection each side proves it
 * knows the code, bound to both certificate keys, and then pins the other's key.
 *
 * Proof = HMAC(scrypt(code), role || own key fingerprint || other's fingerprint). The
 * code is 10 Crockford base32 characters (50 bits) and the key stretched by scrypt, so a
 * man in the middle who captures a proof cannot search the code space in the code's ten
 * minutes of life; A accepts one successful use and at most five failed attempts.
 */
import { createHmac, randomInt, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import type { EventStore } from '../store/event-store.ts';
import type { TrustedDevice } from './peer-session.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAIRING_CODE_LENGTH = 10;
export const PAIRING_TTL_MS = 10 * 60 * 1000;
const MAX_FAILED_ATTEMPTS = 5;
const SCRYPT = { N: 1 << 14, r: 8, p: 1 } as const;

export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export function pairingKey(code: string): Buffer {
  return scryptSync(code, 'guardline-mesh-pairing-v1', 32, SCRYPT);
}

/**
 * The same key, stretched on libuv's thread pool: on the console's thread scrypt held it for
 * 77-95 ms (the receiver's profile in npm run bench mesh), over issue 16's 50 ms.
 */
export function pairingKeyAsync(code: string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(code, 'guardline-mesh-pairing-v1', 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export function pairingProof(key: Buffer, role: 'dialer' | 'acceptor', ownFp: string, otherFp: string): string {
  return createHmac('sha256', key).update(`${role}\n${ownFp}\n${otherFp}`).digest('hex');
}

export function proofMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(given, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The code an admin showed on this console, while it lives. */
export function createPairingDesk(wallClock: () => number) {
  let current: { code: string; key: Buffer; expiresAt: number; failures: number } | null = null;
  return {
    open(): { code: string; expiresAt: number } {
      const code = newPairingCode();
      current = { code, key: pairingKey(code), expiresAt: wallClock() + PAIRING_TTL_MS, failures: 0 };
      return { code, expiresAt: current.expiresAt };
    },
    /** Check a dialer's proof; on success the code is spent and our own proof returned. */
    answer(dialerProof: string, dialerFp: string, ownFp: string): string | null {
      if (!current || wallClock() > current.expiresAt) {
        current = null;
        return null;
      }
      if (!proofMatches(pairingProof(current.key, 'dialer', dialerFp, ownFp), dialerProof)) {
        current.failures += 1;
        if (current.failures >= MAX_FAILED_ATTEMPTS) current = null;
        return null;
      }
      const ours = pairingProof(current.key, 'acceptor', ownFp, dialerFp);
      current = null;
      return ours;
    },
  };
}
export type PairingDesk = ReturnType<typeof createPairingDesk>;

export interface PairedDevice extends TrustedDevice {
  /** SHA-256 of the certificate key (hex), as the pairing proofs bound it. */
  fingerprint: string;
  /** The peer's raw Ed25519 public key (base64url), for its `device.enrolled` record. */
  publicKey: string;
  /** Where we dialled it (null on the side that showed the code). */
  address: string | null;
  pairedAt: number;
}

const ADDRESSES_KEY = 'mesh.paired_addresses';
const REMOVED_KEY = 'mesh.removed_devices';

/**
 * What pairing and removal leave on this console: addresses to keep dialling, and
 * devices an admin removed (refused here even if a record in the log names their key).
 */
export function createMeshMemory(store: EventStore) {
  const list = (key: string): string[] => {
    try {
      const value = JSON.parse(store.getMeta(key) ?? '[]') as unknown;
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    } catch {
      return [];
    }
  };
  const save = (key: string, values: string[]) => store.setMeta(key, JSON.stringify([...new Set(values)]));
  return {
    addresses: () => list(ADDRESSES_KEY),
    addAddress: (address: string) => save(ADDRESSES_KEY, [...list(ADDRESSES_KEY), address]),
    dropAddress: (address: string) =>
      save(
        ADDRESSES_KEY,
        list(ADDRESSES_KEY).filter((a) => a !== address),
      ),
    removed: () => new Set(list(REMOVED_KEY)),
    remove: (deviceId: string) => save(REMOVED_KEY, [...list(REMOVED_KEY), deviceId]),
    restore: (deviceId: string) =>
      save(
        REMOVED_KEY,
        list(REMOVED_KEY).filter((d) => d !== deviceId),
      ),
  };
}
export type MeshMemory = ReturnType<typeof createMeshMemory>;
