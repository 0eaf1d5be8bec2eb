import { describe, expect, it } from 'vitest';
import { compareHlc, createHlc, decodeHlc, encodeHlc } from '../../../src-shared/hlc.ts';

function manualClock(start: number) {
  let t = start;
  return { now: () => t, set: (v: number) => (t = v) };
}

describe('hybrid logical clock', () => {
  it('issues strictly increasing timestamps even when the wall clock stands still or goes back', () => {
    const wall = manualClock(1_700_000_000_000);
    const clock = createHlc({ node: 'a', wallClock: wall.now });
    const seen = [clock.now(), clock.now()];
    wall.set(1_600_000_000_000); // someone set the clock back a few years
    seen.push(clock.now(), clock.now());
    wall.set(1_700_000_000_500);
    seen.push(clock.now());
    for (let i = 1; i < seen.length; i++) expect(compareHlc(seen[i - 1]!, seen[i]!)).toBe(-1);
    expect(decodeHlc(seen[3]!).wallMs).toBe(1_700_000_000_000);
  });

  it('moves past a remote timestamp it receives, so causally later events sort later', () => {
    const local = createHlc({ node: 'a', wallClock: () => 1_000 });
    const remoteStamp = encodeHlc({ wallMs: 5_000, counter: 7, node: 'b' });
    const { hlc } = local.receive(remoteStamp);
    expect(compareHlc(remoteStamp, hlc)).toBe(-1);
    expect(compareHlc(hlc, local.now())).toBe(-1);
  });

  it('flags drift beyond two minutes without rejecting the remote time', () => {
    const local = createHlc({ node: 'a', wallClock: () => 10_000_000 });
    const ahead = encodeHlc({ wallMs: 10_000_000 + 60 * 60 * 1000, counter: 0, node: 'b' });
    const receipt = local.receive(ahead);
    expect(receipt.drifted).toBe(true);
    expect(receipt.driftMs).toBe(3_600_000);
    expect(decodeHlc(receipt.hlc).wallMs).toBe(10_000_000 + 3_600_000);
    const near = local.receive(encodeHlc({ wallMs: 10_000_000 + 30_000, counter: 0, node: 'c' }));
    expect(near.drifted).toBe(false);
  });

  it('resumes after a restart from the largest stored timestamp', () => {
    const before = createHlc({ node: 'a', wallClock: () => 2_000 });
    const last = [before.now(), before.now(), before.now()].at(-1)!;
    const after = createHlc({ node: 'a', wallClock: () => 1_000, resumeFrom: last });
    expect(compareHlc(last, after.now())).toBe(-1);
  });

  it('sorts as strings in clock order and round-trips through the encoding', () => {
    const a = encodeHlc({ wallMs: 9, counter: 999_999, node: 'z' });
    const b = encodeHlc({ wallMs: 10, counter: 0, node: 'a' });
    expect(compareHlc(a, b)).toBe(-1);
    expect(decodeHlc(b)).toEqual({ wallMs: 10, counter: 0, node: 'a' });
    expect(() => decodeHlc('yesterday')).toThrow(/not an HLC/);
  });

  it('borrows the next millisecond instead of overflowing the counter', () => {
    const clock = createHlc({
      node: 'a',
      wallClock: () => 5,
      resumeFrom: encodeHlc({ wallMs: 5, counter: 999_999, node: 'a' }),
    });
    expect(decodeHlc(clock.now())).toEqual({ wallMs: 6, counter: 0, node: 'a' });
  });
});
