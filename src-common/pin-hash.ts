/**
 * PIN hashes with scrypt (node:crypto): a per-PIN random salt, and the cost parameters
 * stored in the hash string so they can be raised later without breaking old hashes.
 *
 * A 4-8 digit PIN cannot survive an offline search whatever the cost, and the roster
 * (hashes included) is cached on every console of the facility. What protects a PIN
 * is therefore the online lockout plus access to the log; the hash keeps PINs out of
 * plain sight and makes a casual search slow.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** About 50 ms and 16 MiB on the reference workstation. */
export const DEFAULT_PIN_PARAMS: ScryptParams = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(pin: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPin(pin: string, params: ScryptParams = DEFAULT_PIN_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pin, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** False for a wrong PIN and for a hash this version cannot read (never throws on bad input). */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 1 << 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_BYTES) return false;
  try {
    return timingSafeEqual(await derive(pin, salt, { N, r, p }), expected);
  } catch {
    return false;
  }
}
