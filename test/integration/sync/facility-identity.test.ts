/**
 * One facility identity (issue 15), through a real tracker process and a real console
 * core: a console whose config names "Demoanläggningen" is shown both names before it
 * joins a code for "Anstalt A", is refused without adopting (the code stays unspent),
 * and after adopting shows, reports and is listed at HQ under the tracker's one id and
 * name. A tracker database from before the fix gets each facility's id as its name.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTrackerDb } from '../../../src-tracker/db/database.ts';
import { trackerMigrations } from '../../../src-tracker/db/migrations/index.ts';
import type { TrackerDatabase } from '../../../src-tracker/db/schema.ts';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import { trackerClient } from '../tracker/http-client.ts';
import type { TestConsole } from '../../support/consoles.ts';
import { hqAdmin, waitForSync } from './sync-lab.ts';
import { syncLab } from './sync-lab-scope.ts';
import { alwaysUp } from '../reports/report-lab.ts';
import { incidentInput } from '../../support/incidents.ts';

const lab = syncLab('guardline-identity-');
let tracker: ChildTracker;
let c: TestConsole;
const admin = () => trackerClient(tracker.url);

beforeAll(async () => {
  tracker = await lab.startTracker();
  const config = join(lab.dir, 'guardline.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      facility: { id: 'demo', name: 'Demoanläggningen' },
      units: [{ id: 'a', name: 'Avdelning A' }],
      lines: [
        {
          id: 'a1',
          name: 'A vakt',
          unit: 'a',
          kind: 'desk',
          criticality: 'critical',
          probe: { type: 'sip-options', host: '127.0.0.1', port: 9 },
        },
      ],
      probeDefaults: { intervalMs: 60_000, timeoutMs: 100, downThreshold: 3, upThreshold: 1, jitterRatio: 0 },
      reserveProcedure: { sv: 'Radio kanal 3', en: 'Radio channel 3' },
    }),
  );
  c = await lab.syncConsole('demo', { telephony: { configFile: config, runProbe: alwaysUp } });
  await c.core.ready;
  expect((await c.call<{ facility: { name: string } | null }>('lines.board', {})).facility?.name).toBe(
    'Demoanläggningen',
  );
});

async function code(): Promise<string> {
  const reply = await admin().post<{ code: string; facilityName: string }>(
    '/v1/admin/enrolment-codes',
    { facility: 'anstalt-a', name: 'Anstalt A', ttlMinutes: 30 },
    await hqAdmin(tracker.url),
  );
  expect(reply.body.facilityName).toBe('Anstalt A');
  return reply.body.code;
}

describe('one facility identity', () => {
  it('shows both names before joining and refuses to join another facility without adopting it', async () => {
    const oneTime = await code();
    const preview = await c.call('sync.previewEnrolment', { trackerUrl: tracker.url, code: oneTime });
    expect(preview).toEqual({
      tracker: { id: 'anstalt-a', name: 'Anstalt A' },
      console: { id: 'demo', name: 'Demoanläggningen' },
      matches: false,
    });
    const refused = await c.fail('sync.enroll', { trackerUrl: tracker.url, code: oneTime });
    expect(refused).toMatchObject({ code: 'conflict', field: 'facility' });
    expect(refused.message).toContain('Demoanläggningen');
    expect(refused.message).toContain('Anstalt A');
    expect((await c.call<{ state: string }>('sync.status', {})).state).toBe('not_configured');

    // The code was not spent: adopting the tracker's identity joins with it.
    await c.call('sync.enroll', { trackerUrl: tracker.url, code: oneTime, adoptFacility: true });
    c.core.sync.start();
    await waitForSync(c, (s) => s.pending === 0 && s.lastSuccessAt !== null, 'first sync', 30_000);
    expect((await c.call<{ facility: string }>('system.info', {})).facility).toBe('Anstalt A');
    const now = Date.now();
    const onConsole = await c.call<{ facility: { name: string } }>('reports.period', {
      from: now - 86_400_000,
      to: now,
    });
    expect(onConsole.facility.name).toBe('Anstalt A');

    // The incident form sends the name it shows; the incident is filed under the facility's id.
    const created = await c.call<{ id: string; facility: string }>('incidents.create', {
      ...incidentInput({ title: 'Larm i entrén' }),
      facility: 'Anstalt A',
    });
    expect(created.facility).toBe('anstalt-a');
    await waitForSync(c, (s) => s.pending === 0 && s.quarantined === 0, 'incident pushed', 30_000);
    const hq = await admin().get<{ incidents: { id: string; facility: string }[] }>(
      '/v1/hq/incidents',
      await hqAdmin(tracker.url),
    );
    expect(hq.body.incidents).toContainEqual(expect.objectContaining({ id: created.id, facility: 'anstalt-a' }));
  });

  it('names the facility the same everywhere at HQ: overview, facilities, lines and the report', async () => {
    const overview = await admin().get<{ facilities: { id: string; name: string }[] }>(
      '/v1/hq/overview',
      await hqAdmin(tracker.url),
    );
    expect(overview.body.facilities.map((f) => [f.id, f.name])).toEqual([['anstalt-a', 'Anstalt A']]);
    const facilities = await admin().get<{ facilities: { id: string; name: string }[] }>(
      '/v1/hq/facilities',
      await hqAdmin(tracker.url),
    );
    expect(facilities.body.facilities.map((f) => f.name)).toEqual(['Anstalt A']);
    const lines = await admin().get<{ facilities: { name: string; lines: unknown[] }[] }>(
      '/v1/hq/lines',
      await hqAdmin(tracker.url),
    );
    expect(lines.body.facilities[0]).toMatchObject({ name: 'Anstalt A' });
    const to = Date.now() + 60_000;
    const report = await admin().get<{ report: { facility: unknown } }>(
      `/v1/hq/report?facility=anstalt-a&from=${to - 86_400_000}&to=${to}`,
      await hqAdmin(tracker.url),
    );
    expect(report.body.report.facility).toEqual({ id: 'anstalt-a', name: 'Anstalt A' });
  });
});

describe('migration to one facility identity', () => {
  it('names every existing facility by its id', async () => {
    const file = join(lab.dir, 'old-tracker.sqlite');
    const old = new Kysely<TrackerDatabase>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    const migrated = await new Migrator({ db: old, provider: trackerMigrations }).migrateTo('0003-projection-cursors');
    expect(migrated.error).toBeUndefined();
    await old
      .insertInto('facilities')
      .values({ id: 'Anstalt A', created_at: 1 } as never)
      .execute();
    await old.destroy();

    const store = await openTrackerDb({ kind: 'sqlite', file });
    try {
      const rows = await store.db.selectFrom('facilities').select(['id', 'name']).execute();
      expect(rows).toEqual([{ id: 'Anstalt A', name: 'Anstalt A' }]);
    } finally {
      await store.close();
    }
  });
});
