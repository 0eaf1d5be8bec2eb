/**
 * A keyring: which public key(s) each author device of a facility signs with. The
 * tracker builds one per push from its `devices` table; a console keeps one from the
 * `device.enrolled` records in its facility's log, plus the tracker's key learned at
 * enrolment and its own key.
 *
 * A device may hold more than one key over its life (re-enrolled after its key file was
 * lost): its events verify against any of its keys. `publicKey: null` marks a device the
 * tracker enrolled before signing existed; see verify-event.ts for what that allows.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyObject } from './keys.ts';

export interface KeyringEntry {
  deviceId: string;
  /** Raw Ed25519 public key, base64url; null: enrolled before signing (no key bound yet). */
  publicKey: string | null;
  /** The device's facility; null for the tracker, which signs for every facility. */
  facility: string | null;
  /** When the key was bound (ms), for the pre-signature rule; null when unknown. */
  keyBoundAt?: number | null;
}

export interface Keyring {
  entries(deviceId: string): readonly KeyringEntry[];
  /** Every entry (a copy for a verification worker; a facility has tens of devices). */
  all(): KeyringEntry[];
  add(entry: KeyringEntry): void;
  /** KeyObject for a raw key, parsed once (createPublicKey costs more than a verify). */
  keyObject(raw: string): KeyObject;
  readonly size: number;
}

/** Parsed KeyObjects are shared by every keyring of the process, bounded in count. */
const PARSED = new Map<string, KeyObject>();
const PARSED_MAX = 10_000;

export function createKeyring(initial: Iterable<KeyringEntry> = []): Keyring {
  const byDevice = new Map<string, KeyringEntry[]>();
  let size = 0;
  const keyring: Keyring = {
    entries: (deviceId) => byDevice.get(deviceId) ?? [],
    all: () => [...byDevice.values()].flat(),
    add(entry) {
      const list = byDevice.get(entry.deviceId) ?? [];
      if (list.some((e) => e.publicKey === entry.publicKey && e.facility === entry.facility)) return;
      list.push(entry);
      byDevice.set(entry.deviceId, list);
      size += 1;
    },
    keyObject(raw) {
      let key = PARSED.get(raw);
      if (!key) {
        key = publicKeyObject(raw);
        if (PARSED.size >= PARSED_MAX) PARSED.delete(PARSED.keys().next().value!);
        PARSED.set(raw, key);
      }
      return key;
    },
    get size() {
      return size;
    },
  };
  for (const entry of initial) keyring.add(entry);
  return keyring;
}
