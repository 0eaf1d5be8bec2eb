/**
 * A PostgreSQL connection the server drops while the tracker holds it between two queries
 * (a transaction's, or one Kysely keeps) must not take the tracker down. Node throws an
 * 'error' event nobody listens to, and pg's pool listens only while a client is idle: the
 * fault campaign lost its tracker that way right after a database crash, and every console
 * stayed offline until someone restarted it. A real PostgreSQL; the server ends the
 * connection with pg_terminate_backend, as a restart or failover would.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPgPool } from '../../../src-tracker/db/database.ts';
import { requirePostgres, startPostgres, type RunningPostgres } from '../../lab/postgres.ts';

const run = requirePostgres('a dropped PostgreSQL connection');
let server: RunningPostgres | null = null;

afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!run)("the tracker's PostgreSQL pool", () => {
  it('survives the server ending a connection it holds between two queries, and serves the next query on a new one', async () => {
    server = await startPostgres();
    const url = await server.createDatabase('guardline_dropped');
    const pool = openPgPool(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const held = await pool.connect();
      const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // 'end' comes after the client has emitted its 'error' (pg's client.js): once it is
      // here, an unheard error would already have been thrown out of this process.
      const ended = new Promise<void>((resolve) => held.once('end', () => resolve()));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await ended;
      await expect(held.query('SELECT 1')).rejects.toThrow();
      held.release(true);
      const again = await pool.query<{ n: number }>('SELECT 41 + 1 AS n');
      expect(again.rows[0]!.n).toBe(42);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
