/**
 * Who is calling. Device tokens belong to one enrolled console and one facility;
 * the admin token belongs to HQ. A known token on the wrong kind of endpoint is
 * `forbidden` (403); a missing, unknown or revoked one is `unauthenticated` (401).
 */
import type { FastifyRequest } from 'fastify';
import type { TrackerDb } from '../db/database.ts';
import { bearerToken, hashSecret, sameHash } from '../auth/tokens.ts';
import { fail } from './errors.ts';

export interface AuthedDevice {
  /** devices.id: the enrolment, not the console's own device id. */
  id: string;
  deviceId: string;
  facility: string;
}

export interface Authenticator {
  device(request: FastifyRequest): Promise<AuthedDevice>;
  admin(request: FastifyRequest): Promise<void>;
}

export function createAuthenticator(store: TrackerDb, adminTokenHash: string | undefined): Authenticator {
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

  function presentedHash(request: FastifyRequest): string {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw fail('unauthenticated', 'send a token: Authorization: Bearer <token>');
    return hashSecret(token);
  }

  return {
    async device(request) {
      const hash = presentedHash(request);
      const device = await activeDevice(hash);
      if (device) return device;
      if (await isAdmin(hash)) throw fail('forbidden', 'the admin token cannot act as a console; enrol a device');
      throw fail('unauthenticated', 'unknown or revoked device token');
    },
    async admin(request) {
      const hash = presentedHash(request);
      if (await isAdmin(hash)) return;
      if (await activeDevice(hash)) throw fail('forbidden', 'a device token cannot use the admin API');
      throw fail('unauthenticated', 'unknown admin token');
    },
  };
}
