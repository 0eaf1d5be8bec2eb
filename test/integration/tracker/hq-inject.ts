/**
 * An HQ admin session on an in-process tracker (Fastify `inject`), as a script holds one:
 * the admin token creates the first HQ admin (its only use, issue 15), then name +
 * password sign in. Returns the headers HQ requests carry: the session cookie and its
 * CSRF token.
 */
import type { FastifyInstance } from 'fastify';
import { HQ_SCRIPT_ADMIN } from './http-client.ts';

export async function injectHqSignIn(app: FastifyInstance, adminToken: string): Promise<Record<string, string>> {
  const state = (await app.inject({ url: '/v1/hq/session' })).json<{ setupNeeded?: boolean }>();
  if (state.setupNeeded) {
    const setup = await app.inject({
      method: 'POST',
      url: '/v1/hq/setup',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: HQ_SCRIPT_ADMIN,
    });
    if (setup.statusCode !== 201) throw new Error(`HQ setup: ${setup.statusCode} ${setup.body}`);
  }
  const login = await app.inject({ method: 'POST', url: '/v1/hq/login', payload: HQ_SCRIPT_ADMIN });
  if (login.statusCode !== 200) throw new Error(`HQ sign-in: ${login.statusCode} ${login.body}`);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  return { cookie, 'x-guardline-csrf': login.json<{ csrfToken: string }>().csrfToken };
}
