/**
 * JSON with comments (JSONC), as editors treat `guardline.config.json`: `//` and
 * block comments and trailing commas are blanked out with spaces, so offsets, lines
 * and columns in `JSON.parse` errors still point at the administrator's text.
 */

export interface JsonSyntaxError {
  message: string;
  /** 1-based line and column of the offending character, when known. */
  line?: number;
  column?: number;
}

export function stripJsonComments(text: string): string {
  const out = text.split('');
  let i = 0;
  let lastSignificant = -1; // index of the last non-space character outside comments
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      lastSignificant = Math.min(i, text.length) - 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if ((c === '}' || c === ']') && lastSignificant >= 0 && out[lastSignificant] === ',') out[lastSignificant] = ' ';
    if (c !== undefined && !/\s/.test(c)) lastSignificant = i;
    i++;
  }
  return out.join('');
}

/** Parse JSONC; a syntax error comes back as a value with its line and column. */
export function parseJsonc(text: string): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  const stripped = stripJsonComments(text.replace(/^\uFEFF/, ''));
  try {
    return { ok: true, value: JSON.parse(stripped) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    if (!at) return { ok: false, error: { message } };
    const offset = Number(at[1]);
    const before = stripped.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return { ok: false, error: { message: message.replace(/ in JSON at position \d+.*$/, ''), line, column } };
  }
}
