import { describe, expect, it } from 'vitest';
import {
  clipIntervals,
  longest,
  measure,
  mergeIntervals,
  subtractIntervals,
} from '../../../src-shared/figures-intervals.ts';

const iv = (from: number, to: number) => ({ from, to });

describe('intervals', () => {
  it('merges overlapping and touching intervals and drops empty ones', () => {
    expect(mergeIntervals([iv(5, 7), iv(1, 3), iv(3, 4), iv(6, 9), iv(10, 10)])).toEqual([iv(1, 4), iv(5, 9)]);
  });

  it('clips to a window', () => {
    expect(clipIntervals([iv(0, 2), iv(3, 5), iv(8, 12)], iv(1, 10))).toEqual([iv(1, 2), iv(3, 5), iv(8, 10)]);
  });

  it('subtracts one set from another', () => {
    expect(subtractIntervals([iv(0, 10), iv(20, 30)], [iv(2, 3), iv(5, 22), iv(29, 40)])).toEqual([
      iv(0, 2),
      iv(3, 5),
      iv(22, 29),
    ]);
    expect(subtractIntervals([iv(0, 10)], [])).toEqual([iv(0, 10)]);
  });

  it('measures total and longest', () => {
    expect(measure([iv(0, 2), iv(5, 9)])).toBe(6);
    expect(longest([iv(0, 2), iv(5, 9)])).toBe(4);
  });
});
