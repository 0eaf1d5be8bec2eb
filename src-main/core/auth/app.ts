/** Sign-in and roster methods of the console API. Roster changes are admin-only (see access.ts). */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import { staffStreamId, type StaffSummary } from '../../../src-shared/staff.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import type { FeatureApp } from '../app.ts';
import { toSummary, type Roster } from './roster.ts';
import type { AuthService } from './service.ts';

export interface AuthAppDeps {
  auth: AuthService;
  roster: Roster;
  store: EventStore;
  event: EventFactory;
}

export function authApp({ auth, roster, store, event }: AuthAppDeps): FeatureApp {
  function summary(staffNumber: string): StaffSummary {
    const record = roster.get(staffNumber);
    if (!record) throw new ApiFailure(apiError('not_found', `no staff member ${staffNumber}`, 'staffNumber'));
    return toSummary(record);
  }

  /** The last active admin cannot be demoted or deactivated: nobody could manage the roster after. */
  function keepsAnAdmin(staffNumber: string, patch: { role?: string; active?: boolean }): boolean {
    const losesAdmin = patch.role !== undefined ? patch.role !== 'admin' : patch.active === false;
    if (!losesAdmin) return true;
    return roster.withRole('admin').some((s) => s.staffNumber !== staffNumber);
  }

  return {
    name: 'auth',
    handlers: {
      'auth.session': () => auth.state(),
      'auth.signIn': (input) => auth.signIn(input.staffNumber, input.pin),
      'auth.signOut': () => auth.signOut(),
      'auth.bootstrapAdmin': (input) => auth.bootstrapAdmin(input.staffNumber, input.name, input.pin),
      'auth.lock': () => auth.lock(),
      'auth.touch': () => auth.state(),
      async 'auth.changePin'(input, ctx) {
        if (!(await auth.verifyOwnPin(input.currentPin))) {
          throw new ApiFailure(apiError('unauthenticated', 'the current PIN is wrong', 'currentPin'));
        }
        const pinHash = await auth.hashPin(input.newPin);
        store.append([
          event('staff.pin_set', staffStreamId(ctx.actor), { staffNumber: ctx.actor, pinHash }, ctx.actor),
        ]);
        return auth.state();
      },
      'staff.list': () => ({ items: roster.list().map(toSummary) }),
      async 'staff.enroll'(input, ctx) {
        const { staffNumber, name, role, units, pin } = input;
        const pinHash = pin === undefined ? null : await auth.hashPin(pin);
        if (roster.get(staffNumber)) {
          throw new ApiFailure(apiError('conflict', `${staffNumber} is already on the roster`, 'staffNumber'));
        }
        const stream = staffStreamId(staffNumber);
        store.append([
          event('staff.enrolled', stream, { staffNumber, name, role, units }, ctx.actor),
          ...(pinHash ? [event('staff.pin_set', stream, { staffNumber, pinHash }, ctx.actor)] : []),
        ]);
        return summary(staffNumber);
      },
      'staff.update'(input, ctx) {
        summary(input.staffNumber);
        if (!keepsAnAdmin(input.staffNumber, input.patch)) {
          throw new ApiFailure(apiError('conflict', 'the roster must keep at least one active admin', 'patch'));
        }
        const payload = { staffNumber: input.staffNumber, patch: input.patch };
        store.append([event('staff.updated', staffStreamId(input.staffNumber), payload, ctx.actor)]);
        auth.session(); // ends the session at once if its holder was just deactivated
        return summary(input.staffNumber);
      },
      async 'staff.setPin'(input, ctx) {
        summary(input.staffNumber);
        const pinHash = await auth.hashPin(input.pin);
        const payload = { staffNumber: input.staffNumber, pinHash };
        store.append([event('staff.pin_set', staffStreamId(input.staffNumber), payload, ctx.actor)]);
        return summary(input.staffNumber);
      },
    },
  };
}
