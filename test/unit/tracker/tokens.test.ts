import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  hashSecret,
  newDeviceToken,
  newEnrolmentCode,
  normaliseEnrolmentCode,
  sameHash,
} from '../../../src-tracker/auth/tokens.ts';

describe('tracker secrets', () => {
  it('issues device tokens of 32 random bytes that never repeat', () => {
    const tokens = new Set(Array.from({ length: 200 }, newDeviceToken));
    expect(tokens.size).toBe(200);
    for (const token of tokens) expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
  });

  it('formats enrolment codes as three groups of four unambiguous characters', () => {
    for (let i = 0; i < 100; i++)
      expect(newEnrolmentCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$/);
  });

  it('matches a typed code regardless of case, spacing, dashes and O/I/L look-alikes', () => {
    expect(normaliseEnrolmentCode(' 7kq2 mx9d-4otl ')).toBe(normaliseEnrolmentCode('7KQ2-MX9D-40T1'));
  });

  it('compares hashes, not secrets, and rejects malformed hashes', () => {
    expect(sameHash(hashSecret('a'), hashSecret('a'))).toBe(true);
    expect(sameHash(hashSecret('a'), hashSecret('b'))).toBe(false);
    expect(sameHash('', '')).toBe(false);
    expect(sameHash(hashSecret('a'), 'abc')).toBe(false);
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken('Bearer gld_abc')).toBe('gld_abc');
    expect(bearerToken('bearer   gld_abc ')).toBe('gld_abc');
    expect(bearerToken('Basic Zm9vOmJhcg==')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
