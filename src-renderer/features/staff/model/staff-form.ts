/**
 * The enrol form as typed, checked against the contract's own schema before it is
 * sent, with the core's refusals mapped to the same field keys. Units are typed as one
 * line, separated by commas.
 */
import { StaffEnrollInput, type Role } from '../../../../src-shared/staff.ts';
import type { ApiError } from '../../../../src-shared/errors.ts';

export const ENROL_FIELDS = ['staffNumber', 'name', 'role', 'units', 'pin'] as const;
export type EnrolField = (typeof ENROL_FIELDS)[number];

export interface EnrolDraft {
  staffNumber: string;
  name: string;
  role: Role;
  units: string;
  pin: string;
  pinRepeat: string;
}

export const EMPTY_ENROL: EnrolDraft = { staffNumber: '', name: '', role: 'guard', units: '', pin: '', pinRepeat: '' };

/** Field -> i18n key of what is wrong with it. */
export type EnrolErrors = Partial<Record<EnrolField | 'pinRepeat', string>>;

export function parseUnits(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== ''),
    ),
  ];
}

export type EnrolCheck =
  { ok: true; input: ReturnType<typeof StaffEnrollInput.parse> } | { ok: false; errors: EnrolErrors };

export function checkEnrol(draft: EnrolDraft): EnrolCheck {
  const errors: EnrolErrors = {};
  const candidate = {
    staffNumber: draft.staffNumber,
    name: draft.name,
    role: draft.role,
    units: parseUnits(draft.units),
    ...(draft.pin !== '' ? { pin: draft.pin } : {}),
  };
  const parsed = StaffEnrollInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '') as EnrolField;
      if (!(ENROL_FIELDS as readonly string[]).includes(field) || errors[field]) continue;
      errors[field] = fieldErrorKey(field, draft);
    }
  }
  if (draft.pin !== '' && draft.pin !== draft.pinRepeat && !errors.pin) errors.pinRepeat = 'staff.error.pinMismatch';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: parsed.data! };
}

function fieldErrorKey(field: EnrolField, draft: EnrolDraft): string {
  switch (field) {
    case 'staffNumber':
      return draft.staffNumber.trim() ? 'staff.error.staffNumberFormat' : 'staff.error.required';
    case 'name':
      return draft.name.trim() ? 'staff.error.tooLong' : 'staff.error.required';
    case 'pin':
      return 'staff.error.pinFormat';
    case 'units':
      return 'staff.error.units';
    case 'role':
      return 'staff.error.required';
  }
}

/** What a refused roster change means for the form: a field's problem, or one for the whole form. */
export function rosterErrorKey(error: ApiError): { field: EnrolField | null; key: string } {
  if (error.code === 'conflict' && /already on the roster/i.test(error.message)) {
    return { field: 'staffNumber', key: 'staff.error.taken' };
  }
  if (error.code === 'conflict' && /at least one active admin/i.test(error.message)) {
    return { field: null, key: 'staff.error.lastAdmin' };
  }
  if (error.code === 'invalid_input') {
    const field = error.field?.split('.')[0];
    if (field && (ENROL_FIELDS as readonly string[]).includes(field)) {
      return { field: field as EnrolField, key: 'staff.error.invalid' };
    }
  }
  return { field: null, key: `error.${error.code}` };
}
