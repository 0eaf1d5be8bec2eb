/**
 * The retention rule, pure: a closed incident whose last change is older than the period
 * is due for archiving. The last change is the incident's `updatedHlc` (its wall part),
 * so a note added to a closed incident starts the period again.
 */
import { DAY_MS } from '../../../src-shared/retention.ts';

/** HLC timestamps begin with the wall time in 15 digits, so they compare as strings. */
const HLC_WALL_DIGITS = 15;

/** Every HLC written before `cutoffMs` sorts before this string. */
export function hlcCutoff(nowMs: number, days: number): string {
  return String(Math.max(0, Math.floor(nowMs - days * DAY_MS))).padStart(HLC_WALL_DIGITS, '0');
}

/** The wall time (ms) of an HLC timestamp. */
export function hlcWallMs(hlc: string): number {
  return Number(hlc.slice(0, HLC_WALL_DIGITS));
}

export function isDue(incident: { status: string; updatedHlc: string }, nowMs: number, days: number): boolean {
  return incident.status === 'closed' && incident.updatedHlc < hlcCutoff(nowMs, days);
}
