/**
 * "för 5 s sen", "3 min 12 s": times relative to now and durations, in the page's
 * language, with the platform's Intl data (no date library needed for this).
 */

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/**
 * How long ago `at` was, in the largest whole unit; "nu" within a second. Times a
 * little ahead of `now` (a push newer than the last clock tick) read as "nu" too.
 */
export function relativeTime(at: number, now: number, lng: string): string {
  const delta = Math.min(0, at - now);
  const format = new Intl.RelativeTimeFormat(lng, { numeric: 'auto', style: 'short' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) return format.format(Math.trunc(delta / ms), unit);
  }
  return format.format(0, 'second');
}

/** A duration as its two largest units: "2 tim 5 min", "4 min 12 s", "3 s". */
export function formatDuration(ms: number, lng: string): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const parts: [number, 'hour' | 'minute' | 'second'][] = [
    [Math.floor(total / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return unitText(0, 'second', lng);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => unitText(n, unit, lng))
    .join(' ');
}

function unitText(n: number, unit: 'hour' | 'minute' | 'second', lng: string): string {
  return new Intl.NumberFormat(lng, { style: 'unit', unit, unitDisplay: 'short' }).format(n);
}

/** Wall-clock time of day, or date and time when not today: "21:14", "24 nov. 21:14". */
export function clockTime(at: number, now: number, lng: string): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return new Intl.DateTimeFormat(lng, {
    ...(sameDay ? {} : { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
    second: sameDay ? '2-digit' : undefined,
  }).format(at);
}
