/**
 * HQ accounts and their sessions (issue 15). Passwords are scrypt-hashed with the
 * same code as the consoles' PINs, at a higher cost (HQ sees every facility). Five
 * wrong passwords in a row lock an account for 15 minutes; an unknown name costs the
 * same scrypt run as a known one, so timing does not tell which names exist.
 *
 * A session is a random secret in an HttpOnly, SameSite=Strict cookie; only its sha256
 * is stored. Its CSRF token is an HMAC of that secret (OWASP's "signed token" pattern):
 * the app reads it from `GET /v1/hq/session`, which another origin cannot read, and
 * echoes it in a header on unsafe requests. Every tab of a session shares it, and a
 * forged request from another site carries the cookie at most, never the header.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { hashPin, verifyPin, type ScryptParams } from '../../src-common/pin-hash.ts';
import type { HqAccount, HqRole } from '../../src-shared/hq-wire.ts';
import { hashSecret, sameHash } from '../auth/tokens.ts';
import type { TrackerDb } from '../db/database.ts';
import type { HqAccountsTable } from '../db/schema.ts';
import { fail } from '../http/errors.ts';

/** About 100 ms and 32 MiB per check on the reference machine. */
export const PASSWORD_PARAMS: ScryptParams = { N: 32768, r: 8, p: 1 };
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
export const SESSION_MS = 12 * 60 * 60_000;

let dummyHash: Promise<string> | null = null;

const nameKey = (name: string) => name.trim().toLocaleLowerCase('sv');

function toAccount(row: Pick<HqAccountsTable, 'id' | 'name' | 'role' | 'created_at' | 'locked_until'>): HqAccount {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: Number(row.created_at),
    lockedUntil: row.locked_until == null ? null : Number(row.locked_until),
  };
}

export async function accountCount(store: TrackerDb): Promise<number> {
  const row = await store.db
    .selectFrom('hq_accounts')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listAccounts(store: TrackerDb): Promise<HqAccount[]> {
  const rows = await store.db.selectFrom('hq_accounts').selectAll().orderBy('name_key').execute();
  return rows.map(toAccount);
}

export async function createAccount(
  store: TrackerDb,
  input: { name: string; password: string; role: HqRole },
  now: number,
  params: ScryptParams = PASSWORD_PARAMS,
): Promise<HqAccount> {
  const key = nameKey(input.name);
  const taken = await store.db.selectFrom('hq_accounts').select('id').where('name_key', '=', key).executeTakeFirst();
  if (taken) throw fail('conflict', `an HQ account named ${input.name.trim()} exists`, 'name');
  const row = {
    id: randomUUID(),
    name: input.name.trim(),
    name_key: key,
    password_hash: await hashPin(input.password, params),
    role: input.role,
    created_at: now,
    locked_until: null,
  };
  await store.db.insertInto('hq_accounts').values(row).execute();
  return toAccount(row);
}

/**
 * The first HQ admin, created with the admin token. Refused once any account exists,
 * so the token cannot mint more admins later (admins do that, signed in).
 */
export async function createFirstAdmin(
  store: TrackerDb,
  input: { name: string; password: string },
  now: number,
  params: ScryptParams = PASSWORD_PARAMS,
): Promise<HqAccount> {
  if ((await accountCount(store)) > 0) {
    throw fail('conflict', 'HQ already has accounts; an HQ admin creates more after signing in');
  }
  return createAccount(store, { ...input, role: 'admin' }, now, params);
}

export type LoginOutcome =
  | { ok: true; account: HqAccount }
  | { ok: false; reason: 'wrong' | 'locked'; lockedUntil?: number; failedLogins?: number };

export async function checkPassword(
  store: TrackerDb,
  name: string,
  password: string,
  now: number,
): Promise<LoginOutcome> {
  const row = await store.db
    .selectFrom('hq_accounts')
    .selectAll()
    .where('name_key', '=', nameKey(name))
    .executeTakeFirst();
  if (!row) {
    dummyHash ??= hashPin('not a password', PASSWORD_PARAMS);
    await verifyPin(password, await dummyHash);
    return { ok: false, reason: 'wrong' };
  }
  const lockedUntil = row.locked_until == null ? 0 : Number(row.locked_until);
  if (lockedUntil > now) return { ok: false, reason: 'locked', lockedUntil };
  if (await verifyPin(password, row.password_hash)) {
    await store.db
      .updateTable('hq_accounts')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', row.id)
      .execute();
    return { ok: true, account: toAccount({ ...row, locked_until: null }) };
  }
  const failed = Number(row.failed_logins) + 1;
  const lock = failed >= MAX_FAILED_LOGINS ? now + LOCKOUT_MS : null;
  await store.db
    .updateTable('hq_accounts')
    .set({ failed_logins: lock ? 0 : failed, locked_until: lock })
    .where('id', '=', row.id)
    .execute();
  return lock
    ? { ok: false, reason: 'locked', lockedUntil: lock, failedLogins: failed }
    : { ok: false, reason: 'wrong', failedLogins: failed };
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('guardline-hq-csrf').digest('hex');
}

export function validCsrf(sessionToken: string, presented: string | undefined): boolean {
  return typeof presented === 'string' && /^[0-9a-f]{64}$/.test(presented)
    ? sameHash(presented, csrfTokenFor(sessionToken))
    : false;
}

export async function openSession(store: TrackerDb, accountId: string, now: number): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + SESSION_MS;
  await store.db
    .insertInto('hq_sessions')
    .values({
      token_hash: hashSecret(token),
      account_id: accountId,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  // Expired sessions of anyone go when someone signs in; no timer needed.
  await store.db.deleteFrom('hq_sessions').where('expires_at', '<=', now).execute();
  return { token, csrfToken: csrfTokenFor(token), expiresAt };
}

export interface ActiveSession {
  tokenHash: string;
  csrfToken: string;
  account: HqAccount;
}

export async function findSession(store: TrackerDb, token: string, now: number): Promise<ActiveSession | null> {
  const tokenHash = hashSecret(token);
  const row = await store.db
    .selectFrom('hq_sessions as s')
    .innerJoin('hq_accounts as a', 'a.id', 's.account_id')
    .select(['s.expires_at', 'a.id', 'a.name', 'a.role', 'a.created_at', 'a.locked_until'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || Number(row.expires_at) <= now) return null;
  return { tokenHash, csrfToken: csrfTokenFor(token), account: toAccount(row) };
}

export async function closeSession(store: TrackerDb, tokenHash: string): Promise<void> {
  await store.db.deleteFrom('hq_sessions').where('token_hash', '=', tokenHash).execute();
}
