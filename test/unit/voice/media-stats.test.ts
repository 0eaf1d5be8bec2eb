import { describe, expect, it } from 'vitest';
import { interarrivalJitterMs, measureMedia } from '../../../src-main/core/telephony/voice/media-stats.ts';
import {
  delayImpairment,
  estimateMos,
  lossImpairment,
  mosFromR,
} from '../../../src-main/core/telephony/voice/e-model.ts';

describe('RFC 3550 interarrival jitter', () => {
  it('matches a hand computation', () => {
    // 20 ms frames (160 ticks) arriving at 0, 30, 40 ms:
    // D1 = 30·8 − 160 = 80 → J = 80/16 = 5; D2 = 10·8 − 160 = −80 → J = 5 + (80 − 5)/16 = 9.6875 ticks = 1.2109375 ms
    const j = interarrivalJitterMs([
      { at: 0, timestamp: 0 },
      { at: 30, timestamp: 160 },
      { at: 40, timestamp: 320 },
    ]);
    expect(j).toBeCloseTo(1.2109375, 9);
  });

  it('is zero for a perfectly paced stream, across a timestamp wrap', () => {
    const start = 2 ** 32 - 320;
    const packets = [0, 1, 2, 3, 4].map((i) => ({ at: i * 20, timestamp: (start + i * 160) >>> 0 }));
    expect(interarrivalJitterMs(packets)).toBe(0);
  });
});

describe('media measurements', () => {
  const sent = Array.from({ length: 10 }, (_, i) => ({ seq: i, at: i * 20, timestamp: i * 160 }));

  it('counts loss once per packet, ignores duplicates and packets we never sent', () => {
    const echoed = [0, 1, 1, 2, 4, 5, 6, 7, 8, 99].map((seq) => ({ seq, at: seq * 20 + 2, timestamp: seq * 160 }));
    const m = measureMedia({ sent, echoed, listenedUntil: 400, jitterBufferMs: 60 });
    expect(m.sent).toBe(10);
    expect(m.received).toBe(8); // 3 and 9 lost; duplicate 1 and foreign 99 ignored
    expect(m.lossPct).toBe(20);
    expect(m.rttMs).toBe(2);
    // Gap: frame 2's echo at 42 ms, next is frame 4's at 82 ms → 40 ms; tail: frame 9 was due at 182, last echo 162 → 20.
    expect(m.longestGapMs).toBe(40);
  });

  it('counts frames later than the jitter buffer as late', () => {
    const echoed = sent.map((p) => ({ seq: p.seq, at: p.at + (p.seq === 5 ? 90 : 10), timestamp: p.timestamp }));
    const m = measureMedia({ sent, echoed, listenedUntil: 400, jitterBufferMs: 60 });
    expect(m.latePct).toBe(10); // one frame 80 ms behind the fastest, beyond a 60 ms buffer
  });

  it('a silent stream has 100 % loss and one gap as long as the stream', () => {
    const m = measureMedia({ sent, echoed: [], listenedUntil: 700, jitterBufferMs: 60 });
    expect(m.lossPct).toBe(100);
    expect(m.rttMs).toBeNull();
    expect(m.longestGapMs).toBe(180);
  });
});

describe('E-model (G.107, simplified)', () => {
  it('delay impairment follows the Cole–Rosenbluth fit', () => {
    expect(delayImpairment(100)).toBeCloseTo(2.4, 9);
    expect(delayImpairment(200)).toBeCloseTo(0.024 * 200 + 0.11 * 22.7, 9); // 7.297
  });

  it('loss impairment for G.711 with PLC (Bpl 25.1)', () => {
    expect(lossImpairment(0)).toBe(0);
    expect(lossImpairment(10)).toBeCloseTo((95 * 10) / 35.1, 9); // 27.07
  });

  it('R → MOS per G.107 Annex B', () => {
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(100)).toBe(4.5);
    expect(mosFromR(93.2)).toBeCloseTo(1 + 0.035 * 93.2 + 93.2 * 33.2 * 6.8 * 7e-6, 9); // 4.41
  });

  it('a clean loopback call scores 4.37, 10 % loss scores 3.32 (hand-computed)', () => {
    // d = 0/2 + 20 + 60 = 80 ms → Id = 1.92 → R = 91.28 → MOS 4.369
    expect(estimateMos({ rttMs: 0, jitterBufferMs: 60, effectiveLossPct: 0 })).toEqual({ r: 91.3, mos: 4.37 });
    // Ie,eff = 27.066 → R = 64.21 → MOS 3.315
    expect(estimateMos({ rttMs: 0, jitterBufferMs: 60, effectiveLossPct: 10 })).toEqual({ r: 64.2, mos: 3.32 });
  });
});
