/**
 * `npm run bench receive`: the store side of a mesh catch-up alone (issue 12), without
 * sockets, frame decoding or the author check, so what the receiving console's append costs
 * can be told apart from the rest of `npm run bench mesh`. A console core (every projector,
 * the escalation runner and the other commit listeners, as the catching-up console runs
 * them) appends another console's backlog as the mesh gate hands it over: signed, with that
 * console's escalations, parsed from JSON as off the wire, with the author check's
 * canonical text and author hash (`prepared`). Per batch size, one store transaction each:
 * 500 events (one mesh frame), 1,000 (two queued frames, what peer-session merges today)
 * and 2,000 (a full window of four frames). Figures: the main thread's CPU time
 * (process.threadCpuUsage: the checkpoint worker's thread is not counted) and the wall
 * time of the appends, the least of the measured runs (a shared machine only adds), then
 * the search index's catch-up after them.
 */
import { performance } from 'node:perf_hooks';
import { canonicalEnvelope } from '../../src-shared/signed-envelope.ts';
import { authorHashOf } from '../../src-common/trust/author-chain.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';
import type { PreparedEvent } from '../../src-main/core/store/event-store.ts';
import { cleanupTestConsoles, openTestConsole } from '../support/consoles.ts';
import { offlineBacklog } from './sync/offline-events.ts';
import { progress, round, type BenchOptions, type BenchRow } from './report.ts';

/** The mesh bench's catch-up backlog: 20,000 incident events and the escalations of its threats. */
const BACKLOG_EVENTS = 20_000;
const BATCHES = [500, 1_000, 2_000];
const PEER = '01939b00-0000-7000-8000-00000000b0b0';

interface Run {
  cpuMs: number;
  wallMs: number;
  indexCpuMs: number;
}

async function receive(wire: string, batch: number): Promise<Run> {
  // A fresh copy per run, as decoded from a frame: objects the store has not seen.
  const events = JSON.parse(wire) as (EventEnvelope & { sig: string })[];
  const prepared = new Map<object, PreparedEvent>();
  for (const e of events) {
    const canonical = canonicalEnvelope(e);
    prepared.set(e, { canonical, authorHash: authorHashOf(canonical, e.sig) });
  }
  const c = openTestConsole({ facility: 'Märsta', unit: 'Ledningscentral' });
  try {
    const cpu = process.threadCpuUsage();
    const start = performance.now();
    for (let i = 0; i < events.length; i += batch) c.core.store.append(events.slice(i, i + batch), { prepared });
    const wallMs = performance.now() - start;
    const used = process.threadCpuUsage(cpu);
    const index = process.threadCpuUsage();
    c.core.store.catchUpDeferred();
    const indexUsed = process.threadCpuUsage(index);
    return {
      cpuMs: (used.user + used.system) / 1000,
      wallMs,
      indexCpuMs: (indexUsed.user + indexUsed.system) / 1000,
    };
  } finally {
    await c.close();
    cleanupTestConsoles();
  }
}

export async function receiveBench(options: BenchOptions): Promise<BenchRow[]> {
  const backlog = offlineBacklog({
    count: BACKLOG_EVENTS,
    deviceId: PEER,
    facility: 'Märsta',
    unit: 'Avdelning B',
    actor: 'v1234',
    startMs: Date.now() - BACKLOG_EVENTS,
    signed: true,
    escalations: true,
  });
  const wire = JSON.stringify(backlog.events);
  const n = backlog.events.length;
  const measured = options.quick ? 1 : 3;
  const rows: BenchRow[] = [];
  for (const batch of BATCHES) {
    await receive(wire, batch); // warm-up: the first run also compiles
    const runs: Run[] = [];
    for (let i = 0; i < measured; i++) {
      runs.push(await receive(wire, batch));
      progress(`receive ${n} events in batches of ${batch}`, i + 1, measured);
    }
    const least = (pick: (r: Run) => number) => Math.min(...runs.map(pick));
    const label = `append of a peer's ${n} events in batches of ${batch}`;
    rows.push(
      {
        metric: `${label}: main-thread CPU`,
        value: round(
          least((r) => r.cpuMs),
          0,
        ),
        unit: 'ms',
      },
      {
        metric: `${label}: wall`,
        value: round(
          least((r) => r.wallMs),
          0,
        ),
        unit: 'ms',
      },
      { metric: `${label}: events/s (wall)`, value: round(n / (least((r) => r.wallMs) / 1000), 0), unit: 'events/s' },
      {
        metric: `${label}: search index catch-up after, CPU`,
        value: round(
          least((r) => r.indexCpuMs),
          0,
        ),
        unit: 'ms',
      },
    );
  }
  return rows;
}
