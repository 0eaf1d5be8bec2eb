/**
 * Sync throughput and tracker ingest, each beside its baselines in the same run
 * (DESIGN.md section 9), loopback only, every server in its own process:
 *  - Guardline: a real console's sync engine drains 50,000 offline events over HTTP
 *    to a real tracker (validation, device-token auth and idempotency on).
 *  - Baseline A: PouchDB replicating the same 50,000 events as documents to a
 *    PouchDB server (express-pouchdb, LevelDB on both sides). Target: >= 12x.
 *  - Baseline B: a bare HTTP + better-sqlite3 pipe taking the same events 1,000 per
 *    POST. Target: >= 0.6x.
 *  - The tracker with 200 consoles pushing at once: per-request p50/p99, p99 < 100 ms.
 */
import { performance } from 'node:perf_hooks';
import { tempDir } from '../support/temp.ts';
import { percentile, round, type BenchRow } from './report.ts';
import { barePipe } from './sync/bare-pipe.ts';
import { guardlineDrain } from './sync/guardline-drain.ts';
import { ingestLatency, type IngestLoad } from './sync/ingest-latency.ts';
import { offlineBacklog } from './sync/offline-events.ts';
import { pouchReplication } from './sync/pouchdb-baseline.ts';

const DRAIN_EVENTS = 50_000;
const LOAD: IngestLoad = { consoles: 200, pushesPerConsole: 20, eventsPerPush: 25, pauseMs: 0 };
const TARGET_VS_POUCH = 12;
const TARGET_VS_PIPE = 0.6;
const TARGET_P99_MS = 100;

const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));

export async function syncBench(): Promise<BenchRow[]> {
  const dir = tempDir('guardline-bench-sync-');
  try {
    const started = performance.now();
    const drain = await guardlineDrain(dir.path, DRAIN_EVENTS);
    if (drain.trackerEvents !== drain.events)
      throw new Error(`tracker holds ${drain.trackerEvents} events, the console pushed ${drain.events}`);
    const drainRate = perSecond(drain.events, drain.drainMs);

    // The baselines move the same events (one device's, as plain JSON).
    const { events } = offlineBacklog({
      count: DRAIN_EVENTS,
      deviceId: 'baseline-device',
      facility: 'Märsta',
      unit: 'Avdelning B',
      actor: 'A-baseline',
      startMs: Date.now() - DRAIN_EVENTS,
    });
    const pouch = await pouchReplication(dir.path, events);
    const pouchRate = perSecond(events.length, pouch.ms);
    const pipe = await barePipe(dir.path, events);
    const pipeRate = perSecond(events.length, pipe.ms);

    const load = await ingestLatency(dir.path, LOAD);
    const p50 = round(percentile(load.latencies, 50), 1);
    const p99 = round(percentile(load.latencies, 99), 1);
    const pushes = LOAD.consoles * LOAD.pushesPerConsole;
    process.stderr.write(`  sync bench took ${Math.round((performance.now() - started) / 1000)} s\n`);

    return [
      {
        metric: `Guardline drain of ${drain.events} offline events: time`,
        value: round(drain.drainMs / 1000, 2),
        unit: 's',
      },
      {
        metric: 'Guardline drain until sync is live again (pulled back)',
        value: round(drain.untilLiveMs / 1000, 2),
        unit: 's',
      },
      { metric: 'PouchDB replication of the same documents', value: pouchRate, unit: 'docs/s' },
      { metric: 'bare HTTP + SQLite pipe, 1,000 per POST', value: pipeRate, unit: 'events/s' },
      {
        metric: 'Guardline drain vs PouchDB',
        value: drainRate,
        unit: 'events/s',
        baseline: { name: 'PouchDB', value: pouchRate },
        target: `>= ${TARGET_VS_POUCH}x PouchDB (${round(drainRate / pouchRate, 2)}x)`,
        pass: drainRate >= TARGET_VS_POUCH * pouchRate,
      },
      {
        metric: 'Guardline drain vs bare pipe',
        value: drainRate,
        unit: 'events/s',
        baseline: { name: 'bare pipe', value: pipeRate },
        target: `>= ${TARGET_VS_PIPE}x bare pipe (${round(drainRate / pipeRate, 2)}x)`,
        pass: drainRate >= TARGET_VS_PIPE * pipeRate,
      },
      {
        metric: `tracker throughput, ${LOAD.consoles} consoles x ${LOAD.pushesPerConsole} pushes of ${LOAD.eventsPerPush}`,
        value: perSecond(pushes * LOAD.eventsPerPush, load.ms),
        unit: 'events/s',
      },
      { metric: `tracker ingest p50, ${LOAD.consoles} consoles at once`, value: p50, unit: 'ms' },
      {
        metric: `tracker ingest p99, ${LOAD.consoles} consoles at once`,
        value: p99,
        unit: 'ms',
        target: `p99 < ${TARGET_P99_MS} ms`,
        pass: p99 < TARGET_P99_MS,
      },
    ];
  } finally {
    dir.cleanup();
  }
}
