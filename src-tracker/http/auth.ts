/**
 * Who is calling. Device tokens belong to one enrolled console and one facility.
 * People at HQ sign in to HQ accounts and carry a session cookie; unsafe requests of
 * a cookie session must also echo its CSRF token and, when the browser names an
 * Origin, come from the tracker's own. The admin token does one thing only: create the
 * first HQ admin (`POST /v1/hq/setup`). On every other HQ route it is refused, so a
 * leaked start-up token cannot read or change HQ data once accounts exist; scripts sign
 * in to an HQ account like people do (cookie + CSRF header, README "HQ from a script").
 *
 * A known credential on the wrong kind of endpoint is `forbidden` (403); a missing,
 * unknown, expired or revoked one is `unauthenticated` (401).
 */
import type { FastifyRequest } from 'fastify';
import { HQ_CSRF_HEADER, HQ_SESSION_COOKIE, type HqAccount, type HqRole } from '../../src-shared/hq-wire.ts';
import type { TrackerDb } from '../db/database.ts';
import { bearerToken, hashSecret, sameHash } from '../auth/tokens.ts';
import { findSession, validCsrf, type ActiveSession } from '../hq/accounts.ts';
import { fail } from './errors.ts';

export interface AuthedDevice {
  /** devices.id: the enrolment, not the console's own device id. */
  id: string;
  deviceId: string;
  facility: string;
}

/** An HQ caller: a signed-in account (a person or a script). */
export interface HqCaller {
  kind: 'session';
  session: ActiveSession;
  token: string;
}

export interface Authenticator {
  device(request: FastifyRequest): Promise<AuthedDevice>;
  /** An HQ account with the admin role. */
  admin(request: FastifyRequest): Promise<HqCaller>;
  /** Anyone signed in to HQ (viewer or admin). */
  viewer(request: FastifyRequest): Promise<HqCaller>;
  /** Whether a bearer token is the admin token (first-admin set-up). */
  isAdminToken(request: FastifyRequest): Promise<boolean>;
}

/** A device's last contact is written at most this often, so reads never wait on writes. */
const LAST_SEEN_RESOLUTION_MS = 30_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionCookie(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === HQ_SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** The Origin a browser sent is this tracker's own (scheme-agnostic behind a TLS proxy). */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export function createAuthenticator(
  store: TrackerDb,
  adminTokenHash: string | undefined,
  clock: () => number = Date.now,
): Authenticator {
  const lastSeenWritten = new Map<string, number>();

  async function isAdmin(tokenHash: string): Promise<boolean> {
    if (adminTokenHash !== undefined) return sameHash(tokenHash, adminTokenHash);
    const row = await store.db
      .selectFrom('admin_tokens')
      .select('token_hash')
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row !== undefined;
  }

  async function activeDevice(tokenHash: string): Promise<AuthedDevice | null> {
    const row = await store.db
      .selectFrom('devices')
      .select(['id', 'device_id', 'facility'])
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? { id: row.id, deviceId: row.device_id, facility: row.facility } : null;
  }

  async function touch(device: AuthedDevice): Promise<void> {
    const now = clock();
    if (now - (lastSeenWritten.get(device.id) ?? 0) < LAST_SEEN_RESOLUTION_MS) return;
    lastSeenWritten.set(device.id, now);
    // In a transaction, so on SQLite it waits for the writer like every write (db/writer-gate.ts).
    await store.db
      .transaction()
      .execute((trx) => trx.updateTable('devices').set({ last_seen_at: now }).where('id', '=', device.id).execute());
  }

  async function hq(request: FastifyRequest, role: HqRole): Promise<HqCaller> {
    const bearer = bearerToken(request.headers.authorization);
    if (bearer) {
      const hash = hashSecret(bearer);
      if (await isAdmin(hash)) {
        throw fail(
          'forbidden',
          'the admin token only creates the first HQ admin (POST /v1/hq/setup); sign in to an HQ account',
        );
      }
      if (await activeDevice(hash)) throw fail('forbidden', 'a device token cannot use the HQ API');
      throw fail('unauthenticated', 'unknown token; sign in to an HQ account');
    }
    const token = sessionCookie(request);
    if (!token) throw fail('unauthenticated', 'sign in to HQ');
    const session = await findSession(store, token, clock());
    if (!session) throw fail('unauthenticated', 'HQ session expired or signed out; sign in again');
    if (!SAFE_METHODS.has(request.method)) {
      if (!sameOrigin(request)) throw fail('forbidden', 'request from another origin refused', 'origin');
      const presented = request.headers[HQ_CSRF_HEADER];
      if (!validCsrf(token, typeof presented === 'string' ? presented : undefined)) {
        throw fail('forbidden', `missing or wrong ${HQ_CSRF_HEADER} header`, HQ_CSRF_HEADER);
      }
    }
    if (role === 'admin' && session.account.role !== 'admin') {
      throw fail('forbidden', 'this needs an HQ admin account');
    }
    return { kind: 'session', session, token };
  }

  return {
    async device(request) {
      const hash = hashSecret(presentedBearer(request));
      const device = await activeDevice(hash);
      if (device) {
        await touch(device);
        return device;
      }
      if (await isAdmin(hash)) throw fail('forbidden', 'the admin token cannot act as a console; enrol a device');
      throw fail('unauthenticated', 'unknown or revoked device token');
    },
    admin: (request) => hq(request, 'admin'),
    viewer: (request) => hq(request, 'viewer'),
    async isAdminToken(request) {
      const bearer = bearerToken(request.headers.authorization);
      return bearer !== null && (await isAdmin(hashSecret(bearer)));
    },
  };
}

function presentedBearer(request: FastifyRequest): string {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw fail('unauthenticated', 'send a token: Authorization: Bearer <token>');
  return token;
}

/** Who did an HQ action, for logs. */
export function callerName(caller: HqCaller): string {
  return caller.session.account.name;
}

export type { HqAccount };
