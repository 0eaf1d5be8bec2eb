/**
 * Store migration 11 (issue 15): a console enrolled, adopting the tracker's facility,
 * before its line and outage views followed the adopted id kept them under its config's
 * facility id. Opening the file moves the views to the adopted id (a line known under
 * both keeps its latest state); the signed events are not touched; a console never
 * enrolled keeps its config's id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/core/store/database.ts';
import { MIGRATIONS } from '../../../src-main/core/store/migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'guardline-migration-11-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function storeBefore11(file: string, adopted: string | null): void {
  const { db } = openDatabase(
    file,
    MIGRATIONS.filter((m) => m.version < 11),
  );
  if (adopted) db.prepare("INSERT INTO meta (key, value) VALUES ('sync.facility', ?)").run(adopted);
  const status = db.prepare(
    'INSERT INTO line_status (facility_id, line_id, state, since, evidence, last_report, updated_hlc) VALUES (?, ?, ?, 1, NULL, NULL, ?)',
  );
  status.run('demo', 'trunk1', 'DOWN', '0000000001000-000000-a');
  status.run('demo', 'a1', 'UP', '0000000003000-000000-a'); // newer than the adopted row below
  status.run('anstalt-a', 'a1', 'DOWN', '0000000002000-000000-a');
  db.prepare(
    `INSERT INTO line_status_history (event_id, facility_id, line_id, from_state, to_state, at, hlc, device_id, evidence)
     VALUES ('e1', 'demo', 'trunk1', 'UP', 'DOWN', 1, '0000000001000-000000-a', 'a', '{}')`,
  ).run();
  db.prepare(
    `INSERT INTO outages (id, facility_id, kind, status, cause, trunk, opened_at, resolved_at, opened_hlc, updated_hlc, doc)
     VALUES ('o1', 'demo', 'automatic', 'open', 'trunk_down', 'trunk1', 1, NULL, 'h', 'h', '{"id":"o1","facilityId":"demo"}')`,
  ).run();
  db.close();
}

describe('store migration 11: one facility identity', () => {
  it('files an adopted console’s line and outage views under the adopted facility', () => {
    const file = join(dir, 'adopted.sqlite');
    storeBefore11(file, 'anstalt-a');
    const { db, schemaVersion } = openDatabase(file);
    expect(schemaVersion).toBeGreaterThanOrEqual(11);
    expect(db.prepare('SELECT facility_id, line_id, state FROM line_status ORDER BY line_id').all()).toEqual([
      { facility_id: 'anstalt-a', line_id: 'a1', state: 'UP' },
      { facility_id: 'anstalt-a', line_id: 'trunk1', state: 'DOWN' },
    ]);
    expect(db.prepare('SELECT DISTINCT facility_id FROM line_status_history').all()).toEqual([
      { facility_id: 'anstalt-a' },
    ]);
    expect(db.prepare('SELECT facility_id, doc FROM outages').get()).toEqual({
      facility_id: 'anstalt-a',
      doc: '{"id":"o1","facilityId":"anstalt-a"}',
    });
    db.close();
  });

  it('leaves a console that never enrolled under its config’s facility', () => {
    const file = join(dir, 'alone.sqlite');
    storeBefore11(file, null);
    const { db } = openDatabase(file);
    expect(db.prepare('SELECT DISTINCT facility_id FROM line_status_history').all()).toEqual([{ facility_id: 'demo' }]);
    expect(db.prepare("SELECT count(*) AS n FROM line_status WHERE facility_id = 'demo'").get()).toEqual({ n: 2 });
    db.close();
  });
});
