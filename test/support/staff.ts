import type { CallResult } from '../../src-shared/transport.ts';

type Call = (method: string, input: unknown, caller: { origin: 'test' }) => Promise<CallResult>;

/** The first admin tests create on a fresh console. */
export const TEST_ADMIN = { staffNumber: 'A0001', name: 'Test Admin', pin: '246810' };

/**
 * Sign a console in (issue 6: every method but sign-in needs a session): creates the
 * first admin on an empty roster, or signs in as `who` otherwise. Works with
 * `core.dispatch` or any call function of the same shape.
 */
export async function signIn(
  call: Call,
  who: { staffNumber: string; pin: string; name?: string } = TEST_ADMIN,
): Promise<void> {
  const state = await call('auth.session', {}, { origin: 'test' });
  const empty = state.ok && (state.value as { rosterEmpty: boolean }).rosterEmpty;
  const result = empty
    ? await call('auth.bootstrapAdmin', { name: 'Test Admin', ...who }, { origin: 'test' })
    : await call('auth.signIn', { staffNumber: who.staffNumber, pin: who.pin }, { origin: 'test' });
  if (!result.ok) throw new Error(`sign-in as ${who.staffNumber} failed: ${result.error.message}`);
}
