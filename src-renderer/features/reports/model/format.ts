/** Numbers as the report shows them, in the page's language. */
export function formatPercent(value: number | null, lng: string): string {
  if (value === null) return '–';
  return `${value.toLocaleString(lng, { minimumFractionDigits: 2, maximumFractionDigits: 3 })} %`;
}

/** A duration as `2 h 05 min`, `45 min` or `30 s`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const totalMinutes = Math.round(ms / 60_000);
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return hours > 0 ? `${hours} h ${String(minutes).padStart(2, '0')} min` : `${minutes} min`;
}

export function formatTime(ms: number | null | undefined, lng: string): string {
  if (ms === null || ms === undefined) return '–';
  return new Date(ms).toLocaleString(lng === 'sv' ? 'sv-SE' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
}

/** `YYYY-MM-DDTHH:mm` for a datetime-local input, and back. */
export function localInputValue(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}
