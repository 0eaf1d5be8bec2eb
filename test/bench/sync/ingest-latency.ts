/**
 * Tracker ingest with 200 consoles pushing concurrently: 200 devices enrolled through
 * the admin API, each pushing its own events in small batches over its own keep-alive
 * connection. Latency is measured per push, at the client, from sending the request
 * to the end of the answer.
 *
 * Two loads, each on a fresh tracker:
 *  - paced: every console pushes its next batch after a random pause (mean `pauseMs`),
 *    starts spread over the first pause: 200 consoles at work at once at a stated rate.
 *  - herd: every console pushes back to back from the same instant, as after a network
 *    outage heals; the tracker is saturated, so latency here is mostly queueing
 *    (200 pushes ahead of each) and the figure shows capacity rather than service time.
 * 200 x 20 pushes stay far under the tracker's default rate limit (1,200 per minute per
 * token), so the limit is left as shipped.
 */
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import { PushResponse } from '../../../src-shared/sync-wire.ts';
import { enrolmentCode, FACILITY } from '../../integration/sync/sync-lab.ts';
import { trackerClient } from '../../integration/tracker/http-client.ts';
import { progress } from '../report.ts';
import { EVENTS_PER_INCIDENT, offlineBacklog } from './offline-events.ts';
import { startTrackerProcess } from './tracker-process.ts';
import { testKey } from '../../support/device-keys.ts';

export interface IngestLoad {
  name: string;
  consoles: number;
  pushesPerConsole: number;
  eventsPerPush: number;
  /** Mean pause between one console's pushes; 0 pushes back to back from the same instant. */
  pauseMs: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 180_000;

interface SimulatedConsole {
  token: string;
  bodies: string[];
  agent: http.Agent;
}

export async function ingestLatency(dir: string, load: IngestLoad): Promise<{ latencies: number[]; ms: number }> {
  const tracker = await startTrackerProcess(join(dir, `${load.name}.sqlite`), join(dir, `${load.name}.log`));
  const consoles: SimulatedConsole[] = [];
  try {
    for (let i = 0; i < load.consoles; i++) consoles.push(await simulatedConsole(tracker.url, i, load));
    progress(`${load.name}: consoles enrolled`, load.consoles, load.consoles);

    const random = seededRandom(load.consoles * 7919 + load.pauseMs);
    const total = load.consoles * load.pushesPerConsole;
    const latencies: number[] = [];
    const deadline = performance.now() + RUN_TIMEOUT_MS;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const start = performance.now();
    await Promise.all(
      consoles.map(async (c) => {
        if (load.pauseMs > 0) await pause(random() * load.pauseMs);
        for (const body of c.bodies) {
          if (performance.now() > deadline) throw new Error(`${load.name}: not done within ${RUN_TIMEOUT_MS} ms`);
          const sent = performance.now();
          const { status, text } = await post(c.agent, `${tracker.url}/v1/events`, c.token, body);
          latencies.push(performance.now() - sent);
          if (status !== 200) throw new Error(`push answered ${status}: ${text.slice(0, 300)}`);
          if (PushResponse.parse(JSON.parse(text)).results.some((r) => r.status !== 'accepted'))
            throw new Error('a fresh event was not accepted');
          progress(`${load.name}: pushes answered`, latencies.length, total);
          if (load.pauseMs > 0) await pause(random() * 2 * load.pauseMs);
        }
      }),
    );
    return { latencies, ms: performance.now() - start };
  } finally {
    for (const c of consoles) c.agent.destroy();
    await tracker.kill();
  }
}

async function simulatedConsole(url: string, i: number, load: IngestLoad): Promise<SimulatedConsole> {
  const perConsole = load.pushesPerConsole * load.eventsPerPush;
  if (perConsole % EVENTS_PER_INCIDENT !== 0) throw new RangeError('events per console must be whole incidents');
  const deviceId = uuidv7();
  const enrolled = await trackerClient(url).post<{ deviceToken: string }>('/v1/enroll', {
    code: await enrolmentCode(url),
    deviceId,
    label: `simulated console ${i}`,
    publicKey: testKey(deviceId).publicKey,
  });
  if (enrolled.status !== 201) throw new Error(`enrol: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
  const { events } = offlineBacklog({
    count: perConsole,
    deviceId,
    facility: FACILITY,
    unit: 'Avdelning B',
    actor: `A-${i}`,
    startMs: Date.now() - perConsole,
    signed: true,
  });
  const bodies: string[] = [];
  for (let p = 0; p < load.pushesPerConsole; p++) {
    bodies.push(JSON.stringify({ events: events.slice(p * load.eventsPerPush, (p + 1) * load.eventsPerPush) }));
  }
  // One keep-alive connection per console, as a console's sync engine holds.
  return { token: enrolled.body.deviceToken, bodies, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
}

function post(agent: http.Agent, url: string, token: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** mulberry32: the same pauses in every run, so runs differ only by the machine. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
