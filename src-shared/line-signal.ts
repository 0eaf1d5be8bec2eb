/**
 * The one-glance phone signal each host shows outside the page (tray icon, favicon,
 * window title): the worst state among the lines that matter. Only critical lines
 * count, so a dead intercom does not turn the tray red, unless the facility marks no
 * line critical; then every line counts. An active fallback (a critical line DOWN, or
 * a confirmed reported outage) is always `down`, whatever the probes say.
 */
import type { LineState } from './telephony.ts';

export const SIGNAL_LEVELS = ['ok', 'warn', 'down', 'unknown'] as const;
export type SignalLevel = (typeof SIGNAL_LEVELS)[number];

/** Worse first: a line we cannot measure is worse than a working one, better than a failing one. */
const STATE_RANK: Record<LineState, number> = { UP: 0, UNKNOWN: 1, DEGRADED: 2, DOWN: 3 };

const LEVEL_OF: Record<LineState, SignalLevel> = { UP: 'ok', UNKNOWN: 'unknown', DEGRADED: 'warn', DOWN: 'down' };

export interface SignalLine {
  state: LineState;
  criticality: 'normal' | 'critical';
}

export interface LineSignal {
  level: SignalLevel;
  /** The worst state among the counted lines; null when there are none. */
  worst: LineState | null;
  /** How many counted lines are in each state. */
  counts: Record<LineState, number>;
  /** Lines counted: the critical ones, or all when none is critical. */
  counted: number;
}

export function worstState(states: Iterable<LineState>): LineState | null {
  let worst: LineState | null = null;
  for (const s of states) if (worst === null || STATE_RANK[s] > STATE_RANK[worst]) worst = s;
  return worst;
}

/** Critical lines, or every line when the facility marks none critical. */
export function signalLines<T extends SignalLine>(lines: readonly T[]): readonly T[] {
  const critical = lines.filter((l) => l.criticality === 'critical');
  return critical.length > 0 ? critical : lines;
}

export function lineSignal(lines: readonly SignalLine[], fallbackActive: boolean): LineSignal {
  const counted = signalLines(lines);
  const counts: Record<LineState, number> = { UP: 0, DEGRADED: 0, DOWN: 0, UNKNOWN: 0 };
  for (const l of counted) counts[l.state]++;
  const worst = worstState(counted.map((l) => l.state));
  const level: SignalLevel = fallbackActive ? 'down' : worst === null ? 'unknown' : LEVEL_OF[worst];
  return { level, worst, counts, counted: counted.length };
}
