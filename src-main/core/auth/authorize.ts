/**
 * The access check `dispatch` runs before every handler: the method's access level
 * (src-shared/access.ts) against the role of whoever is signed in on this console
 * right now. The actor recorded on events comes from here, never from the host.
 */
import { accessOf, allows, FIRST_RUN_METHODS, requiredRole } from '../../../src-shared/access.ts';
import { apiError } from '../../../src-shared/errors.ts';
import type { MethodName } from '../../../src-shared/api.ts';
import type { AccessCheck } from '../app.ts';
import { ANONYMOUS_ACTOR } from '../event-factory.ts';
import type { AuthService } from './service.ts';

/** Reads a UI may repeat on its own; they do not count as someone using the console. */
const PASSIVE_METHODS: ReadonlySet<MethodName> = new Set(['system.info', 'auth.session', 'alarms.list']);

export function createAccessCheck(auth: AuthService): AccessCheck {
  return (method, caller) => {
    const level = accessOf(method);
    if (level === null) {
      return { ok: false, error: apiError('forbidden', `${method} has no access rule, so nobody may call it`) };
    }
    const session = auth.session();
    if (!allows(level, session?.role ?? null)) {
      if (!session && FIRST_RUN_METHODS.includes(method) && auth.rosterEmpty()) {
        return { ok: true, ctx: { actor: ANONYMOUS_ACTOR, origin: caller.origin } };
      }
      if (!session) return { ok: false, error: apiError('unauthenticated', `sign in to use ${method}`) };
      const required = requiredRole(level)!;
      // A refused attempt by a signed-in person is a fact worth auditing (a guard trying to acknowledge).
      auth.recordDenied(session.staffNumber, method, required);
      return { ok: false, error: apiError('forbidden', `${method} requires the ${required} role`) };
    }
    if (session && !PASSIVE_METHODS.has(method)) auth.touch();
    return { ok: true, ctx: { actor: session?.staffNumber ?? ANONYMOUS_ACTOR, origin: caller.origin } };
  };
}
