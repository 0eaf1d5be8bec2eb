/**
 * Secrets the tracker hands out. Only their sha256 is stored, so a copy of the
 * database does not let anyone push events or read HQ data. Lookups compare hashes:
 * an attacker cannot steer a hash's bytes, so an indexed lookup leaks nothing useful.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const DEVICE_PREFIX = 'gld_';
const ADMIN_PREFIX = 'gla_';
/** Crockford base32 without I, L, O, U: no letters a person reading aloud can confuse. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_GROUPS = 3;
const CODE_GROUP_LENGTH = 4;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** 32 random bytes; the prefix lets secret scanners and people tell the kinds apart. */
export function newDeviceToken(): string {
  return DEVICE_PREFIX + randomBytes(32).toString('base64url');
}

export function newAdminToken(): string {
  return ADMIN_PREFIX + randomBytes(32).toString('base64url');
}

/** A one-time code a person types into a console, e.g. `7KQ2-MX9D-40TZ` (60 bits, short-lived, single-use). */
export function newEnrolmentCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < CODE_GROUPS; g++) {
    let group = '';
    for (let i = 0; i < CODE_GROUP_LENGTH; i++) group += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** How a typed code is compared: case, spaces and dashes do not matter; O/I/L read as 0/1/1. */
export function normaliseEnrolmentCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The bearer token from an `Authorization` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
