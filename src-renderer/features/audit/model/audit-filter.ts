/**
 * The audit page's filter form, as typed, turned into an `audit.query` input: a staff
 * number, an incident id, and a time range typed as local date-times. Each bad field
 * is named, so the query never goes out half-understood.
 */
import { z } from 'zod';
import { StaffNumber } from '../../../../src-shared/staff.ts';
import type { AuditQueryInput } from '../../../../src-shared/audit.ts';

export interface AuditFilterDraft {
  staffNumber: string;
  incidentId: string;
  /** `YYYY-MM-DDTHH:MM` as an `<input type="datetime-local">` gives it; empty for open. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterDraft = { staffNumber: '', incidentId: '', from: '', to: '' };

export type AuditFilterField = keyof AuditFilterDraft;
export type AuditFilterErrors = Partial<Record<AuditFilterField, string>>;

/** Local wall time (as the browser's time zone has it) to epoch ms; null when not a date-time. */
export function localDateTimeMs(text: string): number | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(text)) return null;
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? ms : null;
}

export type AuditFilterCheck =
  { ok: true; query: Omit<AuditQueryInput, 'beforeSeq' | 'limit'> } | { ok: false; errors: AuditFilterErrors };

export function checkAuditFilter(draft: AuditFilterDraft): AuditFilterCheck {
  const errors: AuditFilterErrors = {};
  const query: Omit<AuditQueryInput, 'beforeSeq' | 'limit'> = {};
  if (draft.staffNumber.trim()) {
    const parsed = StaffNumber.safeParse(draft.staffNumber);
    if (parsed.success) query.staffNumber = parsed.data;
    else errors.staffNumber = 'audit.error.staffNumber';
  }
  if (draft.incidentId.trim()) {
    const parsed = z.uuid().safeParse(draft.incidentId.trim().toLowerCase());
    if (parsed.success) query.incidentId = parsed.data;
    else errors.incidentId = 'audit.error.incidentId';
  }
  if (draft.from) {
    const ms = localDateTimeMs(draft.from);
    if (ms === null) errors.from = 'audit.error.dateTime';
    else query.from = ms;
  }
  if (draft.to) {
    const ms = localDateTimeMs(draft.to);
    // A minute typed as the end includes that whole minute.
    if (ms === null) errors.to = 'audit.error.dateTime';
    else query.to = ms + 59_999;
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) errors.to = 'audit.error.range';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, query };
}

/** The filters as `audit.exportLogged` records them (only those set). */
export function exportFilters(query: Omit<AuditQueryInput, 'beforeSeq' | 'limit'>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) out[key] = value;
  return out;
}
