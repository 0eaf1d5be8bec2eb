/**
 * The sync and mesh benches' warm runs (issue 16, round 16ac): each contender's server
 * process takes a warm-up of other events before the timed run, and says what it stored.
 * These check the conditions the figures claim, not their speed: the warm-up and the timed
 * backlog both land in the one server process, each counted by its own device, nothing of
 * the timed one a duplicate; and the console "after its outage" is the same device as the
 * one before it, holding the earlier events and the new backlog.
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from '../../support/temp.ts';
import { barePipeWarmCold } from '../../bench/sync/bare-pipe.ts';
import { extendOfflineConsole, guardlineDrainWarmCold, offlineConsole } from '../../bench/sync/guardline-drain.ts';
import { offlineBacklog } from '../../bench/sync/offline-events.ts';
import { trackerAloneWarmCold } from '../../bench/sync/tracker-alone.ts';

const dir = tempDir('guardline-warm-cold-');
afterAll(() => dir.cleanup());

const backlogOf = (deviceId: string, count: number) =>
  offlineBacklog({
    count,
    deviceId,
    facility: 'Märsta',
    unit: 'Avdelning B',
    actor: 'A-baseline',
    startMs: Date.now() - count,
    signed: true,
  }).events;

describe('warm and cold contenders', () => {
  it("the drain's one tracker process stores the warm-up console's backlog, then the timed console's", async () => {
    const template = await offlineConsole(dir.path, 200);
    const warmUp = await offlineConsole(dir.path, 120, { name: 'drain-warm-up' });
    const { cold, warm } = await guardlineDrainWarmCold(
      dir.path,
      0,
      { template: warmUp, name: 'drain-warm-up' },
      template,
    );
    // Each console's own events (backlog plus the admin's few), counted by its device in the tracker's file.
    expect(cold.trackerEvents).toBe(cold.events);
    expect(warm.trackerEvents).toBe(warm.events);
    expect(cold.events - warm.events).toBe(120 - 200);
    const db = new Database(join(dir.path, 'drain-tracker-0.sqlite'), { readonly: true });
    const devices = db
      .prepare("SELECT count(DISTINCT device_id) AS n FROM events WHERE type != 'device.enrolled'")
      .get() as { n: number };
    db.close();
    expect(devices.n).toBe(2);
  }, 120_000);

  it('the bare pipe and the tracker alone store the warm-up device, then the timed one, in one server', async () => {
    const warmUp = backlogOf('warm-up-device', 80);
    const events = backlogOf('timed-device', 120);
    for (const run of [barePipeWarmCold, trackerAloneWarmCold]) {
      const result = await run(dir.path, 1, warmUp, events);
      expect({ cold: result.cold.stored, warm: result.warm.stored }).toEqual({ cold: 80, warm: 120 });
    }
  }, 120_000);

  it('the console after its outage is the same device, holding its earlier events and the new backlog', async () => {
    const past = await offlineConsole(dir.path, 40, { name: 'past', escalations: true, startMs: Date.now() - 100_000 });
    const after = await extendOfflineConsole(past, join(dir.path, 'after.sqlite'), 80, {
      name: 'past',
      escalations: true,
    });
    const read = (file: string) => {
      const db = new Database(file, { readonly: true });
      const device = (db.prepare("SELECT value FROM meta WHERE key = 'device_id'").get() as { value: string }).value;
      const ids = (
        db.prepare('SELECT id FROM events WHERE device_id = ? ORDER BY seq').all(device) as { id: string }[]
      ).map((r) => r.id);
      db.close();
      return { device, ids };
    };
    const before = read(past);
    const now = read(after);
    expect(now.device).toBe(before.device);
    expect(now.ids.slice(0, before.ids.length)).toEqual(before.ids);
    expect(now.ids.length - before.ids.length).toBeGreaterThanOrEqual(80);
  }, 120_000);
});
