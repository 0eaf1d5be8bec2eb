/**
 * Tracker ingest under 200 consoles at once: 200 devices enrolled through the
 * admin API, each pushing its own events in small batches over its own
 * connection, all starting together. Latency is measured per push request, from
 * sending to the parsed answer, at the client.
 *
 * Each console pushes its next batch as soon as the previous one is answered
 * (no pause): the herd after a network outage heals, the worst case for queueing.
 * 200 x 20 pushes stay far under the tracker's default rate limit (1,200 per
 * minute per token), so the limit is left as shipped.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import { PushResponse } from '../../../src-shared/sync-wire.ts';
import { startChildTracker } from '../../integration/tracker/child-tracker.ts';
import { ADMIN_TOKEN, enrolmentCode, FACILITY } from '../../integration/sync/sync-lab.ts';
import { trackerClient } from '../../integration/tracker/http-client.ts';
import { progress } from '../report.ts';
import { offlineBacklog, EVENTS_PER_INCIDENT } from './offline-events.ts';

export interface IngestLoad {
  consoles: number;
  pushesPerConsole: number;
  eventsPerPush: number;
  /** Pause between one console's pushes (0: back to back). */
  pauseMs: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 180_000;

export async function ingestLatency(dir: string, load: IngestLoad): Promise<{ latencies: number[]; ms: number }> {
  const tracker = await startChildTracker({
    args: ['--data', join(dir, 'latency-tracker.sqlite')],
    env: { GUARDLINE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info' },
  });
  try {
    const perConsole = load.pushesPerConsole * load.eventsPerPush;
    if (perConsole % EVENTS_PER_INCIDENT !== 0) throw new RangeError('events per console must be whole incidents');
    const consoles: { token: string; bodies: string[] }[] = [];
    for (let i = 0; i < load.consoles; i++) {
      const deviceId = uuidv7();
      const enrolled = await trackerClient(tracker.url).post<{ deviceToken: string }>('/v1/enroll', {
        code: await enrolmentCode(tracker.url),
        deviceId,
        label: `simulated console ${i}`,
      });
      if (enrolled.status !== 201) throw new Error(`enrol: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
      const { events } = offlineBacklog({
        count: perConsole,
        deviceId,
        facility: FACILITY,
        unit: 'Avdelning B',
        actor: `A-${i}`,
        startMs: Date.now() - perConsole,
      });
      const bodies: string[] = [];
      for (let p = 0; p < load.pushesPerConsole; p++) {
        bodies.push(JSON.stringify({ events: events.slice(p * load.eventsPerPush, (p + 1) * load.eventsPerPush) }));
      }
      consoles.push({ token: enrolled.body.deviceToken, bodies });
      progress('consoles enrolled', i + 1, load.consoles);
    }

    const total = load.consoles * load.pushesPerConsole;
    const latencies: number[] = [];
    const deadline = AbortSignal.timeout(RUN_TIMEOUT_MS);
    const push = async (token: string, body: string) => {
      const start = performance.now();
      const response = await fetch(`${tracker.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
        signal: AbortSignal.any([deadline, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      const text = await response.text();
      latencies.push(performance.now() - start);
      if (response.status !== 200) throw new Error(`push answered ${response.status}: ${text.slice(0, 300)}`);
      const answer = PushResponse.parse(JSON.parse(text));
      if (answer.results.some((r) => r.status !== 'accepted')) throw new Error('a fresh event was not accepted');
      progress('pushes answered', latencies.length, total);
    };
    const start = performance.now();
    await Promise.all(
      consoles.map(async ({ token, bodies }) => {
        for (const body of bodies) {
          await push(token, body);
          if (load.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, load.pauseMs));
        }
      }),
    );
    return { latencies, ms: performance.now() - start };
  } finally {
    await tracker.kill();
  }
}
