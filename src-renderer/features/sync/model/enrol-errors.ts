/**
 * The enrolment form's answer to a failed `sync.enroll`: a message beside the field it
 * is about (from the API's `issues`, or its single `field`), else one message for the
 * whole form. Chosen by code, never by core's English text.
 */
import type { ApiError } from '../../../../src-shared/errors.ts';

export const ENROL_FIELDS = ['trackerUrl', 'code', 'label'] as const;
export type EnrolField = (typeof ENROL_FIELDS)[number];

export type EnrolErrorKind = 'required' | 'notUrl' | 'tooLong' | 'unreachable' | 'refused' | 'invalid';

export interface EnrolErrors {
  fields: Partial<Record<EnrolField, EnrolErrorKind>>;
  /** An error not about one field (no right to enrol, console disconnected…): an `error.*` code. */
  form: ApiError['code'] | null;
}

function isEnrolField(field: string | undefined): field is EnrolField {
  return (ENROL_FIELDS as readonly string[]).includes(field ?? '');
}

function kindOfIssue(field: EnrolField, code: string): EnrolErrorKind {
  if (code === 'too_small') return 'required';
  if (code === 'too_big') return 'tooLong';
  if (field === 'trackerUrl') return 'notUrl';
  return 'invalid';
}

export function enrolErrors(error: ApiError): EnrolErrors {
  const fields: EnrolErrors['fields'] = {};
  if (error.code === 'disconnected' && error.field === 'trackerUrl') {
    return { fields: { trackerUrl: 'unreachable' }, form: null };
  }
  if (error.code === 'invalid_input') {
    for (const issue of error.issues ?? []) {
      if (isEnrolField(issue.field) && fields[issue.field] === undefined)
        fields[issue.field] = kindOfIssue(issue.field, issue.code);
    }
    // No issues but a field: the tracker itself refused the value (a spent or unknown code).
    if (!error.issues?.length && isEnrolField(error.field)) {
      fields[error.field] = error.field === 'code' ? 'refused' : 'invalid';
    }
    if (Object.keys(fields).length > 0) return { fields, form: null };
  }
  return { fields, form: error.code };
}

/** Where focus goes after a refused submit: the first field, in form order, with a message. */
export function firstInvalid(errors: EnrolErrors): EnrolField | null {
  return ENROL_FIELDS.find((f) => errors.fields[f] !== undefined) ?? null;
}
