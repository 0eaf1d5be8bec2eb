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

  it("answers from each facility's hints, and keeps them for later catch-ups (a stored row never changes)", () => {
    const hints = createParsedHints();
    hints.add('Hall', [[101, 200]]);
    hints.add('Hall', [[1, 100]]); // a group committed out of arrival order (PostgreSQL)
    hints.add('Kumla', [[201, 300]]);
    const hall = hints.lookup('Hall');
    expect([0, 1, 100, 150, 200, 201, 250].map(hall)).toEqual([false, true, true, true, true, false, false]);
    hints.add('Hall', [[201, 300]]);
    // A push notified while a run reads: its later reads see it.
    expect(hall(250)).toBe(true);
    expect([150, 250, 301].map(hints.lookup('Hall'))).toEqual([true, true, false]);
    expect(hints.lookup('Kumla')(250)).toBe(true);
    expect(hints.lookup('Gävle')(250)).toBe(false);
  });

  it('holds at most 10,000 ranges per facility, dropping those of the lowest seqs', () => {
    const hints = createParsedHints();
    // 20,001 one-seq ranges with gaps, so none merge.
    for (let i = 0; i <= 20_000; i++) hints.add('Hall', [[i * 2, i * 2]]);
    const hall = hints.lookup('Hall');
    expect([0, 2 * 10_000, 2 * 10_001, 2 * 20_000, 2 * 20_000 + 1].map(hall)).toEqual([
      false,
      false,
      true,
      true,
      false,
    ]);
  });
});
