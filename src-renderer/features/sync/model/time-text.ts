/**
 * Times on the sync indicator and page: "för 2 minuter sedan" for the last success,
 * "om 12 sekunder" for the next attempt, "1 h 0 min" for clock drift. Relative times
 * come from Intl in the chosen language so grammar (and "i går") is the platform's.
 */
import type { Text } from './sync-text.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Under this a moment is "nu": a success a few seconds old needs no count. */
const JUST_NOW_MS = 10_000;

export function relativeTime(at: number, now: number, lng: string): string {
  const format = new Intl.RelativeTimeFormat(lng, { numeric: 'auto' });
  const delta = at - now;
  const size = Math.abs(delta);
  const sign = delta < 0 ? -1 : 1;
  if (size < JUST_NOW_MS) return format.format(0, 'second');
  if (size < MINUTE) return format.format(sign * Math.floor(size / 1000), 'second');
  if (size < HOUR) return format.format(sign * Math.floor(size / MINUTE), 'minute');
  if (size < DAY) return format.format(sign * Math.floor(size / HOUR), 'hour');
  return format.format(sign * Math.floor(size / DAY), 'day');
}

/** "1 h 0 min", "3 min", "40 s": whole units, rounded to the nearest second first. */
export function durationText(ms: number): Text {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return { key: 'sync.duration.hm', options: { hours, minutes } };
  if (minutes > 0) return { key: 'sync.duration.m', options: { minutes } };
  return { key: 'sync.duration.s', options: { seconds } };
}

/** The header warning: "Datorns klocka går fel med 1 h 0 min". */
export function driftWarning(driftMs: number): Text {
  return { key: 'sync.drift.warning', options: { duration: durationText(driftMs) } };
}

/**
 * The Synk page's detail. `driftMs` is tracker minus console: positive means this
 * computer's clock is behind the tracker's.
 */
export function driftDetail(driftMs: number): Text {
  const duration = durationText(driftMs);
  if (Math.round(Math.abs(driftMs) / 1000) === 0) return { key: 'sync.drift.none' };
  return { key: driftMs > 0 ? 'sync.drift.behind' : 'sync.drift.ahead', options: { duration } };
}
