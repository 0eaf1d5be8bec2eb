/**
 * `node test/bench/worker-post-costs.ts`: what posting a push to the tracker's verification
 * workers costs on the event loop (verify-pool.ts posts each worker its half of the push's
 * envelopes, which Node copies by structured clone), with the payloads as objects, as
 * shipped, against the payloads as JSON text, the alternative of sending text and letting
 * the workers parse. Signed envelopes of the sync bench's backlog, 1,000 a push, split in
 * two as on a two-core machine; the two ways take turns in each round. Prints milliseconds
 * per push and the load average.
 */
import { loadavg } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { percentile, round } from './report.ts';
import { offlineBacklog } from './sync/offline-events.ts';

const PUSH = 1_000;
const PUSHES_PER_ROUND = 20;
const ROUNDS = 10;

const loadBefore = loadavg()[0]!;
const { events } = offlineBacklog({
  count: PUSH,
  deviceId: 'bench-device',
  facility: 'Märsta',
  unit: 'Avdelning B',
  actor: 'A-bench',
  startMs: Date.now() - PUSH,
  signed: true,
});
const ways = [
  { name: 'payloads as objects (as shipped)', events: events as unknown[], ms: [] as number[] },
  {
    name: 'payloads as JSON text',
    events: events.map(({ payload, ...rest }) => ({ ...rest, payloadText: JSON.stringify(payload) })) as unknown[],
    ms: [] as number[],
  },
];
const { port1, port2 } = new MessageChannel();
let received = 0;
port2.on('message', () => (received += 1));
const half = Math.ceil(events.length / 2);
for (let round = 0; round < ROUNDS; round++) {
  for (const way of ways) {
    for (let push = 0; push < PUSHES_PER_ROUND; push++) {
      const started = performance.now();
      port1.postMessage({ id: push, job: { events: way.events.slice(0, half) } });
      port1.postMessage({ id: push, job: { events: way.events.slice(half) } });
      way.ms.push(performance.now() - started);
    }
  }
}
console.table(
  ways.map((way) => ({
    'posted to two workers': way.name,
    'ms per 1,000-event push (median)': round(percentile(way.ms, 50), 3),
    p90: round(percentile(way.ms, 90), 3),
    pushes: way.ms.length,
  })),
);
// Let the messages arrive before closing, so every clone made was also delivered.
await new Promise<void>((resolve) => {
  const check = () => (received >= ROUNDS * PUSHES_PER_ROUND * ways.length * 2 ? resolve() : setImmediate(check));
  check();
});
port1.close();
console.log(`load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`);
