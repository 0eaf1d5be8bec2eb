/**
 * Whether two values are the same JSON value, strictly: plain objects with the same keys in
 * the same order, arrays of the same values, and primitives by `Object.is` (so -0 is not 0;
 * an `undefined` member never equals a missing one). Anything else is not.
 *
 * Both receivers ask it of a payload and what its schema's parse gave back: the console's
 * frame worker for received mesh events (round 12l) and the tracker's verification workers
 * for pushed ones (16q). When nothing was trimmed, defaulted, stripped or transformed, the
 * fold may take the payload as parsed; any difference, even one a fold could not tell, means
 * it is parsed again where it is folded.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (
    Array.isArray(b) ||
    Object.getPrototypeOf(a) !== Object.prototype ||
    Object.getPrototypeOf(b) !== Object.prototype
  )
    return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i]!;
    if (key !== keysB[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
