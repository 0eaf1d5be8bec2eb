/**
 * One facility identity in line and outage facts (issue 15), through a real tracker
 * process and a real console core: a console configured as "Demoanläggningen" records a
 * trunk failure, then enrols adopting the tracker's "Anstalt A" and records the trunk's
 * recovery. Its lines, the outage and its report are one facility, Anstalt A, on the
 * console and at HQ; the events it signed before adopting are left as they were.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LineBoard } from '../../../src-shared/telephony.ts';
import type { Outage } from '../../../src-shared/outages.ts';
import type { PeriodReport } from '../../../src-shared/figures-report.ts';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import { trackerClient } from '../tracker/http-client.ts';
import type { TestConsole } from '../../support/consoles.ts';
import { hqAdmin, waitForSync } from './sync-lab.ts';
import { syncLab } from './sync-lab-scope.ts';
import { switchableProbes, writeTrunkConfig } from '../../e2e/hq-lab.ts';

const lab = syncLab('guardline-identity-events-');
let tracker: ChildTracker;
let c: TestConsole;
let trunk: { down: boolean };
const WAIT = 20_000;

/** Resolves when the console's board satisfies `check`, polled on its own line pushes. */
async function boardWhere(check: (b: LineBoard) => boolean, what: string): Promise<LineBoard> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const board = await c.call<LineBoard>('lines.board', {});
    if (check(board)) return board;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(board.lines)}`);
    await new Promise<void>((resolve) => {
      const off = c.core.subscribe((name) => {
        if (name === 'lines.changed' || name === 'outages.changed') {
          off();
          resolve();
        }
      });
      setTimeout(() => {
        off();
        resolve();
      }, 1000).unref();
    });
  }
}

const trunkState = (b: LineBoard) => b.lines.find((l) => l.id === 'trunk1')?.state;

beforeAll(async () => {
  tracker = await lab.startTracker();
  const config = join(lab.dir, 'guardline.config.json');
  writeTrunkConfig(config, { id: 'demo', name: 'Demoanläggningen' });
  const probes = switchableProbes();
  trunk = probes.trunk;
  c = await lab.syncConsole('demo', { telephony: { configFile: config, runProbe: probes.runner } });
  await c.core.ready;
}, 60_000);

describe('one facility identity in line and outage events', () => {
  it('files what the console recorded before and after adopting Anstalt A under Anstalt A, at HQ and on the console', async () => {
    // Before enrolment: the trunk fails under the config's facility.
    await boardWhere((b) => trunkState(b) === 'UP', 'trunk up');
    trunk.down = true;
    await boardWhere((b) => trunkState(b) === 'DOWN', 'trunk down');
    const before = await c.call<{ items: Outage[] }>('outages.list', { open: true });
    expect(before.items.map((o) => o.facilityId)).toEqual(['demo']);

    // Enrol, adopting the tracker's identity; then the trunk recovers.
    const hq = await hqAdmin(tracker.url);
    const code = await trackerClient(tracker.url).post<{ code: string }>(
      '/v1/admin/enrolment-codes',
      { facility: 'anstalt-a', name: 'Anstalt A', ttlMinutes: 30 },
      hq,
    );
    await c.call('sync.enroll', { trackerUrl: tracker.url, code: code.body.code, adoptFacility: true });
    c.core.sync.start();
    const adopted = await c.call<LineBoard>('lines.board', {});
    expect(adopted.facility).toMatchObject({ id: 'anstalt-a', name: 'Anstalt A' });
    expect(trunkState(adopted)).toBe('DOWN'); // still known, not started over under a new id
    trunk.down = false;
    await boardWhere((b) => trunkState(b) === 'UP', 'trunk up again');
    await waitForSync(c, (s) => s.pending === 0 && s.quarantined === 0 && s.lastSuccessAt !== null, 'synced', WAIT);

    // The console: one facility in every view, the outage opened before and resolved after adopting.
    const outages = await c.call<{ items: Outage[] }>('outages.list', {});
    expect(outages.items.map((o) => [o.facilityId, o.status])).toEqual([['anstalt-a', 'resolved']]);
    const facilitiesIn = (sql: string) =>
      (c.core.store.db.prepare(sql).all() as { f: string }[]).map((r) => r.f).sort();
    for (const table of ['line_status', 'line_status_history', 'outages']) {
      expect(facilitiesIn(`SELECT DISTINCT facility_id AS f FROM ${table}`), table).toEqual(['anstalt-a']);
    }
    // Probe samples are flushed every second, so there may be none yet; none is under the old id.
    expect(facilitiesIn('SELECT DISTINCT facility_id AS f FROM line_samples')).not.toContain('demo');
    const history = await c.call<{ transitions: { to: string }[] }>('lines.history', { lineId: 'trunk1', limit: 50 });
    expect(history.transitions.map((t) => t.to)).toEqual(expect.arrayContaining(['UP', 'DOWN']));
    expect(history.transitions.filter((t) => t.to === 'UP').length).toBeGreaterThanOrEqual(2);
    const now = Date.now();
    const report = await c.call<PeriodReport>('reports.period', { from: now - 3_600_000, to: now + 60_000 });
    expect(report.facility).toEqual({ id: 'anstalt-a', name: 'Anstalt A' });
    expect(report.totals.outageCount).toBe(1);

    // Signed events are not rewritten: the ones from before adopting still name the config's facility.
    const named = (type: string) =>
      (
        c.core.store.db
          .prepare("SELECT DISTINCT json_extract(payload, '$.facilityId') AS f FROM events WHERE type = ?")
          .all(type) as { f: string }[]
      )
        .map((r) => r.f)
        .sort();
    expect(named('line.status_changed')).toEqual(['anstalt-a', 'demo']);
    expect(await c.call<{ ok: boolean }>('store.verifyChain', {})).toMatchObject({ ok: true });

    // HQ: one facility, Anstalt A, with the line, the outage and the report.
    const api = trackerClient(tracker.url);
    const facilities = await api.get<{ facilities: { id: string; name: string }[] }>('/v1/hq/facilities', hq);
    expect(facilities.body.facilities.map((f) => [f.id, f.name])).toEqual([['anstalt-a', 'Anstalt A']]);
    const lines = await api.get<{
      facilities: { facility: string; name: string; lines: { lineId: string; state: string }[] }[];
    }>('/v1/hq/lines', hq);
    expect(lines.body.facilities.map((f) => [f.facility, f.name])).toEqual([['anstalt-a', 'Anstalt A']]);
    expect(lines.body.facilities[0]!.lines).toContainEqual(expect.objectContaining({ lineId: 'trunk1', state: 'UP' }));
    const hqOutages = await api.get<{ outages: { facility: string; facilityId: string; status: string }[] }>(
      '/v1/hq/outages',
      hq,
    );
    expect(hqOutages.body.outages.map((o) => [o.facility, o.facilityId, o.status])).toEqual([
      ['anstalt-a', 'anstalt-a', 'resolved'],
    ]);
    const hqReport = await api.get<{ report: PeriodReport }>(
      `/v1/hq/report?facility=anstalt-a&from=${now - 3_600_000}&to=${now + 60_000}`,
      hq,
    );
    expect(hqReport.body.report.facility).toEqual({ id: 'anstalt-a', name: 'Anstalt A' });
    expect(hqReport.body.report.totals.outageCount).toBe(1);
  });
});
