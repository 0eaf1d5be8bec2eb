import { describe, expect, it } from 'vitest';
import { asParsedSeqs, createParsedHints } from '../../../src-tracker/projections/parsed-hints.ts';

describe("HQ projector's hints of payloads that need no parse", () => {
  it('names the seqs of events the push stored whose payload kept its form, as ranges; replays are left out', () => {
    const results = [
      { id: 'a', status: 'accepted' as const, serverSeq: 10 },
      { id: 'b', status: 'accepted' as const, serverSeq: 11 },
      { id: 'c', status: 'duplicate' as const, serverSeq: 3 }, // stored before: its row may differ in key order
      { id: 'd', status: 'accepted' as const, serverSeq: 12 }, // trimmed by its schema: not in the set
      { id: 'e', status: 'accepted' as const, serverSeq: 13 },
      { id: 'f', status: 'accepted' as const, serverSeq: 14 },
    ];
    expect(asParsedSeqs(results, new Set(['a', 'b', 'c', 'e', 'f']))).toEqual([
      [10, 11],
      [13, 14],
    ]);
  });

  it('hands each facility its hints once, to the next catch-up', () => {
    const hints = createParsedHints();
    hints.add('Hall', [[101, 200]]);
    hints.add('Hall', [[1, 100]]); // a group committed out of arrival order (PostgreSQL)
    hints.add('Kumla', [[201, 300]]);
    const hall = hints.take('Hall');
    expect([0, 1, 100, 150, 200, 201, 250].map(hall)).toEqual([false, true, true, true, true, false, false]);
    expect(hints.take('Hall')(150)).toBe(false);
    expect(hints.take('Kumla')(250)).toBe(true);
  });
});
