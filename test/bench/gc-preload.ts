/**
 * `NODE_OPTIONS="--import ./test/bench/gc-preload.ts" GUARDLINE_GC_DIR=<dir>` (e.g. through the
 * mesh bench's `GUARDLINE_MESH_B_NODE_OPTIONS`, so only the receiving console loads it): the
 * process's main thread writes `<dir>/gc-<pid>.json` every 200 ms, the garbage collections V8
 * reported so far (perf_hooks 'gc' entries): count and pause time (ms) per kind (minor =
 * scavenge, major = mark-compact, incremental marking steps, weak callbacks) with the wall clock
 * of the last write. Pause time is what the main thread waited; the helpers' parallel and
 * concurrent work beside it shows only in their CPU (the mesh bench's "V8 helper threads").
 * Written for round 12q, to tell garbage collection from compiling in B's helper threads.
 * `GUARDLINE_V8_FLAGS="<flags>"` sets V8 flags first (`v8.setFlagsFromString`), for those Node
 * does not take in NODE_OPTIONS: `--trace-gc-nvp`, `--single-threaded-gc`,
 * `--no-concurrent-recompilation`… (set at start-up, after the heap exists: a GC flag read only
 * when the heap is set up does not change).
 */
import { writeFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

const flags = process.env.GUARDLINE_V8_FLAGS;
if (isMainThread && flags) setFlagsFromString(flags);

const dir = process.env.GUARDLINE_GC_DIR;
if (isMainThread && dir) {
  const kinds: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  const totals: Record<string, { count: number; ms: number }> = {};
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kinds[(entry as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
      const t = (totals[kind] ??= { count: 0, ms: 0 });
      t.count += 1;
      t.ms += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const file = `${dir}/gc-${process.pid}.json`;
  setInterval(() => {
    writeFileSync(file, JSON.stringify({ at: Date.now(), totals }));
  }, 200).unref();
}
