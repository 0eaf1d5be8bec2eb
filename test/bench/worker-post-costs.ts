/**
 * `node test/bench/worker-post-costs.ts`: what posting a push to the tracker's verification
 * workers costs on the event loop (verify-pool.ts posts each worker its half of the push's
 * envelopes, which Node copies by structured clone), with the payloads as objects, as
 * shipped, against the payloads as JSON text, the alternative of sending text and letting
 * the workers parse, and (16ab) packed as verify-pool.ts now posts them (packed-envelopes.ts).
 * Signed envelopes of the sync bench's backlog, 1,000 a push, split in two as on a two-core
 * machine; the ways take turns in each round. Prints milliseconds per push and the load
 * average: the posting side in wall time, and (16ab) both sides in this thread's CPU time,
 * the receiving side being the clone's rebuild on delivery plus, for the packed way, the
 * worker's unpackEnvelopes.
 */
import { loadavg } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { packEnvelopes, unpackEnvelopes, type PackedEnvelopes } from '../../src-tracker/events/packed-envelopes.ts';
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
const payloadTexts = events.map((e) => JSON.stringify(e.payload));
const half = Math.ceil(events.length / 2);
type Way = {
  name: string;
  job: (from: number, to: number) => unknown;
  ms: number[];
  postCpu: number[];
  receiveCpu: number[];
};
const ways: Way[] = [
  {
    name: 'payloads as objects (before 16ab)',
    job: (from, to) => ({ events: events.slice(from, to) }),
    ms: [],
    postCpu: [],
    receiveCpu: [],
  },
  {
    name: 'payloads as JSON text',
    job: (from, to) => ({
      events: events
        .slice(from, to)
        .map(({ payload: _payload, ...rest }, i) => ({ ...rest, payloadText: payloadTexts[from + i] })),
    }),
    ms: [],
    postCpu: [],
    receiveCpu: [],
  },
  {
    name: 'packed (16ab, as shipped)',
    job: (from, to) => ({ packed: packEnvelopes(events.slice(from, to), payloadTexts.slice(from, to)) }),
    ms: [],
    postCpu: [],
    receiveCpu: [],
  },
];
const cpu = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};
const { port1, port2 } = new MessageChannel();
let received = 0;
port2.on('message', (message: { job: { packed?: PackedEnvelopes; events?: { payloadText?: string }[] } }) => {
  // The worker's side of the packed way: the envelopes rebuilt (verify-worker.ts); of the text way, its payloads parsed.
  if (message.job.packed) unpackEnvelopes(message.job.packed);
  for (const e of message.job.events ?? []) if (e.payloadText !== undefined) JSON.parse(e.payloadText);
  received += 1;
});
const delivered = (count: number) =>
  new Promise<void>((resolve) => {
    const check = () => (received >= count ? resolve() : setImmediate(check));
    check();
  });
for (let round = 0; round < ROUNDS; round++) {
  for (const way of ways) {
    // CPU time over a round's pushes together: the thread's clock has a coarse tick.
    const posting = cpu();
    for (let push = 0; push < PUSHES_PER_ROUND; push++) {
      const started = performance.now();
      port1.postMessage({ id: push, job: way.job(0, half) });
      port1.postMessage({ id: push, job: way.job(half, events.length) });
      way.ms.push(performance.now() - started);
    }
    way.postCpu.push((cpu() - posting) / PUSHES_PER_ROUND);
    // The clones rebuilt on delivery (in a worker, on its thread), timed apart.
    const receiving = cpu();
    await delivered(received + PUSHES_PER_ROUND * 2);
    way.receiveCpu.push((cpu() - receiving) / PUSHES_PER_ROUND);
  }
}
console.table(
  ways.map((way) => ({
    'posted to two workers': way.name,
    'ms per 1,000-event push (median)': round(percentile(way.ms, 50), 3),
    p90: round(percentile(way.ms, 90), 3),
    'posting CPU ms (median of rounds)': round(percentile(way.postCpu, 50), 3),
    'receiving CPU ms (median of rounds)': round(percentile(way.receiveCpu, 50), 3),
    pushes: way.ms.length,
  })),
);
port1.close();
console.log(`load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`);
