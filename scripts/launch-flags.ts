/**
 * Refuse a mistyped flag before anything starts. `parseLaunchOptions` is lenient (Electron
 * and Chromium add flags of their own), so the browser host checks the command line
 * strictly here and names the flag at fault.
 */
import { parseArgs } from 'node:util';

/** Mirrors the flags `src-main/core/launch-options.ts` reads; keep the two in step. */
const KNOWN_FLAGS: Record<string, 'string' | 'boolean'> = {
  'data-dir': 'string',
  config: 'string',
  facility: 'string',
  unit: 'string',
  port: 'string',
  'no-open': 'boolean',
  'retention-days': 'string',
  'idle-lock-minutes': 'string',
  'mesh-listen': 'string',
  'mesh-prepare': 'string',
};

export type FlagCheck = { ok: true } | { ok: false; flag: string; message: string };

export function checkLaunchFlags(argv: readonly string[]): FlagCheck {
  const options = Object.fromEntries(Object.entries(KNOWN_FLAGS).map(([name, type]) => [name, { type }]));
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') {
      return { ok: false, flag: token.value, message: `unexpected argument ${JSON.stringify(token.value)}` };
    }
    if (token.kind !== 'option') continue;
    const kind = KNOWN_FLAGS[token.name];
    if (kind === undefined) {
      const known = Object.keys(KNOWN_FLAGS)
        .map((f) => `--${f}`)
        .join(', ');
      return { ok: false, flag: token.rawName, message: `unknown flag ${token.rawName} (known: ${known})` };
    }
    const swallowedFlag = !token.inlineValue && token.value?.startsWith('-') === true;
    if (kind === 'string' && (token.value === undefined || token.value === '' || swallowedFlag)) {
      return { ok: false, flag: token.rawName, message: `${token.rawName} needs a value` };
    }
    if (kind === 'boolean' && token.value !== undefined) {
      return { ok: false, flag: token.rawName, message: `${token.rawName} takes no value` };
    }
  }
  return { ok: true };
}
