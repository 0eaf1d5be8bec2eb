/**
 * HQ sign-in (issue 15): first-admin set-up with the admin token, sign-in and sign-out
 * with an HQ account, the session's own view, and account management by HQ admins.
 * Wrong passwords and lockouts are logged with the account name and address, never
 * the password.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  HQ_SESSION_COOKIE,
  HqLoginRequest,
  HqNewAccount,
  HqSetupRequest,
  type HqSessionInfo,
} from '../../src-shared/hq-wire.ts';
import type { TrackerContext } from '../context.ts';
import { callerName, sessionCookie } from '../http/auth.ts';
import { fail } from '../http/errors.ts';
import { parseInput } from '../http/parse.ts';
import {
  accountCount,
  checkPassword,
  closeSession,
  createAccount,
  createFirstAdmin,
  findSession,
  listAccounts,
  openSession,
  SESSION_MS,
} from './accounts.ts';
import { hashSecret } from '../auth/tokens.ts';

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeMs: number): void {
  const parts = [
    `${HQ_SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
  ];
  // Behind TLS (directly or via a proxy that says so) the cookie never travels in clear.
  if (request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https') parts.push('Secure');
  void reply.header('set-cookie', parts.join('; '));
}

export function sessionRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  app.get('/v1/hq/session', async (request, reply) => {
    const token = sessionCookie(request);
    const session = token ? await findSession(ctx.store, token, ctx.clock()) : null;
    const body: HqSessionInfo = session
      ? { signedIn: true, account: session.account, csrfToken: session.csrfToken }
      : { signedIn: false, setupNeeded: (await accountCount(ctx.store)) === 0 };
    return reply.header('cache-control', 'no-store').send(body);
  });

  app.post('/v1/hq/setup', async (request, reply) => {
    if (!(await ctx.auth.isAdminToken(request))) {
      throw fail('unauthenticated', 'the admin token printed at the first start creates the first HQ admin', 'token');
    }
    const body = parseInput(HqSetupRequest, request.body);
    const account = await createFirstAdmin(ctx.store, body, ctx.clock());
    request.log.warn({ account: account.name }, 'first HQ admin created with the admin token');
    return reply.code(201).send({ account });
  });

  app.post('/v1/hq/login', async (request, reply) => {
    const body = parseInput(HqLoginRequest, request.body);
    const outcome = await checkPassword(ctx.store, body.name, body.password, ctx.clock());
    if (!outcome.ok) {
      request.log.warn(
        { account: body.name, ip: request.ip, reason: outcome.reason, failedLogins: outcome.failedLogins },
        outcome.reason === 'locked'
          ? 'HQ sign-in refused: account locked'
          : 'HQ sign-in failed: wrong name or password',
      );
      if (outcome.reason === 'locked') {
        throw fail(
          'forbidden',
          `too many wrong passwords; the account is locked until ${new Date(outcome.lockedUntil ?? 0).toISOString()}`,
          'password',
        );
      }
      throw fail('unauthenticated', 'wrong name or password', 'password');
    }
    const session = await openSession(ctx.store, outcome.account.id, ctx.clock());
    setSessionCookie(request, reply, session.token, SESSION_MS);
    request.log.info({ account: outcome.account.name, role: outcome.account.role }, 'HQ sign-in');
    const body2: HqSessionInfo = { signedIn: true, account: outcome.account, csrfToken: session.csrfToken };
    return reply.header('cache-control', 'no-store').send(body2);
  });

  app.post('/v1/hq/logout', async (request, reply) => {
    const caller = await ctx.auth.viewer(request);
    await closeSession(ctx.store, hashSecret(caller.token));
    setSessionCookie(request, reply, '', 0);
    return reply.code(204).send();
  });

  app.get('/v1/hq/accounts', async (request, reply) => {
    await ctx.auth.admin(request);
    return reply.send({ accounts: await listAccounts(ctx.store) });
  });

  app.post('/v1/hq/accounts', async (request, reply) => {
    const caller = await ctx.auth.admin(request);
    const body = parseInput(HqNewAccount, request.body);
    const account = await createAccount(ctx.store, body, ctx.clock());
    request.log.info({ account: account.name, role: account.role, by: callerName(caller) }, 'HQ account created');
    return reply.code(201).send({ account });
  });
}
