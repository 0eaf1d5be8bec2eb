/**
 * `node test/bench/receive-costs.ts [--runs N] [--batch N] [--heap] <tree>…`: what the receiving console's
 * main thread spends and allocates appending a peer's catch-up, for several source trees in
 * turns (a copy of the base beside this worktree), apart from the mesh's sockets, frames and
 * worker, whose run-to-run noise hides a few per cent (issue 12n).
 *
 * Each run appends the receive bench's backlog (21,670 signed events: 5,000 incidents and the
 * escalations of their threats) to a fresh console core of that tree in batches of 1,000, as
 * the mesh gate hands them over (`--batch`: events a transaction, default 1,000): received, with the author check's canonical text and author
 * hash, and each payload marked parsed (`parsedPayload`, the frame worker's mark). Printed per
 * run: the main thread's CPU for the appends (their commits, projections and commit
 * listeners: the escalation runner), the whole process's CPU over the same span (V8's helper
 * threads: GC, compiling; SQLite's checkpoint worker) and the search index's catch-up after.
 * With `--heap`, the last run of each tree is sampled by V8's allocation sampler, objects
 * collected since included (every 4 KiB allocated), and the sites that allocated most are
 * listed. The chain hash is computed by the append here (the mesh's worker guesses it).
 */
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { EventEnvelope } from '../../src-shared/events.ts';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const heap = args.includes('--heap');
const batchAt = args.indexOf('--batch');
const BATCH = batchAt >= 0 ? Number(args[batchAt + 1]) : 1_000;
const trees = args
  .filter((a, i) => a !== '--heap' && i !== runsAt && i !== runsAt + 1 && i !== batchAt && i !== batchAt + 1)
  .map((t) => resolve(t));
if (trees.length === 0 || !(runs >= 1) || !(BATCH >= 1)) {
  console.error('usage: node test/bench/receive-costs.ts [--runs N] [--batch N] [--heap] <tree>…');
  process.exit(2);
}

const PEER = '01939b00-0000-7000-8000-00000000b0b0';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated per site (function and file:line; a builtin named with its caller). */
function allocationSites(head: HeapNode): Map<string, number> {
  const sites = new Map<string, number>();
  const walk = (node: HeapNode, caller: string) => {
    const f = node.callFrame;
    const here = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    const site = f.url === '' ? `${f.functionName || '(native)'} <- ${caller}` : here;
    if (node.selfSize > 0) sites.set(site, (sites.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, here);
  };
  walk(head, '');
  return sites;
}

const session = new Session();
session.connect();

async function receiveOnce(tree: string, wire: string, sample: boolean) {
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
    if (sample) {
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }
    const thread = process.threadCpuUsage();
    const all = process.cpuUsage();
    for (let i = 0; i < events.length; i += BATCH) {
      c.core.store.append(events.slice(i, i + BATCH), { prepared, received: true });
    }
    const threadUsed = process.threadCpuUsage(thread);
    const allUsed = process.cpuUsage(all);
    const sites = sample
      ? allocationSites(
          ((await session.post('HeapProfiler.stopSampling')) as { profile: { head: HeapNode } }).profile.head,
        )
      : null;
    const index = process.threadCpuUsage();
    c.core.store.catchUpDeferred();
    const indexUsed = process.threadCpuUsage(index);
    const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    return { events: events.length, mainMs: ms(threadUsed), processMs: ms(allUsed), indexMs: ms(indexUsed), sites };
  } finally {
    await c.close();
    cleanupTestConsoles();
  }
}

const { offlineBacklog } = await import(`${trees[0]}/test/bench/sync/offline-events.ts`);
const backlog = offlineBacklog({
  count: 20_000,
  deviceId: PEER,
  facility: 'Märsta',
  unit: 'Avdelning B',
  actor: 'v1234',
  startMs: Date.now() - 20_000,
  signed: true,
  escalations: true,
});
const wire = JSON.stringify(backlog.events);
const load = () => loadavg()[0]!.toFixed(2);

console.log(`receive costs, batches of ${BATCH}, ${runs} measured run(s) per tree after a warm-up, in turns`);
const results = new Map<string, { main: number[]; process: number[]; index: number[] }>(
  trees.map((t) => [t, { main: [], process: [], index: [] }]),
);
for (const tree of trees) await receiveOnce(tree, wire, false); // warm-up: compiles each tree's code
for (let run = 1; run <= runs; run++) {
  for (const tree of trees) {
    const r = await receiveOnce(tree, wire, heap && run === runs);
    const per1000 = (ms: number) => ((ms / r.events) * 1000).toFixed(1);
    const s = results.get(tree)!;
    s.main.push(r.mainMs);
    s.process.push(r.processMs);
    s.index.push(r.indexMs);
    console.log(
      `run ${run} ${tree}: ${r.events} events; main thread ${r.mainMs.toFixed(0)} ms (${per1000(r.mainMs)} per 1,000), ` +
        `process ${r.processMs.toFixed(0)} ms (${per1000(r.processMs)}), search index after ${r.indexMs.toFixed(0)} ms; load ${load()}`,
    );
    if (r.sites) {
      const total = [...r.sites.values()].reduce((a, b) => a + b, 0);
      console.log(`  allocated (sampled, collected objects included): ${(total / 1e6).toFixed(1)} MB; largest sites:`);
      for (const [site, bytes] of [...r.sites].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
        console.log(`  ${(bytes / 1e6).toFixed(2).padStart(7)} MB  ${site}`);
      }
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [tree, s] of results) {
  console.log(
    `median ${tree}: main thread ${median(s.main).toFixed(0)} ms, process ${median(s.process).toFixed(0)} ms, search index ${median(s.index).toFixed(0)} ms`,
  );
}
process.exit(0);
