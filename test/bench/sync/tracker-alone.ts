/**
 * The tracker's share of a drain, measured like the bare pipe: the same events
 * posted 1,000 per request by the same plain client, to a real tracker process with
 * a device token, so validation, auth and idempotency stay on. Set beside the pipe
 * it shows what the tracker costs apart from the console's sync engine.
 *
 * `trackerAloneWarmCold` (round 16ac): one tracker process takes a warm-up device's backlog
 * first, then the measured one (another device, enrolled in turn), as in the drain
 * (guardline-drain.ts `guardlineDrainWarmCold`): the first is the cold figure.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { PushResponse } from '../../../src-shared/sync-wire.ts';
import { enrolmentCode } from '../../integration/sync/sync-lab.ts';
import { trackerClient } from '../../integration/tracker/http-client.ts';
import { BARE_PIPE_BATCH } from './bare-pipe.ts';
import type { WarmColdPost } from './bare-pipe.ts';
import { postInBatches } from './post-batches.ts';
import { startTrackerProcess, type TrackerProcess } from './tracker-process.ts';
import { testKey } from '../../support/device-keys.ts';

async function enrolAndPost(
  tracker: TrackerProcess,
  events: readonly EventEnvelope[],
  label: string,
): Promise<{ ms: number }> {
  const enrolled = await trackerClient(tracker.url).post<{ deviceToken: string }>('/v1/enroll', {
    code: await enrolmentCode(tracker.url),
    deviceId: events[0]!.deviceId,
    label: 'bench client',
    publicKey: testKey(events[0]!.deviceId).publicKey,
  });
  if (enrolled.status !== 201) throw new Error(`enrol: ${enrolled.status}`);
  return await postInBatches({
    url: `${tracker.url}/v1/events`,
    events,
    batch: BARE_PIPE_BATCH,
    label,
    token: enrolled.body.deviceToken,
    // Two in flight, as the console's drain (16x): the tracker's own capacity, not one request's round trip.
    inFlight: 2,
    check(status, body, sent) {
      const answer = status === 200 ? PushResponse.safeParse(body) : null;
      if (!answer?.success || answer.data.results.filter((r) => r.status === 'accepted').length !== sent)
        throw new Error(`tracker answered ${status} ${JSON.stringify(body).slice(0, 300)}`);
    },
  });
}

export async function trackerAlone(
  dir: string,
  run: number,
  events: readonly EventEnvelope[],
): Promise<{ ms: number }> {
  const tracker = await startTrackerProcess(join(dir, `alone-${run}.sqlite`), join(dir, `alone-${run}.log`));
  try {
    return await enrolAndPost(tracker, events, 'tracker alone');
  } finally {
    await tracker.kill();
  }
}

export async function trackerAloneWarmCold(
  dir: string,
  run: number,
  warmUp: readonly EventEnvelope[],
  events: readonly EventEnvelope[],
): Promise<WarmColdPost> {
  const file = join(dir, `alone-${run}.sqlite`);
  const tracker = await startTrackerProcess(file, join(dir, `alone-${run}.log`));
  try {
    const cold = await enrolAndPost(tracker, warmUp, 'tracker alone warm-up');
    const warm = await enrolAndPost(tracker, events, 'tracker alone');
    // The tracker's own count of each device's events (its file, read while it runs: WAL).
    const db = new Database(file, { readonly: true, fileMustExist: true });
    const stored = (deviceId: string) =>
      (
        db
          .prepare("SELECT count(*) AS n FROM events WHERE device_id = ? AND type != 'device.enrolled'")
          .get(deviceId) as { n: number }
      ).n;
    const counts = { cold: stored(warmUp[0]!.deviceId), warm: stored(events[0]!.deviceId) };
    db.close();
    return { cold: { ...cold, stored: counts.cold }, warm: { ...warm, stored: counts.warm } };
  } finally {
    await tracker.kill();
  }
}
