import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tempDir } from '../../support/temp.ts';
import { updateReadme } from '../../../scripts/results-tables.ts';
import { round } from '../../bench/report.ts';
import { openTestConsole, cleanupTestConsoles } from '../../support/consoles.ts';
import { signIn } from '../../support/staff.ts';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import {
  deliveryCount,
  deviceToken,
  enrolmentCode,
  startTracker,
  trackerEvents,
  waitForSync,
} from '../sync/sync-lab.ts';
import { openEventStore } from '../../../src-main/core/store/event-store.ts';
import { runCrashCampaign, type CrashReport } from './campaign.ts';

// CI runs a reduced campaign; `npm run test:crash` sets GUARDLINE_CRASH_ITERATIONS=1000 and records the figures.
const ITERATIONS = Number(process.env.GUARDLINE_CRASH_ITERATIONS ?? 24);
const RECORD = process.env.GUARDLINE_CRASH_ITERATIONS !== undefined;
const dir = tempDir('guardline-crash-');
let tracker: ChildTracker | null = null;
let started = 0;
let loadAtStart = 0;

/** Writes the campaign's figures to the `crash` section of bench/results/reliability.json. */
function record(report: CrashReport, extra: Record<string, unknown>) {
  const file = join(process.cwd(), 'bench', 'results', 'reliability.json');
  mkdirSync(join(process.cwd(), 'bench', 'results'), { recursive: true });
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const { lost, integrityFailures, chainFailures, consistencyFailures, ...counts } = report;
  const crash = {
    at: new Date().toISOString(),
    command: 'npm run test:crash',
    planned: ITERATIONS,
    complete: true,
    ...counts,
    lost: lost.length,
    integrityFailures: integrityFailures.length,
    chainFailures: chainFailures.length,
    consistencyFailures: consistencyFailures.length,
    loadAverage1m: { start: round(loadAtStart, 2), end: round(loadavg()[0]!, 2) },
    durationS: Math.round((Date.now() - started) / 1000),
    ...extra,
  };
  writeFileSync(file, JSON.stringify({ ...previous, crash }, null, 2) + '\n');
}

afterAll(async () => {
  await tracker?.kill();
  cleanupTestConsoles();
  dir.cleanup();
});

describe('crash campaign', () => {
  it(
    `keeps every acknowledged write through ${ITERATIONS} SIGKILLs (plain, aimed at checkpoints, aimed at pushes)`,
    { timeout: 4 * 60 * 60_000 },
    async () => {
      tracker = await startTracker(join(dir.path, 'tracker.sqlite'));
      const syncFile = join(dir.path, 'crash-sync.sqlite');
      const setup = openTestConsole({ file: syncFile });
      await signIn(setup.core.dispatch);
      await setup.call('sync.enroll', { trackerUrl: tracker.url, code: await enrolmentCode(tracker.url) });
      await setup.close();

      started = Date.now();
      loadAtStart = loadavg()[0]!;
      const report: CrashReport = await runCrashCampaign({
        dir: dir.path,
        iterations: ITERATIONS,
        seed: 20261125,
        modes: ['incidents', 'checkpoint', 'sync'],
        syncFile,
        onProgress: (done, total, sofar) => {
          if (done % Math.max(1, Math.floor(total / 10)) === 0)
            process.stderr.write(`crash campaign ${done}/${total}\n`);
          // A long campaign records as it goes, marked incomplete, so a run cut short still
          // leaves what it really did (and no more) in reliability.json.
          if (RECORD && done % 25 === 0 && done < total) record(sofar, { complete: false });
        },
      });
      expect(report.lost).toEqual([]);
      expect(report.integrityFailures).toEqual([]);
      expect(report.chainFailures).toEqual([]);
      expect(report.consistencyFailures).toEqual([]);
      expect(report.iterations).toBe(ITERATIONS);
      process.stderr.write(`crash campaign: ${JSON.stringify({ ...report, lost: report.lost.length })}\n`);

      // After all the kills mid-push, the survivor drains: the tracker holds each of its events exactly once.
      const after = openTestConsole({ file: syncFile, sync: { start: true, backoffBaseMs: 10, backoffCapMs: 100 } });
      await waitForSync(after, (s) => s.pending === 0 && s.state === 'live', 'the crashed console to drain');
      const token = deviceToken(after);
      const deviceId = after.core.info().deviceId;
      await after.close(); // escalation timers keep recording after the drain: compare against a still log
      const still = openEventStore(syncFile);
      const held = await trackerEvents(tracker.url, token);
      const delivery = deliveryCount(still, deviceId, held);
      still.close();
      expect(delivery.missing).toEqual([]);
      expect(delivery.extra).toEqual([]);
      expect(delivery.duplicates).toEqual([]);
      expect(delivery.payloadMismatches).toEqual([]);
      // ... and stored them in the order the console numbered them (two pushes in flight, 16x).
      expect(delivery.outOfOrder).toEqual([]);

      // Each mode proves where its kills landed; a campaign whose aimed kills all missed proves nothing.
      const { landings } = report;
      expect(landings['in-checkpoint']).toBeGreaterThan(0);
      expect(landings['push-before-answer'] + landings['push-after-answer']).toBeGreaterThan(0);
      expect(report.checkpointsWithFrames).toBeGreaterThan(0);
      expect(report.pushesCompleted).toBeGreaterThan(0);

      if (RECORD) {
        record(report, {
          trackerEventsAfterDrain: held.length,
          afterDrain: {
            written: delivery.written,
            acknowledged: delivery.acknowledged,
            atTracker: delivery.atTracker,
            missing: delivery.missing.length,
            extra: delivery.extra.length,
            duplicates: delivery.duplicates.length,
            payloadMismatches: delivery.payloadMismatches.length,
            outOfOrder: delivery.outOfOrder.length,
          },
        });
        await updateReadme();
      }
    },
  );
});
