/**
 * `node test/bench/sync/tracker-warm.ts [events per round] [rounds]`: how much of a drain's
 * tracker CPU is the fresh process warming up (issue 16, round 16ab: V8's optimizing compiler
 * was two thirds of its helper threads' samples in a drain). One tracker process takes several
 * rounds, each a different device's signed backlog posted as the tracker alone posts it (1,000
 * a POST, two in flight, tracker-alone.ts); after each round it prints the tracker's CPU per
 * 1,000 events by thread name (tracker-process.ts `threadCpuMs`) and the load average. Every
 * sync bench drain meets a fresh tracker: the first round; a tracker in service: the later ones.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PushResponse } from '../../../src-shared/sync-wire.ts';
import { enrolmentCode, FACILITY } from '../../integration/sync/sync-lab.ts';
import { trackerClient } from '../../integration/tracker/http-client.ts';
import { testKey } from '../../support/device-keys.ts';
import { tempDir } from '../../support/temp.ts';
import { round } from '../report.ts';
import { BARE_PIPE_BATCH } from './bare-pipe.ts';
import { offlineBacklog } from './offline-events.ts';
import { postInBatches } from './post-batches.ts';
import { startTrackerProcess } from './tracker-process.ts';

const count = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 3);
const dir = tempDir('guardline-tracker-warm-');
try {
  const backlogs = Array.from({ length: rounds }, (_, r) => {
    const deviceId = `bench-warm-${r}`;
    return offlineBacklog({
      count,
      deviceId,
      facility: FACILITY,
      unit: 'Avdelning B',
      actor: 'A-warm',
      startMs: Date.now() - count,
      signed: true,
    }).events;
  });
  const tracker = await startTrackerProcess(join(dir.path, 'tracker.sqlite'), join(dir.path, 'tracker.log'));
  try {
    for (const [r, events] of backlogs.entries()) {
      const enrolled = await trackerClient(tracker.url).post<{ deviceToken: string }>('/v1/enroll', {
        code: await enrolmentCode(tracker.url),
        deviceId: events[0]!.deviceId,
        label: `warm ${r}`,
        publicKey: testKey(events[0]!.deviceId).publicKey,
      });
      if (enrolled.status !== 201) throw new Error(`enrol: ${enrolled.status}`);
      const before = tracker.threadCpuMs();
      const load = loadavg()[0]!.toFixed(2);
      const { ms } = await postInBatches({
        url: `${tracker.url}/v1/events`,
        events,
        batch: BARE_PIPE_BATCH,
        label: `round ${r + 1}`,
        token: enrolled.body.deviceToken,
        inFlight: 2,
        check(status, body, sent) {
          const answer = status === 200 ? PushResponse.safeParse(body) : null;
          if (!answer?.success || answer.data.results.filter((x) => x.status === 'accepted').length !== sent)
            throw new Error(`tracker answered ${status} ${JSON.stringify(body).slice(0, 300)}`);
        },
      });
      const after = tracker.threadCpuMs();
      if (!before || !after) throw new Error('no /proc: thread CPU unknown');
      const per = (name: string) => round(((after[name] ?? 0) - (before[name] ?? 0)) / (events.length / 1000), 1);
      const total = Object.keys(after).reduce((sum, name) => sum + (after[name]! - (before[name] ?? 0)), 0);
      console.log(
        `round ${r + 1}: ${Math.round(events.length / (ms / 1000))} events/s, tracker CPU ${round(total / (events.length / 1000), 1)} ms per 1,000 events ` +
          `(main ${per('main')}, WorkerThread ${per('WorkerThread')}, V8Worker ${per('V8Worker')}), load ${load} -> ${loadavg()[0]!.toFixed(2)}`,
      );
    }
  } finally {
    await tracker.kill();
  }
} finally {
  dir.cleanup();
}
