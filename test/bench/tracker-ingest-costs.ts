/**
 * `node test/bench/tracker-ingest-costs.ts`: the tracker event loop's CPU per 1,000-event push
 * of a drain, without HTTP or the verification workers (issue 16, branch 16j): the envelope
 * check (`checkPushBatch`, payloads left to the workers as the push route does) and the
 * store (`createIngestor().ingest`: its transaction, the INSERT, the read-back, the commit
 * with synchronous=FULL) on a real tracker file, for the sync bench's signed backlog pushed
 * in order. This thread's CPU time (`process.cpuUsage`), which a busy machine moves less than
 * the wall clock; median over the pushes after the first few. Prints the load average.
 *
 * Run it in another tree (`git archive <commit> | tar -x -C /tmp/base`, node_modules linked)
 * for a before/after of the same path.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { openTrackerDb } from '../../src-tracker/db/database.ts';
import { createIngestor } from '../../src-tracker/events/ingestor.ts';
import { enrolInStore } from '../support/tracker-device.ts';
import { tempDir } from '../support/temp.ts';
import { percentile, round } from './report.ts';
import { checkPushAsRoute, FACILITY, signedBacklog } from './tracker-pushes.ts';

const PUSH = 1_000;
const PUSHES = 40;
const WARM_UP = 5;
const DEVICE = 'bench-ingest';

const loadBefore = loadavg()[0]!;
const dir = tempDir('guardline-tracker-ingest-');
try {
  const store = await openTrackerDb({ kind: 'sqlite', file: join(dir.path, 'tracker.sqlite') });
  try {
    const { device } = await enrolInStore(store, FACILITY, DEVICE, 'bench');
    const events = signedBacklog(PUSH * PUSHES, DEVICE);
    // Each push's body as the route gets it: parsed JSON, not the objects the backlog built.
    const bodies = Array.from(
      { length: PUSHES },
      (_, i) => JSON.parse(JSON.stringify({ events: events.slice(i * PUSH, (i + 1) * PUSH) })) as unknown,
    );
    const ingestor = createIngestor(store);
    const check: number[] = [];
    const ingest: number[] = [];
    for (const body of bodies) {
      const before = process.cpuUsage();
      const batch = checkPushAsRoute(body);
      const between = process.cpuUsage();
      const outcome = await ingestor.ingest(device, batch, Date.now());
      const after = process.cpuUsage();
      if (outcome.results.some((r) => r.status !== 'accepted')) throw new Error('a fresh event was not accepted');
      check.push((between.user - before.user + between.system - before.system) / 1000);
      ingest.push((after.user - between.user + after.system - between.system) / 1000);
    }
    const stored = await store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(stored.n) !== PUSH * PUSHES + 1) throw new Error(`${String(stored.n)} events stored`);
    const median = (xs: number[]) => round(percentile(xs.slice(WARM_UP), 50), 2);
    console.table([
      { part: 'checkPushBatch (envelopes)', 'CPU ms per 1,000-event push (median)': median(check) },
      {
        part: 'ingest (transaction, INSERT, read-back, commit)',
        'CPU ms per 1,000-event push (median)': median(ingest),
      },
    ]);
  } finally {
    await store.close();
  }
} finally {
  dir.cleanup();
}
console.log(
  `${PUSHES} pushes of ${PUSH}, first ${WARM_UP} left out; load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
);
