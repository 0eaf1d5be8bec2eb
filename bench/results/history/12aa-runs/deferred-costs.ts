/**
 * `node bench/results/history/12aa-runs/deferred-costs.ts [--runs N] <tree>…`: what the search
 * index's deferred catch-up costs the console's thread per received event, for several trees in
 * turns. Each run appends the receive bench's backlog (21,670 signed events with escalations, as
 * test/bench/receive-costs.ts does) in batches of 1,000 to a fresh console core of the tree and,
 * after every 10 batches (a pass of DEFERRED_PASS events, as the catch-up's passes at most a
 * second apart hold), brings the deferred views up to date (`catchUpDeferred`: the slices of
 * catchUpSlice, each its own commit). Then it waits 600 ms on the event loop, the console
 * otherwise idle, for the views' upkeep (tidyOnce turns: FTS5's merges of the segments the slices
 * wrote). Printed per run: the thread's CPU in the catch-ups, in the wait after.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { EventEnvelope } from '../../../../src-shared/events.ts';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const trees = args.filter((_, i) => i !== runsAt && i !== runsAt + 1).map((t) => resolve(t));
const PEER = '01939b00-0000-7000-8000-00000000b0b0';

async function once(tree: string, wire: string) {
  const { canonicalEnvelope } = await import(`${tree}/src-shared/signed-envelope.ts`);
  const { authorHashOf } = await import(`${tree}/src-common/trust/author-chain.ts`);
  const { parsedPayload } = await import(`${tree}/src-shared/events.ts`);
  const { cleanupTestConsoles, openTestConsole } = await import(`${tree}/test/support/consoles.ts`);
  const events = JSON.parse(wire) as (EventEnvelope & { sig: string })[];
  const prepared = new Map<object, { canonical: string; authorHash: string }>();
  for (const e of events) {
    const canonical = canonicalEnvelope(e);
    prepared.set(e, { canonical, authorHash: authorHashOf(canonical, e.sig) });
    parsedPayload(e.type, e.payload);
  }
  const c = openTestConsole({ facility: 'Märsta', unit: 'Ledningscentral' });
  try {
    let catchUpMs = 0;
    const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    for (let i = 0, n = 1; i < events.length; i += 1000, n++) {
      c.core.store.append(events.slice(i, i + 1000), { prepared, received: true });
      if (n % 10 === 0 || i + 1000 >= events.length) {
        const t = process.threadCpuUsage();
        c.core.store.catchUpDeferred();
        catchUpMs += ms(process.threadCpuUsage(t));
      }
    }
    const t = process.threadCpuUsage();
    await new Promise((r) => setTimeout(r, 600));
    const upkeepMs = ms(process.threadCpuUsage(t));
    return { events: events.length, catchUpMs, upkeepMs };
  } finally {
    await c.close();
    cleanupTestConsoles();
  }
}

const { offlineBacklog } = await import(`${trees[0]}/test/bench/sync/offline-events.ts`);
const wire = JSON.stringify(
  offlineBacklog({
    count: 20_000,
    deviceId: PEER,
    facility: 'Märsta',
    unit: 'Avdelning B',
    actor: 'v1234',
    startMs: Date.now() - 20_000,
    signed: true,
    escalations: true,
  }).events,
);
const results = new Map(trees.map((t) => [t, { catchUp: [] as number[], upkeep: [] as number[] }]));
for (const tree of trees) await once(tree, wire); // warm-up
for (let run = 1; run <= runs; run++) {
  const order = run % 2 === 1 ? trees : [...trees].reverse();
  for (const tree of order) {
    const r = await once(tree, wire);
    const per = (x: number) => ((x / r.events) * 1000).toFixed(2);
    results.get(tree)!.catchUp.push(r.catchUpMs);
    results.get(tree)!.upkeep.push(r.upkeepMs);
    console.log(
      `run ${run} ${tree}: deferred catch-up ${r.catchUpMs.toFixed(1)} ms (${per(r.catchUpMs)} per 1,000 events), upkeep after ${r.upkeepMs.toFixed(1)} ms (${per(r.upkeepMs)}); load ${loadavg()[0]!.toFixed(2)}`,
    );
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [tree, r] of results) {
  console.log(
    `median ${tree}: deferred catch-up ${median(r.catchUp).toFixed(1)} ms, upkeep ${median(r.upkeep).toFixed(1)} ms, both ${median(r.catchUp.map((x, i) => x + r.upkeep[i]!)).toFixed(1)} ms`,
  );
}
process.exit(0);
