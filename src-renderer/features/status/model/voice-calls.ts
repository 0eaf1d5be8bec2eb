/**
 * How a test call reads on screen: the verdict as words with the state's shape, and
 * figures in the staff's locale ("MOS 4,37", "1,2 %"). Pure, so it is unit-tested.
 */
import type { LineVoiceTestedPayload } from '../../../../src-shared/voice.ts';

export function formatNumber(value: number | null, lng: string, digits = 1, unit = ''): string {
  if (value === null) return '–';
  const text = new Intl.NumberFormat(lng, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
  return unit ? `${text} ${unit}` : text;
}

/** Oldest first, for the chart: x in seconds, MOS (null when no media came back). */
export function mosSeries(calls: readonly LineVoiceTestedPayload[]): [number[], (number | null)[], (number | null)[]] {
  const ordered = [...calls].sort((a, b) => a.at - b.at);
  return [
    ordered.map((c) => c.at / 1000),
    ordered.map((c) => c.measurements.mos),
    ordered.map((c) => c.measurements.lossPct),
  ];
}
