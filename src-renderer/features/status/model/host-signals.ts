/**
 * What the browser host shows outside the page: a favicon badge and a title prefix
 * with the worst critical-line state, so a console in a background tab still says
 * "phones down". Shapes match the tray icons (circle, triangle, square, diamond), so
 * the badge reads without colour.
 */
import type { SignalLevel } from '../../../../src-shared/line-signal.ts';

const BADGE: Record<SignalLevel, { fill: string; shape: string; symbol: string }> = {
  ok: { fill: '#1f9d55', shape: '<circle cx="16" cy="16" r="15"/>', symbol: '✓' },
  warn: { fill: '#e0a100', shape: '<path d="M16 1 31 29H1Z"/>', symbol: '!' },
  down: { fill: '#d42c2c', shape: '<rect x="1" y="1" width="30" height="30" rx="3"/>', symbol: '✕' },
  unknown: { fill: '#6b7785', shape: '<path d="M16 0 32 16 16 32 0 16Z"/>', symbol: '?' },
};

/** Title prefix per level; `ok` keeps the title plain apart from the tick. */
export const TITLE_SYMBOL: Record<SignalLevel, string> = { ok: '✓', warn: '▲', down: '✕', unknown: '?' };

export function faviconSvg(level: SignalLevel): string {
  const { fill, shape, symbol } = BADGE[level];
  const y = level === 'warn' ? 27 : 23;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">` +
    `<g fill="${fill}" stroke="#fff" stroke-width="1.5">${shape}</g>` +
    `<text x="16" y="${y}" text-anchor="middle" font-family="sans-serif" font-weight="700" font-size="18" fill="#fff">${symbol}</text>` +
    `</svg>`
  );
}

export function faviconDataUrl(level: SignalLevel): string {
  return `data:image/svg+xml,${encodeURIComponent(faviconSvg(level))}`;
}

/** "✕ Telefoner ur funktion – Guardline"; `label` is the translated state, empty for ok. */
export function documentTitle(level: SignalLevel, label: string, appName: string): string {
  const symbol = TITLE_SYMBOL[level];
  return label ? `${symbol} ${label} – ${appName}` : `${symbol} ${appName}`;
}
