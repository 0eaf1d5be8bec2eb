import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureAdminToken } from '../../../src-tracker/auth/admin-token.ts';
import { openTrackerDb, type TrackerDb } from '../../../src-tracker/db/database.ts';
import { TRACKER_MIGRATIONS } from '../../../src-tracker/db/migrations/index.ts';
import { buildTracker } from '../../../src-tracker/server.ts';

let dir: string;
let store: TrackerDb;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-tracker-unit-'));
  store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tracker server', () => {
  it('generates an admin token once, keeps only its hash, and takes it only to create the first HQ admin', async () => {
    const first = await ensureAdminToken(store, undefined, Date.now());
    expect(first.source).toBe('generated');
    expect((await ensureAdminToken(store, undefined, Date.now())).source).toBe('stored');
    const stored = await store.db.selectFrom('admin_tokens').selectAll().execute();
    expect(stored).toHaveLength(1);
    if (first.source !== 'generated') return;
    expect(stored[0]!.token_hash).not.toContain(first.token);

    const app = await buildTracker({ db: store });
    const bearer = { authorization: `Bearer ${first.token}` };
    const read = await app.inject({ url: '/v1/hq/facilities', headers: bearer });
    expect(read.json()).toMatchObject({ code: 'forbidden' });
    const setup = await app.inject({
      method: 'POST',
      url: '/v1/hq/setup',
      headers: bearer,
      payload: { name: 'Karin Lund', password: 'nattskift-2026-HQ' },
    });
    expect(setup.statusCode).toBe(201);
    const wrong = await app.inject({ url: '/v1/hq/facilities', headers: { authorization: 'Bearer gla_wrong' } });
    expect(wrong.json()).toMatchObject({ code: 'unauthenticated' });
    await app.close();
  });

  it('answers 429 rate_limited once a token spends its budget, without touching other tokens', async () => {
    const app = await buildTracker({ db: store, limits: { rateLimit: { max: 3, timeWindowMs: 60_000 } } });
    const call = (token: string) => app.inject({ url: '/v1/events', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await call('gld_one')).statusCode).toBe(401);
    const limited = await call('gld_one');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'rate_limited' });
    expect((await call('gld_two')).statusCode).toBe(401);
    await app.close();
  });

  it('answers unknown routes and non-JSON bodies with the error shape', async () => {
    const app = await buildTracker({ db: store });
    const missing = await app.inject({ url: '/v1/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not_found' });
    const text = await app.inject({
      method: 'POST',
      url: '/v1/enroll',
      headers: { 'content-type': 'text/plain' },
      payload: 'hej',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'invalid_input', field: 'content-type' });
    await app.close();
  });

  it('reports unhealthy with 503 when the database is gone', async () => {
    const app = await buildTracker({ db: store });
    await store.close();
    const r = await app.inject({ url: '/v1/health' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ ok: false, db: 'sqlite' });
    await app.close();
    store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
  });

  it('reopens an existing file without re-running migrations', async () => {
    await store.close();
    store = await openTrackerDb({ kind: 'sqlite', file: join(dir, 'tracker.sqlite') });
    const applied = await store.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    expect(applied).toHaveLength(Object.keys(TRACKER_MIGRATIONS).length);
  });
});
