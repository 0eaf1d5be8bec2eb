/**
 * The audit trail as CSV (RFC 4180: quoted fields, CRLF rows), opened by spreadsheet
 * programs: a UTF-8 byte-order mark so å, ä and ö survive, and cells that would start
 * a formula (= + - @) are prefixed with a quote so a payload cannot run one.
 */
import type { AuditEntry } from '../../../../src-shared/audit.ts';

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'time',
  'type',
  'actor',
  'stream',
  'device',
  'hlc',
  'eventId',
  'payload',
] as const;

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) =>
    [
      String(e.seq),
      new Date(e.deviceTime).toISOString(),
      e.type,
      e.actor,
      e.streamId,
      e.deviceId,
      e.hlc,
      e.id,
      JSON.stringify(e.payload),
    ].map(csvCell),
  );
  return '\uFEFF' + [[...AUDIT_CSV_COLUMNS], ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

/** `guardline-granskning-2026-11-25T2114.csv`: sortable, and says when it was taken. */
export function auditCsvName(prefix: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(':', '');
  return `${prefix}-${stamp}.csv`;
}
