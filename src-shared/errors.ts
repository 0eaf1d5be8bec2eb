/**
 * Errors are values at every boundary: `{code, message, field?}`. `message` is for
 * logs and developers; the renderer shows a translated text chosen by `code`.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'invalid_input',
  'unknown_method',
  'not_found',
  'illegal_transition',
  'forbidden',
  'unauthenticated',
  'conflict',
  'store_unavailable',
  'disconnected',
  /** The connection broke while a call was in flight: whether it took effect is unknown. */
  'connection_lost',
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldIssue = z.object({ field: z.string(), message: z.string(), code: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  field: z.string().optional(),
  issues: z.array(FieldIssue).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export function apiError(code: ErrorCode, message: string, field?: string): ApiError {
  return field === undefined ? { code, message } : { code, message, field };
}

/** Dotted path for a zod issue: `peopleInvolved.2`, or `(root)` for the whole value. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** Turn a zod failure into one error naming the first bad field, with all issues attached. */
export function fromZodError(error: z.ZodError, prefix = ''): ApiError {
  const issues: FieldIssue[] = error.issues.map((i) => ({
    field: prefix + issuePath(i.path),
    message: i.message,
    code: i.code,
  }));
  const first = issues[0] ?? { field: prefix || '(root)', message: 'invalid', code: 'custom' };
  return { code: 'invalid_input', message: `${first.field}: ${first.message}`, field: first.field, issues };
}

/** Thrown inside core handlers to return a typed error; anything else thrown is a bug (internal). */
export class ApiFailure extends Error {
  readonly error: ApiError;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiFailure';
    this.error = error;
  }
}
