/**
 * Sync throughput and tracker ingest, each beside its baselines in the same run
 * (DESIGN.md section 9), loopback only, every server in its own process:
 *  - Guardline: a real console's sync engine drains 50,000 offline events over HTTP
 *    to a real tracker (validation, device-token auth and idempotency on).
 *  - Baseline A: PouchDB replicating the same 50,000 events as documents to a
 *    PouchDB server (express-pouchdb, LevelDB on both sides). Target: >= 12x.
 *  - Baseline B: a bare HTTP + better-sqlite3 pipe taking the same events 1,000 per
 *    POST. Target: >= 0.6x. The tracker alone, fed by the pipe's own client, is shown
 *    beside it to separate the tracker's cost from the console engine's; since round 16x
 *    with two POSTs in flight, as the console's drain keeps (the pipe stays at one).
 *  - The tracker with 200 consoles pushing concurrently: per-push p50/p99, p99 < 100 ms.
 * Throughputs are the median of ROUNDS rounds, the contenders taking turns within each
 * round in a rotating order, so a machine busy with other work slows them alike and none
 * always goes first. PouchDB replicates in batches of 1,000 from a fresh copy of its
 * source, as Guardline drains a fresh copy of its console file in batches of 1,000.
 */
import { performance } from 'node:perf_hooks';
import { tempDir } from '../support/temp.ts';
import { percentile, round, type BenchOptions, type BenchRow } from './report.ts';
import { barePipe } from './sync/bare-pipe.ts';
import { guardlineDrain, offlineConsole, type DrainResult } from './sync/guardline-drain.ts';
import { ingestLatency, type IngestLoad } from './sync/ingest-latency.ts';
import { offlineBacklog } from './sync/offline-events.ts';
import { POUCH_BATCH_SIZE, pouchBaseline } from './sync/pouchdb-baseline.ts';
import { trackerAlone } from './sync/tracker-alone.ts';

const TARGET_VS_POUCH = 12;
const TARGET_VS_PIPE = 0.6;
const TARGET_P99_MS = 100;

const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));
const median = (values: readonly number[]) => percentile(values, 50);
const runs = (values: readonly number[]) => `median of ${values.length}: ${values.join(', ')}`;

