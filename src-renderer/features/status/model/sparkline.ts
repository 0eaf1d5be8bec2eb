/**
 * An RTT sparkline as SVG geometry: answered probes form the line, failed ones are
 * marks along the bottom (a gap in the line would hide how long a line was down).
 */
import type { RttSample } from '../../../../src-shared/telephony.ts';

export interface Sparkline {
  /** SVG path `d`, empty when no probe answered. */
  path: string;
  /** x of each probe that did not answer (or answered badly). */
  failures: number[];
  stats: { count: number; answered: number; min: number; median: number; max: number } | null;
}

export function sparkline(samples: readonly RttSample[], width: number, height: number, pad = 2): Sparkline {
  if (samples.length === 0) return { path: '', failures: [], stats: null };
  const first = samples[0]!.at;
  const last = samples[samples.length - 1]!.at;
  const span = Math.max(1, last - first);
  const x = (at: number) => round(pad + ((at - first) / span) * (width - 2 * pad));
  const answered = samples.filter((s) => s.outcome === 'up' && s.rttMs !== null);
  const rtts = answered.map((s) => s.rttMs!);
  const max = rtts.length ? Math.max(...rtts) : 0;
  const min = rtts.length ? Math.min(...rtts) : 0;
  const y = (rtt: number) => round(height - pad - (max === 0 ? 0 : (rtt / max) * (height - 2 * pad)));
  const path = answered.map((s, i) => `${i === 0 ? 'M' : 'L'}${x(s.at)} ${y(s.rttMs!)}`).join(' ');
  const failures = samples.filter((s) => s.outcome !== 'up').map((s) => x(s.at));
  const sorted = [...rtts].sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
  return {
    path,
    failures,
    stats: { count: samples.length, answered: answered.length, min, median, max },
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
