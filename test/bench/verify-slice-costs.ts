/**
 * `node test/bench/verify-slice-costs.ts`: CPU per event of what a tracker verification
 * worker does with its half of a drain's 1,000-event push (issue 16, branch 16j): the
 * worker's own job, `checkSlice` (zod parse of each payload, canonical text and author
 * hash of each event, one Ed25519 check per linked run), on the sync bench's signed,
 * chained backlog, in this thread. Also its parts alone: the payload parse, the
 * canonical envelope, the author hash. One thread's CPU time per event (`process.cpuUsage`
 * of the work, not the wall clock), so a machine shared with others moves it less than
 * a drain's rate; median over rounds. Prints the load average beside it.
 *
 * Run it in another tree (`git archive <commit> | tar -x -C /tmp/base`, node_modules
 * linked) for a before/after of the same code path.
 */
import { loadavg } from 'node:os';
import { authorHash } from '../../src-common/trust/index.ts';
import { parseEventPayload } from '../../src-shared/events.ts';
import { canonicalEnvelope } from '../../src-shared/signed-envelope.ts';
import { checkSlice } from '../../src-tracker/events/author-check.ts';
import { testKey } from '../support/device-keys.ts';
import { percentile, round } from './report.ts';
import { offlineBacklog } from './sync/offline-events.ts';

const SLICE = 500;
const SLICES = 20;
const ROUNDS = 7;
const FACILITY = 'Märsta';
const DEVICE = 'bench-verify-slice';

const loadBefore = loadavg()[0]!;
const { events } = offlineBacklog({
  count: SLICE * SLICES,
  deviceId: DEVICE,
  facility: FACILITY,
  unit: 'Avdelning B',
  actor: 'A-bench',
  startMs: Date.now() - SLICE * SLICES,
  signed: true,
});
const entries = [{ deviceId: DEVICE, publicKey: testKey(DEVICE).publicKey, facility: FACILITY }];
const slices = Array.from({ length: SLICES }, (_, i) => events.slice(i * SLICE, (i + 1) * SLICE));

/** CPU microseconds per event of `work` over every slice; a copy of each slice per call, as a worker gets a fresh clone. */
function perEvent(work: (slice: typeof events) => void): number {
  const copies = slices.map((s) => structuredClone(s));
  const before = process.cpuUsage();
  for (const slice of copies) work(slice);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (SLICE * SLICES);
}

const parts: Record<string, (slice: typeof events) => void> = {
  'checkSlice (the worker job)': (slice) => {
    const verdict = checkSlice({
      events: slice,
      entries,
      facility: FACILITY,
      pusher: DEVICE,
      held: {},
      payloads: true,
    });
    if (verdict.refusal || verdict.badPayload) throw new Error(`refused: ${JSON.stringify(verdict)}`);
  },
  'payload parse (zod)': (slice) => {
    for (const e of slice) if (!parseEventPayload(e.type, e.payload).success) throw new Error('bad payload');
  },
  'canonical envelope': (slice) => {
    for (const e of slice) canonicalEnvelope(e);
  },
  'author hash (canonical + sha256)': (slice) => {
    for (const e of slice) authorHash(e);
  },
};

const samples = new Map<string, number[]>(Object.keys(parts).map((name) => [name, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, work] of Object.entries(parts)) samples.get(name)!.push(perEvent(work));
}
console.table(
  [...samples].map(([name, us]) => ({
    part: name,
    'CPU µs per event (median)': round(percentile(us.slice(1), 50), 2),
    min: round(Math.min(...us.slice(1)), 2),
    rounds: us.length - 1,
  })),
);
console.log(
  `${SLICES} slices of ${SLICE} events; first round discarded (warm-up); load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
);
