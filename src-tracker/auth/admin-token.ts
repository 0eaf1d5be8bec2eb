/**
 * The HQ admin token. An operator may set one (GUARDLINE_ADMIN_TOKEN); otherwise the
 * first start generates one, stores only its hash and shows it once.
 */
import type { TrackerDb } from '../db/database.ts';
import { hashSecret, newAdminToken } from './tokens.ts';

export type AdminTokenSetup =
  { source: 'env'; hash: string } | { source: 'stored' } | { source: 'generated'; token: string };

export async function ensureAdminToken(
  store: TrackerDb,
  fromEnv: string | undefined,
  now: number,
): Promise<AdminTokenSetup> {
  if (fromEnv) return { source: 'env', hash: hashSecret(fromEnv) };
  const existing = await store.db.selectFrom('admin_tokens').select('token_hash').limit(1).executeTakeFirst();
  if (existing) return { source: 'stored' };
  const token = newAdminToken();
  await store.db
    .insertInto('admin_tokens')
    .values({ token_hash: hashSecret(token), created_at: now })
    .execute();
  return { source: 'generated', token };
}
