/**
 * `node test/bench/stall-quiet-control.ts <console.sqlite> <out.json>`: the stall bench's
 * control rows (the background reader's jobs with nothing of ours on the main thread), run in
 * a process of their own and written to `<out.json>` (issue 16s).
 *
 * Why apart: when a worker thread ends, V8 moves the pages its heap had freed and kept for
 * reuse (its local page pool) to the process's shared pool and frees them 8 s later in one
 * task on another isolate's thread (`PagePool::ReleaseOnTearDown`, `ReleasePooledChunksTask`).
 * The control's worker builds a year's report (its heap peaks at some 350-400 MB), so ending
 * it left ~1,400-1,600 pages that the bench process's main thread unmapped 8 s later, in the
 * console's "no long job" window: 25-54 ms of munmap in one stretch (`perf record` of that
 * thread; `--trace-gc-nvp` prints "Removed N pages from the shared pool" at that moment).
 * In this process nothing is measured after the worker ends.
 */
import { writeFileSync } from 'node:fs';
import { quietControl } from './stall.bench.ts';

const [file, out] = process.argv.slice(2);
if (!file || !out) {
  console.error('usage: node test/bench/stall-quiet-control.ts <console.sqlite> <out.json>');
  process.exit(2);
}
writeFileSync(out, JSON.stringify(await quietControl(file)));
