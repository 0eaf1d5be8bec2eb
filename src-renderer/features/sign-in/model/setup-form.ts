/** The setup form checked as typed, against the same schemas the core uses: the first problem, or null. */
import { Pin, StaffNumber } from '../../../../src-shared/staff.ts';
import type { SignInProblem } from './sign-in-error.ts';

export interface SetupForm {
  staffNumber: string;
  name: string;
  pin: string;
  pinRepeat: string;
}

export function setupProblem(form: SetupForm): SignInProblem | null {
  if (!form.staffNumber.trim()) return { key: 'signIn.error.staffNumberRequired', field: 'staffNumber' };
  if (!StaffNumber.safeParse(form.staffNumber).success)
    return { key: 'signIn.error.staffNumberFormat', field: 'staffNumber' };
  if (!form.name.trim()) return { key: 'signIn.error.nameRequired', field: 'name' };
  if (!Pin.safeParse(form.pin).success) return { key: 'signIn.error.pinFormat', field: 'pin' };
  if (form.pin !== form.pinRepeat) return { key: 'signIn.error.pinMismatch', field: 'pinRepeat' };
  return null;
}
