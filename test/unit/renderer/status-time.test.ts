import { describe, expect, it } from 'vitest';
import { clockTime, formatDuration, relativeTime } from '../../../src-renderer/features/status/model/relative-time.ts';

const NOW = Date.UTC(2026, 10, 25, 21, 14, 0);

describe('relative times', () => {
  it('says how long ago in the largest whole unit, in the page language', () => {
    expect(relativeTime(NOW - 5_000, NOW, 'sv')).toBe('för 5 s sen');
    expect(relativeTime(NOW - 3 * 60_000 - 20_000, NOW, 'sv')).toBe('för 3 min sen');
    expect(relativeTime(NOW - 2 * 3_600_000, NOW, 'en')).toBe('2 hr. ago');
  });

  it('reads a moment ago, or a time a little ahead of the clock tick, as now', () => {
    expect(relativeTime(NOW - 400, NOW, 'sv')).toBe('nu');
    expect(relativeTime(NOW + 2_000, NOW, 'sv')).toBe('nu');
  });
});

describe('durations', () => {
  it('show the two largest units', () => {
    expect(formatDuration(3_000, 'sv')).toBe('3 s');
    expect(formatDuration(4 * 60_000 + 12_000, 'sv')).toBe('4 min 12 s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 9_000, 'sv')).toBe('2 tim 5 min');
    expect(formatDuration(3_600_000 + 9_000, 'en')).toBe('1 hr');
  });

  it('show zero for nothing or a negative span', () => {
    expect(formatDuration(0, 'sv')).toBe('0 s');
    expect(formatDuration(-5_000, 'en')).toBe('0 sec');
  });
});

describe('clock times', () => {
  it('give the time of day today and add the date otherwise', () => {
    const today = clockTime(NOW - 60_000, NOW, 'sv');
    expect(today).toMatch(/^\d\d:\d\d:\d\d$/);
    const earlier = clockTime(NOW - 3 * 86_400_000, NOW, 'sv');
    expect(earlier).toMatch(/nov/);
    expect(earlier).not.toMatch(/:\d\d:\d\d/);
  });
});
