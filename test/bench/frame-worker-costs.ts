/**
 * `node test/bench/frame-worker-costs.ts [tree…]`: what the receiving console's frame path costs
 * per 1,000 received events, apart from storing them — the console's thread (posting each frame
 * to the frame preparer's worker and taking its answer back) and the worker's thread (parsing,
 * validating, canonical texts, author hashes, signature checks by runs, posting the answer) —
 * for each source tree given (default: this one), in turns, so a tree before a change and one
 * after it meet the same machine load. Each tree's own sender writes the frames (`toFeed`, its
 * member order) and its own preparer takes them. The events are the mesh bench's backlog
 * (signed, chained, with the escalations a console logs), 500 a frame as the sender batches
 * them. Thread CPU (`process.threadCpuUsage`, `Worker.cpuUsage`), medians of the rounds; prints
 * the load average. The mesh bench (`npm run bench mesh`) measures the same path with the append.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { percentile, round } from './report.ts';
import { senderBacklog, senderFrames, senderKeys } from './sender-frames.ts';

const EVENTS = 20_000;
const FRAME = 500;
const ROUNDS = Number(process.env.GUARDLINE_FRAME_COST_ROUNDS ?? 8);

const trees = (process.argv.slice(2).length ? process.argv.slice(2) : ['.']).map((t) => resolve(t));
const loadBefore = loadavg()[0]!;

const events = senderBacklog(EVENTS);

interface Side {
  tree: string;
  bodies: Buffer[];
  preparer: {
    prepare(body: Buffer): Promise<unknown>;
    jobs: { ready(slot: number): boolean; worker(slot: number): Worker };
    close(): Promise<void>;
  };
  mainMs: number[];
  workerMs: number[];
  /** V8's helper threads (concurrent and parallel GC, compiling) over the round; -1 where /proc is missing. */
  helperMs: number[];
}

/**
 * CPU (ms) of this process's V8 helper threads (named V8Worker: the GC's parallel scavenges and
 * concurrent marking for every isolate, the worker's too), from Linux's /proc; -1 elsewhere.
 */
function v8HelperMs(): number {
  try {
    let ms = 0;
    for (const task of readdirSync('/proc/self/task')) {
      try {
        if (readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() !== 'V8Worker') continue;
        const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ms += (Number(fields[11]) + Number(fields[12])) * 10;
      } catch {
        // ended between the listing and the read
      }
    }
    return ms;
  } catch {
    return -1;
  }
}

const at = (tree: string, path: string) => pathToFileURL(`${tree}/${path}`).href;
const sides: Side[] = [];
for (const tree of trees) {
  const { createFramePreparer } = (await import(at(tree, 'src-main/core/mesh/frame-preparer.ts'))) as {
    createFramePreparer(deps: { keyring: unknown; log(m: string): void }): Side['preparer'];
  };
  const { createKeyring } = (await import(at(tree, 'src-common/trust/index.ts'))) as {
    createKeyring(entries: unknown[]): unknown;
  };
  const bodies = await senderFrames(tree, events, FRAME);
  const keyring = createKeyring(senderKeys());
  const preparer = createFramePreparer({ keyring, log: (m) => console.error(m) });
  while (!preparer.jobs.ready(0)) await new Promise((r) => setTimeout(r, 20));
  sides.push({ tree, bodies, preparer, mainMs: [], workerMs: [], helperMs: [] });
}

const cpuMs = (u: { user: number; system: number }) => (u.user + u.system) / 1000;
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const side of sides) {
    const worker = side.preparer.jobs.worker(0);
    const workerBefore = await worker.cpuUsage();
    const mainStart = cpuMs(process.threadCpuUsage());
    const helpersBefore = v8HelperMs();
    // Posted as the frames' bytes arrive in a catch-up: all of them, answered in order.
    const answers = await Promise.all(side.bodies.map((body) => side.preparer.prepare(body)));
    const mainMs = cpuMs(process.threadCpuUsage()) - mainStart;
    const workerMs = cpuMs(await worker.cpuUsage(workerBefore));
    const helperMs = v8HelperMs() - helpersBefore;
    if (answers.some((a) => typeof a !== 'object' || a === null || 'error' in a))
      throw new Error('a frame was refused');
    if (round === 0) continue; // warm-up
    side.mainMs.push(mainMs);
    side.workerMs.push(workerMs);
    side.helperMs.push(helperMs);
  }
}
for (const side of sides) await side.preparer.close();

const per1000 = (ms: number) => round((ms * 1000) / events.length, 1);
console.table(
  sides.map((side) => ({
    tree: side.tree,
    'console thread, ms per 1,000 events (median)': per1000(percentile(side.mainMs, 50)),
    'worker thread, ms per 1,000 events (median)': per1000(percentile(side.workerMs, 50)),
    'both, ms per 1,000 events (median of sums)': per1000(
      percentile(
        side.mainMs.map((m, i) => m + side.workerMs[i]!),
        50,
      ),
    ),
    'V8 helper threads (GC), ms per 1,000 events (median)': per1000(percentile(side.helperMs, 50)),
    rounds: side.mainMs.length,
  })),
);
console.log(`${events.length} events, ${sides[0]!.bodies.length} frames per round`);
console.log(`load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`);
