/**
 * Staff, roles and sign-in: the roster every console caches (folded from `staff.*`
 * events that sync like any other fact) and the shapes of a console's session.
 *
 * Roles are ordered: an admin may do everything a supervisor may, a supervisor
 * everything a guard may.
 */
import { z } from 'zod';

export const ROLES = ['guard', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

const ROLE_RANK: Readonly<Record<Role, number>> = { guard: 1, supervisor: 2, admin: 3 };

/** True when `role` may do what `required` may (admin ⊇ supervisor ⊇ guard). */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}

/** Staff numbers are compared case-insensitively, so they are stored upper-case. */
export const StaffNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, { error: 'must be 1-32 letters, digits, _ or -' });

/** A PIN is 4 to 8 digits: typed fast on a keypad, protected by the lockout, never stored in clear. */
export const Pin = z.string().regex(/^\d{4,8}$/, { error: 'must be 4 to 8 digits' });

const StaffName = z.string().trim().min(1, { error: 'required' }).max(120, { error: 'at most 120 characters' });
const UnitName = z.string().trim().min(1, { error: 'required' }).max(120, { error: 'at most 120 characters' });
const Units = z.array(UnitName).max(50, { error: 'at most 50 units' });

/** `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the hash so they can be raised later. */
export const PinHash = z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, {
  error: 'not a PIN hash',
});

export const StaffPatch = z
  .object({ name: StaffName, role: Role, units: Units, active: z.boolean() })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { error: 'nothing to change' });
export type StaffPatch = z.infer<typeof StaffPatch>;

// --- Events (stream `staff:<staffNumber>`) ------------------------------------------

export const StaffEnrolledPayload = z.object({ staffNumber: StaffNumber, name: StaffName, role: Role, units: Units });
export const StaffUpdatedPayload = z.object({ staffNumber: StaffNumber, patch: StaffPatch });
export const StaffPinSetPayload = z.object({ staffNumber: StaffNumber, pinHash: PinHash });

export const AuthSignedInPayload = z.object({
  staffNumber: StaffNumber,
  /** The staff member whose session this sign-in replaced (quick user switch), if any. */
  replaced: StaffNumber.nullable(),
});
export const AuthSignedOutPayload = z.object({
  staffNumber: StaffNumber,
  reason: z.enum(['user', 'switched', 'deactivated']),
});
export const AuthSignInFailedPayload = z.object({
  /** As typed: may name nobody on the roster. */
  staffNumber: StaffNumber,
  reason: z.enum(['bad_credentials', 'locked_out']),
  /** Consecutive failures counted towards the lockout, this one included. */
  failures: z.number().int().nonnegative(),
});
export const AuthLockedOutPayload = z.object({
  staffNumber: StaffNumber,
  /** Wall-clock ms of the producing console until which sign-in is refused. */
  until: z.number().int().nonnegative(),
  failures: z.number().int().positive(),
});
export const AuthSessionLockedPayload = z.object({
  staffNumber: StaffNumber,
  reason: z.enum(['idle', 'manual']),
  idleMs: z.number().int().nonnegative(),
});

/** A signed-in staff member called a method their role does not allow (e.g. a guard acknowledging). */
export const AccessDeniedPayload = z.object({
  staffNumber: StaffNumber,
  method: z.string().max(100),
  required: Role,
});

export const STAFF_STREAM_PREFIX = 'staff:';
export function staffStreamId(staffNumber: string): string {
  return `${STAFF_STREAM_PREFIX}${staffNumber}`;
}

// --- API shapes -------------------------------------------------------------------------

export const StaffSummary = z.object({
  staffNumber: z.string(),
  name: z.string(),
  role: Role,
  units: z.array(z.string()),
  active: z.boolean(),
  hasPin: z.boolean(),
});
export type StaffSummary = z.infer<typeof StaffSummary>;

export const Session = z.object({
  staffNumber: z.string(),
  name: z.string(),
  role: Role,
  units: z.array(z.string()),
  signedInAt: z.number().int(),
});
export type Session = z.infer<typeof Session>;

export const AuthState = z.object({
  session: Session.nullable(),
  /** Whose session the idle lock (or a manual lock) ended: the lock screen offers them first. */
  locked: z.object({ staffNumber: z.string(), name: z.string() }).nullable(),
  /** True on first run: the console offers to create the first admin. */
  rosterEmpty: z.boolean(),
  idleLockMs: z.number().int(),
});
export type AuthState = z.infer<typeof AuthState>;

export const SignInInput = z.object({ staffNumber: StaffNumber, pin: Pin }).strict();
export const BootstrapAdminInput = z.object({ staffNumber: StaffNumber, name: StaffName, pin: Pin }).strict();
export const ChangePinInput = z.object({ currentPin: Pin, newPin: Pin }).strict();
export const StaffEnrollInput = z
  .object({ staffNumber: StaffNumber, name: StaffName, role: Role, units: Units.default([]), pin: Pin.optional() })
  .strict();
export const StaffUpdateInput = z.object({ staffNumber: StaffNumber, patch: StaffPatch }).strict();
export const StaffSetPinInput = z.object({ staffNumber: StaffNumber, pin: Pin }).strict();
