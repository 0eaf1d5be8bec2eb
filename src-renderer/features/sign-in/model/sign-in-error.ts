/**
 * What a sign-in or setup screen says about a refused attempt. A wrong PIN and an
 * unknown staff number read the same (the core answers both alike, and so must we);
 * a lockout says how long it lasts.
 */
import type { ApiError } from '../../../../src-shared/errors.ts';

export type SignInField = 'staffNumber' | 'name' | 'pin' | 'pinRepeat';

export interface SignInProblem {
  /** i18n key. */
  key: string;
  values?: Record<string, string | number>;
  /** The field to mark and focus; null when the problem is not one field's. */
  field: SignInField | null;
}

/**
 * The core's lockout error carries its end only in the developer message
 * ("… until 2026-11-25T21:19:00.000Z"); the contract has no structured field for it,
 * so we read it from there and fall back to a text without minutes.
 */
export function lockedUntil(message: string): number | null {
  const match = /until (\d{4}-\d\d-\d\dT[\d:.]+Z)/.exec(message);
  if (!match?.[1]) return null;
  const at = Date.parse(match[1]);
  return Number.isFinite(at) ? at : null;
}

function isLockout(error: ApiError): boolean {
  return error.code === 'forbidden' && /locked out/i.test(error.message);
}

export function signInProblem(error: ApiError, now: number): SignInProblem {
  if (isLockout(error)) {
    const until = lockedUntil(error.message);
    if (until === null) return { key: 'signIn.error.lockedOut', field: 'pin' };
    const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
    return { key: 'signIn.error.lockedOutFor', values: { count: minutes }, field: 'pin' };
  }
  switch (error.code) {
    case 'unauthenticated':
      return { key: 'signIn.error.badCredentials', field: 'pin' };
    case 'invalid_input': {
      const field = error.field?.split('.')[0];
      if (field === 'staffNumber') return { key: 'signIn.error.staffNumberFormat', field: 'staffNumber' };
      if (field === 'pin') return { key: 'signIn.error.pinFormat', field: 'pin' };
      if (field === 'name') return { key: 'signIn.error.nameRequired', field: 'name' };
      return { key: 'error.invalid_input', field: null };
    }
    case 'conflict':
      // Setup only: someone is on the roster already, or the tracker has not sent it yet.
      return /tracker|sync/i.test(error.message)
        ? { key: 'signIn.error.awaitingRoster', field: null }
        : { key: 'signIn.error.rosterNotEmpty', field: null };
    default:
      return { key: `error.${error.code}`, field: null };
  }
}
