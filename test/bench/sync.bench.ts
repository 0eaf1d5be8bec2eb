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
 *
 * Warm and cold (issue 16, round 16ac): every contender's server process takes a warm-up
 * before its timed run, and the same warm-up for all: a backlog of the same size from another
 * device (other events, so nothing timed is a duplicate), through the same tracker process,
 * pipe server or PouchDB server and target database, the client in this process exercised by
 * it too. The timed figures, the target rows and their baselines, are the warm ones: a tracker
 * in service is warm when a console drains its backlog after an outage (round 16ab: a fresh
 * tracker spent 73 ms of CPU per 1,000 events, one that had taken three backlogs 47.5). The
 * warm-up's own times are printed as rows of their own, "cold: fresh processes", each beside
 * its cold baseline; and each contender's server says how many warm-up events it stored.
 */
import { performance } from 'node:perf_hooks';
import { tempDir } from '../support/temp.ts';
import { percentile, round, type BenchOptions, type BenchRow } from './report.ts';
import { barePipeWarmCold } from './sync/bare-pipe.ts';
import { guardlineDrainWarmCold, offlineConsole, type DrainResult } from './sync/guardline-drain.ts';
import { ingestLatency, type IngestLoad } from './sync/ingest-latency.ts';
import { offlineBacklog } from './sync/offline-events.ts';
import { POUCH_BATCH_SIZE, pouchBaseline } from './sync/pouchdb-baseline.ts';
import { trackerAloneWarmCold } from './sync/tracker-alone.ts';

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
    // The warm-up's console: another device (its own file and key), a backlog of the same size.
    const WARM_UP = 'drain-warm-up';
    const warmUpTemplate = await offlineConsole(dir.path, DRAIN_EVENTS, { name: WARM_UP });
    // The baselines move the same events (one device's, as plain JSON), after another device's warm-up.
    const backlogOf = (deviceId: string) =>
      offlineBacklog({
        count: DRAIN_EVENTS,
        deviceId,
        facility: 'Märsta',
        unit: 'Avdelning B',
        actor: 'A-baseline',
        startMs: Date.now() - DRAIN_EVENTS,
        signed: true,
      }).events;
    const warmUpEvents = backlogOf('baseline-warm-up-device');
    const events = backlogOf('baseline-device');
    const pouch = await pouchBaseline(dir.path, events, warmUpEvents);

    const drains: { cold: DrainResult; warm: DrainResult }[] = [];
    type Pair = { cold: number[]; warm: number[]; warmUpStored: number[] };
    const pair = (): Pair => ({ cold: [], warm: [], warmUpStored: [] });
    const pouchRates = pair();
    const pipeRates = pair();
    const aloneRates = pair();
    const record = (to: Pair, r: { cold: { ms: number; stored: number }; warm: { ms: number; stored: number } }) => {
      if (r.cold.stored !== warmUpEvents.length || r.warm.stored !== events.length)
        throw new Error(`server stored ${r.cold.stored} warm-up and ${r.warm.stored} timed events`);
      to.cold.push(perSecond(warmUpEvents.length, r.cold.ms));
      to.warm.push(perSecond(events.length, r.warm.ms));
      to.warmUpStored.push(r.cold.stored);
    };
    try {
      for (let run = 0; run < ROUNDS; run++) {
        process.stderr.write(`  round ${run + 1}/${ROUNDS}\n`);
        // The contenders take turns, starting one place later each round, so none always runs first.
        const contenders = [
          async () => {
            const drain = await guardlineDrainWarmCold(
              dir.path,
              run,
              { template: warmUpTemplate, name: WARM_UP },
              template,
            );
            for (const d of [drain.cold, drain.warm])
              if (d.trackerEvents !== d.events)
                throw new Error(`tracker holds ${d.trackerEvents} events of the console, it pushed ${d.events}`);
            drains.push(drain);
          },
          async () => record(pouchRates, await pouch.replicateWarmCold(run)),
          async () => record(pipeRates, await barePipeWarmCold(dir.path, run, warmUpEvents, events)),
          async () => record(aloneRates, await trackerAloneWarmCold(dir.path, run, warmUpEvents, events)),
        ];
        for (let k = 0; k < contenders.length; k++) await contenders[(k + run) % contenders.length]!();
      }
    } finally {
      await pouch.close();
    }
    const warmDrains = drains.map((d) => d.warm);
    const coldDrains = drains.map((d) => d.cold);
    const drainRates = warmDrains.map((d) => perSecond(d.events, d.drainMs));
    const coldDrainRates = coldDrains.map((d) => perSecond(d.events, d.drainMs));
    const drainRate = median(drainRates);
    const pouchRate = median(pouchRates.warm);
    const pipeRate = median(pipeRates.warm);
    const aloneRate = median(aloneRates.warm);
    const cold = {
      drain: median(coldDrainRates),
      pouch: median(pouchRates.cold),
      pipe: median(pipeRates.cold),
      alone: median(aloneRates.cold),
    };
    // CPU per 1,000 events (barely moved by the machine's load, unlike the rates): the drain's tracker and this process.
    const per1000 = (ds: DrainResult[], pick: (d: DrainResult) => number | null) => {
      const xs = ds.map((d) => pick(d)).filter((x): x is number => x !== null);
      return xs.length === 0 ? null : xs.map((x, i) => round((x * 1000) / ds[i]!.events, 1));
    };
    const cpuRows = (
      [
        ['warm', warmDrains],
        ['cold: fresh processes', coldDrains],
      ] as const
    ).flatMap(([state, ds]): BenchRow[] => {
      const tracker = per1000(ds, (d) => d.trackerCpuMs);
      const consoleCpu = per1000(ds, (d) => d.consoleCpuMs);
      return [
        ...(tracker
          ? [
              {
                metric: `${state}: drain's tracker CPU per 1,000 events (${runs(tracker)})`,
                value: median(tracker),
                unit: 'ms',
              },
            ]
          : []),
        ...(consoleCpu
          ? [
              {
                metric: `${state}: drain's console process CPU per 1,000 events (${runs(consoleCpu)})`,
                value: median(consoleCpu),
                unit: 'ms',
              },
            ]
          : []),
      ];
    });

    const paced = await ingestLatency(dir.path, PACED);
    const herd = await ingestLatency(dir.path, HERD);
    process.stderr.write(`  sync bench took ${Math.round((performance.now() - started) / 1000)} s\n`);

    const pushes = CONSOLES.consoles * CONSOLES.pushesPerConsole;
    const events200 = pushes * CONSOLES.eventsPerPush;
    const pacedP99 = round(percentile(paced.latencies, 99), 1);
    const warmUpRow = (who: string, stored: readonly number[]): BenchRow => ({
      metric: `warm-up before each timed run: events of another device the ${who} stored (${runs([...stored])})`,
      value: median(stored),
      unit: 'events',
    });
    return [
      warmUpRow(
        "drain's tracker",
        coldDrains.map((d) => d.trackerEvents),
      ),
      warmUpRow('PouchDB server', pouchRates.warmUpStored),
      warmUpRow('bare pipe server', pipeRates.warmUpStored),
      warmUpRow('tracker (alone)', aloneRates.warmUpStored),
      {
        metric: `Guardline drain of ${warmDrains[0]!.events} offline events, warm, time (${runs(warmDrains.map((d) => round(d.drainMs / 1000, 2)))})`,
        value: round(median(warmDrains.map((d) => d.drainMs)) / 1000, 2),
        unit: 's',
      },
      {
        // The warm-up's events are in the facility too, so this console pulls them back as well.
        metric: "Guardline drain until sync is live again (pulled back, the warm-up's events too)",
        value: round(median(warmDrains.map((d) => d.untilLiveMs)) / 1000, 2),
        unit: 's',
      },
      {
        metric: `PouchDB replication of the same documents, batches of ${POUCH_BATCH_SIZE}, fresh copy, warm (${runs(pouchRates.warm)})`,
        value: pouchRate,
        unit: 'docs/s',
      },
      {
        metric: `bare HTTP + SQLite pipe, 1,000 per POST, warm (${runs(pipeRates.warm)})`,
        value: pipeRate,
        unit: 'events/s',
      },
      {
        metric: `Guardline drain, warm (${runs(drainRates)})`,
        value: drainRate,
        unit: 'events/s',
        baseline: { name: 'PouchDB, warm', value: pouchRate },
        target: `>= ${TARGET_VS_POUCH}x PouchDB (${round(drainRate / pouchRate, 2)}x)`,
        pass: drainRate >= TARGET_VS_POUCH * pouchRate,
      },
      {
        metric: 'Guardline drain, warm',
        value: drainRate,
        unit: 'events/s',
        baseline: { name: 'bare pipe, warm', value: pipeRate },
        target: `>= ${TARGET_VS_PIPE}x bare pipe (${round(drainRate / pipeRate, 2)}x)`,
        pass: drainRate >= TARGET_VS_PIPE * pipeRate,
      },
      {
        // The two targets side by side: above 1, the PouchDB one asks a drain that verifies every
        // signature, validates and projects to outrun the pipe that does none of it.
        metric: `the PouchDB target against the bare pipe: ${TARGET_VS_POUCH}x PouchDB, warm, / bare pipe, warm`,
        value: round((TARGET_VS_POUCH * pouchRate) / pipeRate, 2),
        unit: 'x bare pipe',
        target: 'for comparison: above 1 it is a rate the bare pipe itself does not reach',
      },
      {
        metric: `tracker alone, the pipe's client, 1,000 per POST, two in flight, warm (${runs(aloneRates.warm)})`,
        value: aloneRate,
        unit: 'events/s',
        baseline: { name: 'bare pipe, warm', value: pipeRate },
        target: `for comparison: ${round(aloneRate / pipeRate, 2)}x bare pipe`,
      },
      // The warm-ups themselves: each contender's first backlog into its fresh server process.
      {
        metric: `cold: fresh processes: Guardline drain of ${coldDrains[0]!.events} events, time (${runs(coldDrains.map((d) => round(d.drainMs / 1000, 2)))})`,
        value: round(median(coldDrains.map((d) => d.drainMs)) / 1000, 2),
        unit: 's',
      },
      {
        metric: 'cold: fresh processes: Guardline drain until sync is live again (pulled back)',
        value: round(median(coldDrains.map((d) => d.untilLiveMs)) / 1000, 2),
        unit: 's',
      },
      {
        metric: `cold: fresh processes: PouchDB replication (${runs(pouchRates.cold)})`,
        value: cold.pouch,
        unit: 'docs/s',
      },
      { metric: `cold: fresh processes: bare pipe (${runs(pipeRates.cold)})`, value: cold.pipe, unit: 'events/s' },
      {
        metric: `cold: fresh processes: Guardline drain (${runs(coldDrainRates)})`,
        value: cold.drain,
        unit: 'events/s',
        baseline: { name: 'PouchDB, cold', value: cold.pouch },
        target: `for comparison: ${round(cold.drain / cold.pouch, 2)}x PouchDB (target row: warm, above)`,
      },
      {
        metric: 'cold: fresh processes: Guardline drain',
        value: cold.drain,
        unit: 'events/s',
        baseline: { name: 'bare pipe, cold', value: cold.pipe },
        target: `for comparison: ${round(cold.drain / cold.pipe, 2)}x bare pipe (target row: warm, above)`,
      },
      {
        metric: `cold: fresh processes: tracker alone, two in flight (${runs(aloneRates.cold)})`,
        value: cold.alone,
        unit: 'events/s',
        baseline: { name: 'bare pipe, cold', value: cold.pipe },
        target: `for comparison: ${round(cold.alone / cold.pipe, 2)}x bare pipe`,
      },
      ...cpuRows,
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