export async function syncBench(options: BenchOptions = { quick: false }): Promise<BenchRow[]> {
  // --quick: a fifth of the backlog, one round, a quarter of the consoles: a one-minute check.
  const DRAIN_EVENTS = options.quick ? 10_000 : 50_000;
  const ROUNDS = options.quick ? 1 : 3;
  const CONSOLES = { consoles: options.quick ? 50 : 200, pushesPerConsole: 20, eventsPerPush: 25 };
  // About 200 pushes (5,000 events) a second: a thousand times a facility's real rate, yet
  // about half the tracker's capacity measured by the herd, so latency rather than queueing.
  const PACED: IngestLoad = { name: 'paced', ...CONSOLES, pauseMs: 1_000 };
  const HERD: IngestLoad = { name: 'herd', ...CONSOLES, pauseMs: 0 };
  const dir = tempDir('guardline-bench-sync-');
  try {
    const started = performance.now();
    const template = await offlineConsole(dir.path, DRAIN_EVENTS);
    // The baselines move the same events (one device's, as plain JSON).
    const { events } = offlineBacklog({
      count: DRAIN_EVENTS,
      deviceId: 'baseline-device',
      facility: 'Märsta',
      unit: 'Avdelning B',
      actor: 'A-baseline',
      startMs: Date.now() - DRAIN_EVENTS,
      signed: true,
    });
    const pouch = await pouchBaseline(dir.path, events);

    const drains: DrainResult[] = [];
    const pouchRates: number[] = [];
    const pipeRates: number[] = [];
    const aloneRates: number[] = [];
    try {
      for (let run = 0; run < ROUNDS; run++) {
        process.stderr.write(`  round ${run + 1}/${ROUNDS}\n`);
        // The contenders take turns, starting one place later each round, so none always runs first.
        const contenders = [
          async () => {
            const drain = await guardlineDrain(dir.path, run, template);
            if (drain.trackerEvents !== drain.events)
              throw new Error(`tracker holds ${drain.trackerEvents} events, the console pushed ${drain.events}`);
            drains.push(drain);
          },
          async () => void pouchRates.push(perSecond(events.length, (await pouch.replicate(run)).ms)),
          async () => void pipeRates.push(perSecond(events.length, (await barePipe(dir.path, run, events)).ms)),
          async () => void aloneRates.push(perSecond(events.length, (await trackerAlone(dir.path, run, events)).ms)),
        ];
        for (let k = 0; k < contenders.length; k++) await contenders[(k + run) % contenders.length]!();
      }
    } finally {
      await pouch.close();
    }
    const drainRates = drains.map((d) => perSecond(d.events, d.drainMs));
    const drainRate = median(drainRates);
    const pouchRate = median(pouchRates);
    const pipeRate = median(pipeRates);
    const aloneRate = median(aloneRates);

    const paced = await ingestLatency(dir.path, PACED);
    const herd = await ingestLatency(dir.path, HERD);
    process.stderr.write(`  sync bench took ${Math.round((performance.now() - started) / 1000)} s\n`);

    const pushes = CONSOLES.consoles * CONSOLES.pushesPerConsole;
    const events200 = pushes * CONSOLES.eventsPerPush;
    const pacedP99 = round(percentile(paced.latencies, 99), 1);
    return [
      {
        metric: `Guardline drain of ${drains[0]!.events} offline events, time (${runs(drains.map((d) => round(d.drainMs / 1000, 2)))})`,
        value: round(median(drains.map((d) => d.drainMs)) / 1000, 2),
        unit: 's',
      },
      {
        metric: 'Guardline drain until sync is live again (pulled back)',
        value: round(median(drains.map((d) => d.untilLiveMs)) / 1000, 2),
        unit: 's',
      },
      {
        metric: `PouchDB replication of the same documents, batches of ${POUCH_BATCH_SIZE}, fresh copy (${runs(pouchRates)})`,
        value: pouchRate,
        unit: 'docs/s',
      },
      { metric: `bare HTTP + SQLite pipe, 1,000 per POST (${runs(pipeRates)})`, value: pipeRate, unit: 'events/s' },
      {
        metric: `Guardline drain (${runs(drainRates)})`,
        value: drainRate,
        unit: 'events/s',
        baseline: { name: 'PouchDB', value: pouchRate },
        target: `>= ${TARGET_VS_POUCH}x PouchDB (${round(drainRate / pouchRate, 2)}x)`,
        pass: drainRate >= TARGET_VS_POUCH * pouchRate,
      },
      {
        metric: 'Guardline drain',
        value: drainRate,
        unit: 'events/s',
        baseline: { name: 'bare pipe', value: pipeRate },
        target: `>= ${TARGET_VS_PIPE}x bare pipe (${round(drainRate / pipeRate, 2)}x)`,
        pass: drainRate >= TARGET_VS_PIPE * pipeRate,
      },
      {
        metric: `tracker alone, the pipe's client, 1,000 per POST, two in flight (${runs(aloneRates)})`,
        value: aloneRate,
        unit: 'events/s',
        baseline: { name: 'bare pipe', value: pipeRate },
        target: `for comparison: ${round(aloneRate / pipeRate, 2)}x bare pipe`,
      },
      {
        metric: `paced: ${CONSOLES.consoles} consoles, ${CONSOLES.pushesPerConsole} pushes of ${CONSOLES.eventsPerPush} each, mean pause ${PACED.pauseMs} ms`,
        value: perSecond(pushes, paced.ms),
        unit: 'pushes/s',
      },
      { metric: 'paced: tracker ingest p50', value: round(percentile(paced.latencies, 50), 1), unit: 'ms' },
      {
        metric: 'paced: tracker ingest p99',
        value: pacedP99,
        unit: 'ms',
        target: `p99 < ${TARGET_P99_MS} ms`,
        pass: pacedP99 < TARGET_P99_MS,
      },
      {
        metric: `herd: ${CONSOLES.consoles} consoles pushing back to back (saturated), throughput`,
        value: perSecond(events200, herd.ms),
        unit: 'events/s',
      },
      {
        metric: 'herd: tracker ingest p50 (mostly queueing)',
        value: round(percentile(herd.latencies, 50), 1),
        unit: 'ms',
      },
      {
        metric: 'herd: tracker ingest p99 (mostly queueing)',
        value: round(percentile(herd.latencies, 99), 1),
        unit: 'ms',
      },
    ];
  } finally {
    dir.cleanup();
  }
}
