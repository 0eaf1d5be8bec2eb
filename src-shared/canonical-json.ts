/**
 * JCS (RFC 8785) canonical JSON: the bytes every signature, author hash and chain hash
 * covers. The `canonicalize` package builds that text in JavaScript, a string at a time;
 * on the drain it was most of a verification worker's time (an event's canonical text is
 * computed once to hash it, issue 16).
 *
 * For JSON data, the canonical text is exactly `JSON.stringify` of a copy whose members
 * were inserted in sorted order: RFC 8785 serialises strings and numbers as ECMAScript's
 * JSON.stringify does (§3.2.2) and sorts members by UTF-16 code units, which is
 * `Array.prototype.sort`'s default order, the one the package uses. V8's native stringify
 * of such a copy is about three times faster than the package on an event.
 *
 * The copy is taken only where it reproduces the package exactly; anything else goes to the
 * package, so its output and its refusals stay the rule: non-finite numbers and lone
 * surrogates (it throws), keys JavaScript would enumerate first as array indices ("0",
 * "10"), `__proto__`, objects that are not plain (toJSON, boxed primitives, class
 * instances), functions, symbols, bigints, and nesting deep enough to be a cycle.
 * test/unit/shared/canonical-json.test.ts compares the two over generated values.
 */
import canonicalize from 'canonicalize';

const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;
/** Deeper than any event; a cycle gets there quickly, and the package names it. */
const MAX_DEPTH = 256;

class NotPlain extends Error {}

/** ES2024's String.prototype.isWellFormed (Node 20+, Chromium 111+), which the package calls too. */
const wellFormed = (text: string) => (text as string & { isWellFormed(): boolean }).isWellFormed();

function sortedCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      if (!wellFormed(value)) throw new NotPlain();
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new NotPlain();
      return value;
    case 'boolean':
    case 'undefined':
      return value;
    case 'object':
      break;
    default:
      throw new NotPlain();
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) throw new NotPlain();
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) throw new NotPlain();
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = sortedCopy(value[i], depth + 1);
    return out;
  }
  if (proto !== Object.prototype && proto !== null) throw new NotPlain();
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source).sort()) {
    if (INDEX_LIKE.test(key) || key === '__proto__' || !wellFormed(key)) throw new NotPlain();
    out[key] = sortedCopy(source[key], depth + 1);
  }
  return out;
}

/** `canonicalize(value)`, the same text (or the same error), faster for plain JSON data. */
export function canonicalJson(value: unknown): string | undefined {
  let copy: unknown;
  try {
    copy = sortedCopy(value, 0);
  } catch (error) {
    if (error instanceof NotPlain) return canonicalize(value);
    throw error;
  }
  return JSON.stringify(copy);
}
