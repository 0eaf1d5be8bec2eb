import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { timeOrderedId } from '../../../src-main/core/time-ordered-ids.ts';

const stampOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('time-ordered ids', () => {
  it('carry the creation time in their first 48 bits', () => {
    const before = Date.now();
    const id = timeOrderedId();
    expect(stampOf(id)).toBeGreaterThanOrEqual(before);
    expect(stampOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('are UUIDv7, unique and strictly increasing, also many within one millisecond and across pool refills', () => {
    const ids = Array.from({ length: 5000 }, () => timeOrderedId());
    for (const id of ids) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    // The same millisecond over and over: the counter keeps them in order.
    const now = Date.now() + 60_000;
    const same = Array.from({ length: 600 }, () => timeOrderedId(now));
    for (let i = 1; i < same.length; i++) expect(same[i]! > same[i - 1]!).toBe(true);
    expect(new Set([...ids, ...same]).size).toBe(ids.length + same.length);
    // A clock set back does not put the next id before the last: it keeps the later time.
    const after = timeOrderedId(now - 30_000);
    expect(after > same.at(-1)!).toBe(true);
    expect(stampOf(after)).toBe(now);
  });
});
