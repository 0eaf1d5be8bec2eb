/**
 * The report period as the picker holds it: whole local days, `to` inclusive, turned
 * into the half-open epoch range the API takes. Pure, so it is tested without a DOM.
 */
const DAY_MS = 86_400_000;

export interface PeriodInputs {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a local date. */
export function dayValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function localMidnight(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const ms = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** From the first day's local midnight to the midnight after the last day; null when unreadable or reversed. */
export function periodOf(inputs: PeriodInputs): { from: number; to: number } | null {
  const from = localMidnight(inputs.from);
  const last = localMidnight(inputs.to);
  if (from === null || last === null || last < from) return null;
  const d = new Date(last);
  const to = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  return { from, to };
}

export const PRESETS = ['last7', 'last30', 'thisMonth', 'lastMonth'] as const;
export type Preset = (typeof PRESETS)[number];

export function presetInputs(preset: Preset, now: number): PeriodInputs {
  const today = new Date(now);
  const y = today.getFullYear();
  const m = today.getMonth();
  switch (preset) {
    case 'last7':
      return { from: dayValue(now - 6 * DAY_MS), to: dayValue(now) };
    case 'last30':
      return { from: dayValue(now - 29 * DAY_MS), to: dayValue(now) };
    case 'thisMonth':
      return { from: dayValue(new Date(y, m, 1).getTime()), to: dayValue(now) };
    case 'lastMonth':
      return { from: dayValue(new Date(y, m - 1, 1).getTime()), to: dayValue(new Date(y, m, 0).getTime()) };
  }
}
