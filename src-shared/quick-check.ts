/**
 * What the quick checks beside zod (mesh-wire-check.ts, payload-quick.ts) share: each answers
 * only "certainly valid, and zod's output is this very value", and these are the tests that
 * answer needs on JSON.parse's values.
 */
import { Uuid } from './incident.ts';

/** The id schema's own pattern (z.uuid's whole check is this regex); without one, nothing is quick. */
export const UUID_PATTERN: RegExp | undefined = Uuid._zod.def.pattern;

/** An object with Object's prototype (what JSON.parse makes), not an array, null or class instance. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** The object's own keys are exactly `keys`, in that order (a zod object's output order). */
export function keysAre(value: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in value) if (!Object.hasOwn(value, key) || key !== keys[i++]) return false;
  return i === keys.length;
}
