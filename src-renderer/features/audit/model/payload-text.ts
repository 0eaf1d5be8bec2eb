/** An event's payload in one short line for the audit table (the CSV export keeps it whole). */
export function payloadText(payload: unknown, max = 160): string {
  const text = JSON.stringify(payload) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
