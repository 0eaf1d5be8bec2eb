import { describe, expect, it } from 'vitest';
import { DEFAULT_PIN_PARAMS, hashPin, verifyPin } from '../../../src-common/pin-hash.ts';
import { PinHash } from '../../../src-shared/staff.ts';

describe('PIN hashes', () => {
  it('verifies the right PIN and refuses a wrong one, at the default cost', async () => {
    const hash = await hashPin('482913');
    expect(PinHash.safeParse(hash).success).toBe(true);
    expect(hash.startsWith(`scrypt$${DEFAULT_PIN_PARAMS.N}$${DEFAULT_PIN_PARAMS.r}$${DEFAULT_PIN_PARAMS.p}$`)).toBe(
      true,
    );
    expect(await verifyPin('482913', hash)).toBe(true);
    expect(await verifyPin('482914', hash)).toBe(false);
  });

  it('salts every hash, so one PIN never hashes the same twice', async () => {
    const params = { N: 1024, r: 8, p: 1 };
    const [a, b] = await Promise.all([hashPin('1234', params), hashPin('1234', params)]);
    expect(a).not.toBe(b);
    expect(await verifyPin('1234', a)).toBe(true);
    expect(await verifyPin('1234', b)).toBe(true);
  });

  it('reads the cost from the hash, so older or stronger hashes still verify', async () => {
    const strong = await hashPin('9876', { N: 32768, r: 8, p: 1 });
    expect(await verifyPin('9876', strong)).toBe(true);
  });

  it('answers false, never throws, for hashes it cannot read', async () => {
    for (const bad of ['', 'plain', 'scrypt$0$8$1$AAAA$AAAA', 'scrypt$1024$8$1$AAAA$short', 'bcrypt$x$y$z$a$b']) {
      expect(await verifyPin('1234', bad), bad).toBe(false);
    }
    expect(await verifyPin('1234', `scrypt$${2 ** 24}$8$1$AAAA$${'A'.repeat(44)}`)).toBe(false);
  });
});
