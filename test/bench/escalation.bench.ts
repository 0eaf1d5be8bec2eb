/**
 * Threat raised on one console → alarm pushed by another console's core, through a real
 * tracker (child process, SSE) on loopback: p50/p95 over 50 trials. The baseline, in the
 * same run and over the same path, is a plain incident reaching the other console
 * (`incidents.changed`): the difference is what escalation adds.
 *
 * This stops at the core's `alarm.changed` push; the renderer's banner adds its own
 * (small) time once the alarm UI exists, and the e2e bench should then extend this.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Alarm } from '../../src-shared/escalation.ts';
import type { Incident } from '../../src-shared/incident.ts';
import { cleanupTestConsoles, PINS, type TestConsole } from '../support/consoles.ts';
import { incidentInput } from '../support/incidents.ts';
import { seededRandom } from '../support/fault-proxy.ts';
import { tempDir } from '../support/temp.ts';
import { enrol, enrolmentCode, startTracker, syncConsole, waitForSync } from '../integration/sync/sync-lab.ts';
import { percentile, progress, round, type BenchRow } from './report.ts';

const TRIALS = 50;
const WARMUP = 5;
const TARGET_P95_MS = 1000;

/** Milliseconds from `act` until `c` pushes an event that `matches`. */
async function timeUntilPush(
  c: TestConsole,
  matches: (name: string, payload: unknown) => boolean,
  act: () => Promise<unknown>,
): Promise<number> {
  let stop = () => {};
  const seen = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no push within 30 s')), 30_000);
    stop = c.core.subscribe((name, payload) => {
      if (!matches(name, payload)) return;
      clearTimeout(timer);
      resolve(performance.now());
    });
  });
  const start = performance.now();
  try {
    await act();
    return (await seen) - start;
  } finally {
    stop();
  }
}

export async function escalationBench(): Promise<BenchRow[]> {
  const dir = tempDir('guardline-bench-escalation-');
  const tracker = await startTracker(join(dir.path, 'tracker.sqlite'));
  const consoles: TestConsole[] = [];
  try {
    const a = await syncConsole(dir.path, 'a', { unit: 'Avdelning B', sync: { start: false } });
    const b = await syncConsole(dir.path, 'b', { unit: 'Ledningscentral', sync: { start: false } });
    consoles.push(a, b);
    const s1 = { staffNumber: 'S1', name: 'Sara', role: 'supervisor', units: ['Avdelning B'], pin: PINS.S1 };
    await a.call('staff.enroll', s1);
    await a.call('staff.enroll', {
      staffNumber: 'G1',
      name: 'Gustav',
      role: 'guard',
      units: ['Avdelning B'],
      pin: PINS.G1,
    });
    await enrol(a, tracker.url, await enrolmentCode(tracker.url));
    await enrol(b, tracker.url, await enrolmentCode(tracker.url));
    const hasS1 = () => b.core.store.db.prepare("SELECT 1 FROM staff WHERE staff_number = 'S1'").get() !== undefined;
    await waitForSync(b, hasS1, 'the roster to reach B');
    await a.signIn('G1');
    await b.signIn('S1');

    const incidentSeen: number[] = [];
    const alarmSeen: number[] = [];
    const coin = seededRandom(20261205);
    for (let i = 0; i < TRIALS + WARMUP; i++) {
      const plainTrial = async () => {
        let plainId = '';
        return timeUntilPush(
          b,
          (name, payload) => name === 'incidents.changed' && (payload as { ids: string[] }).ids.includes(plainId),
          async () => {
            plainId = (
              await a.call<Incident>('incidents.create', incidentInput({ category: 'other', title: `Bench ${i}` }))
            ).id;
          },
        );
      };
      const threatTrial = async () => {
        let threatId = '';
        let alarm: Alarm | undefined;
        const seen = await timeUntilPush(
          b,
          (name, payload) => {
            if (name !== 'alarm.changed') return false;
            alarm = (payload as { alarms: Alarm[] }).alarms.find((x) => x.incidentId === threatId);
            return alarm !== undefined;
          },
          async () => {
            threatId = (await a.call<Incident>('incidents.create', incidentInput({ title: `Hot ${i}` }))).id;
          },
        );
        // Acknowledge so the next trial starts with no alarm standing.
        await b.call('escalation.acknowledge', { escalationId: alarm!.escalationId });
        return seen;
      };
      // Which goes first is a coin toss per trial, so neither always meets a warmer or colder path.
      let plain: number;
      let threat: number;
      if (coin() < 0.5) {
        plain = await plainTrial();
        threat = await threatTrial();
      } else {
        threat = await threatTrial();
        plain = await plainTrial();
      }
      if (i >= WARMUP) {
        incidentSeen.push(plain);
        alarmSeen.push(threat);
      }
      progress('threat → alarm on the other console', i + 1, TRIALS + WARMUP);
    }

    const p95 = round(percentile(alarmSeen, 95), 1);
    const baselineP95 = round(percentile(incidentSeen, 95), 1);
    return [
      {
        metric: 'incident → other console (incidents.changed) p50',
        value: round(percentile(incidentSeen, 50), 1),
        unit: 'ms',
      },
      { metric: 'incident → other console (incidents.changed) p95', value: baselineP95, unit: 'ms' },
      {
        metric: 'threat → alarm on other console (alarm.changed) p50',
        value: round(percentile(alarmSeen, 50), 1),
        unit: 'ms',
      },
      {
        metric: 'threat → alarm on other console (alarm.changed) p95',
        value: p95,
        unit: 'ms',
        baseline: { name: 'plain incident p95', value: baselineP95 },
        target: `p95 < ${TARGET_P95_MS} ms on loopback`,
        pass: p95 < TARGET_P95_MS,
      },
    ];
  } finally {
    for (const c of consoles) await c.close();
    await tracker.kill();
    cleanupTestConsoles();
    dir.cleanup();
  }
}
