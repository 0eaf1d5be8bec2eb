/**
 * Turning the API's `invalid_input` issues into messages beside the fields. Issue
 * fields are schema keys, possibly dotted (`peopleInvolved.2`); the form shows one
 * message per top-level field, chosen by the zod issue code, never core's English text.
 */
import type { ApiError, FieldIssue } from '../../../../src-shared/errors.ts';

export type FieldErrorKind = 'required' | 'choose' | 'tooLong' | 'invalidDate' | 'invalid';
export type FieldErrors = Partial<Record<string, FieldErrorKind>>;

/** Fields filled by picking one option: a missing value means "choose", not "type". */
const CHOICE_FIELDS = new Set(['category', 'severity', 'status', 'to']);

export function fieldErrorKind(issue: FieldIssue): FieldErrorKind {
  const field = topField(issue.field);
  if (CHOICE_FIELDS.has(field)) return 'choose';
  switch (issue.code) {
    case 'too_small':
      return 'required';
    case 'too_big':
      return 'tooLong';
    case 'invalid_format':
      return field === 'occurredAt' ? 'invalidDate' : 'invalid';
    case 'invalid_type':
      return issue.message.includes('undefined') ? 'required' : 'invalid';
    default:
      return 'invalid';
  }
}

export function topField(field: string): string {
  const dot = field.indexOf('.');
  return dot === -1 ? field : field.slice(0, dot);
}

/** First issue per field wins; errors that are not about input give no field errors. */
export function toFieldErrors(error: ApiError): FieldErrors {
  if (error.code !== 'invalid_input') return {};
  const issues: FieldIssue[] =
    error.issues ?? (error.field ? [{ field: error.field, message: error.message, code: 'custom' }] : []);
  const out: FieldErrors = {};
  for (const issue of issues) {
    const field = topField(issue.field);
    if (out[field] === undefined) out[field] = fieldErrorKind(issue);
  }
  return out;
}

/** The field to focus: the first in form order that has an error. */
export function firstInvalidField<F extends string>(order: readonly F[], errors: FieldErrors): F | null {
  return order.find((f) => errors[f] !== undefined) ?? null;
}
