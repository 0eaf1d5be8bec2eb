/**
 * `<input type="datetime-local">` speaks wall-clock text without a zone
 * ("2026-11-25T21:14"); the contract wants ISO 8601 with an offset. The offset is the
 * one in force at that local time (DST aware), so a report typed in March means the
 * moment the guard saw on the wall clock.
 */
const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/** A Date as datetime-local text in the runtime's zone, to the minute. */
export function toLocalInput(date: Date): string {
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `+01:00` for a zone one hour east of UTC (getTimezoneOffset() is -60 there). */
export function formatOffset(timezoneOffsetMinutes: number): string {
  const east = -timezoneOffsetMinutes;
  const sign = east >= 0 ? '+' : '-';
  return `${sign}${pad(Math.floor(Math.abs(east) / 60))}:${pad(Math.abs(east) % 60)}`;
}

/** datetime-local text -> ISO with the local offset; null when the text is not a real local time. */
export function localInputToIso(value: string): string | null {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((p) => (p === undefined ? 0 : Number(p))) as number[];
  const date = new Date(year!, month! - 1, day!, hour!, minute!, second!);
  // Rejects 2026-02-30 and the hour skipped at spring-forward (the Date rolls over).
  if (date.getFullYear() !== year || date.getMonth() !== month! - 1 || date.getDate() !== day) return null;
  if (date.getHours() !== hour || date.getMinutes() !== minute) return null;
  return `${toLocalInput(date)}:${pad(date.getSeconds())}${formatOffset(date.getTimezoneOffset())}`;
}

/** ISO with any offset -> datetime-local text in the runtime's zone; null when unparsable. */
export function isoToLocalInput(iso: string): string | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : toLocalInput(new Date(ms));
}
