import { describe, expect, it } from 'vitest';
import { createFacilityHeads } from '../../../src-tracker/stream/heads.ts';

describe('facility heads', () => {
  it('tells only the subscribers of the facility that moved, until they unsubscribe', () => {
    const heads = createFacilityHeads();
    const a: number[] = [];
    const b: number[] = [];
    const stopA = heads.subscribe('A', (seq) => a.push(seq));
    heads.subscribe('B', (seq) => b.push(seq));
    heads.publish('A', 3);
    heads.publish('B', 4);
    stopA();
    heads.publish('A', 5);
    expect(a).toEqual([3]);
    expect(b).toEqual([4]);
    expect(heads.listenerCount()).toBe(1);
  });
});
