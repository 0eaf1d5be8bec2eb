/**
 * Turning what a stressed person types into a safe FTS5 query: every word becomes a
 * quoted prefix term, so punctuation, quotes and FTS operators are just text.
 */
export function toFtsQuery(text: string): string | null {
  const words = text
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}
