/**
 * The words the tray and native notifications use for phone status. Like shell-text.ts
 * they live in the main process, because they appear outside any page; Swedish by default.
 */
export interface LineStatusText {
  /** Tray tooltip per situation. */
  allUp(count: number): string;
  some(state: 'DOWN' | 'DEGRADED' | 'UNKNOWN', names: readonly string[]): string;
  noLines: string;
  fallback: string;
  /** Notification titles and bodies. */
  wentDown(names: readonly string[]): string;
  cameBack(names: readonly string[]): string;
  fallbackStarted: string;
  fallbackBody: string;
  fallbackEnded: string;
}

/** Up to two names, then a count: a tooltip and a notification title stay one short line. */
function list(names: readonly string[], lines: (n: number) => string): string {
  return names.length <= 2 ? names.join(', ') : lines(names.length);
}

const sv: LineStatusText = {
  allUp: (n) => (n === 1 ? 'linjen fungerar' : `alla ${n} linjer fungerar`),
  some: (state, names) =>
    `${state === 'DOWN' ? 'ur funktion' : state === 'DEGRADED' ? 'störd' : 'okänd'}: ${list(names, (n) => `${n} linjer`)}`,
  noLines: 'inga linjer konfigurerade',
  fallback: 'reservrutin gäller',
  wentDown: (names) => `Ur funktion: ${list(names, (n) => `${n} linjer`)}`,
  cameBack: (names) => `Fungerar igen: ${list(names, (n) => `${n} linjer`)}`,
  fallbackStarted: 'Reservrutin gäller',
  fallbackBody: 'Telefonerna fungerar inte. Följ reservrutinen i Guardline.',
  fallbackEnded: 'Reservrutinen upphör: telefonerna fungerar igen.',
};

const en: LineStatusText = {
  allUp: (n) => (n === 1 ? 'the line works' : `all ${n} lines work`),
  some: (state, names) =>
    `${state === 'DOWN' ? 'out of order' : state === 'DEGRADED' ? 'degraded' : 'unknown'}: ${list(names, (n) => `${n} lines`)}`,
  noLines: 'no lines configured',
  fallback: 'reserve procedure in force',
  wentDown: (names) => `Out of order: ${list(names, (n) => `${n} lines`)}`,
  cameBack: (names) => `Working again: ${list(names, (n) => `${n} lines`)}`,
  fallbackStarted: 'Reserve procedure in force',
  fallbackBody: 'The phones do not work. Follow the reserve procedure in Guardline.',
  fallbackEnded: 'Reserve procedure over: the phones work again.',
};

/** `locale` is Electron's `app.getLocale()`. */
export function lineStatusText(locale: string): LineStatusText {
  return locale.toLowerCase().startsWith('en') ? en : sv;
}
