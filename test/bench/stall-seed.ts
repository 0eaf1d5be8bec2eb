/**
 * `node test/bench/stall-seed.ts <console.sqlite> <incidents> <out.json>`: seeds the stall
 * bench's console (a year of 200 lines and the incidents) in a process of its own and writes
 * what it seeded to `<out.json>` (issue 16w).
 *
 * Why apart: seeding builds the generated year and 100,000 incidents' events in memory, and
 * in the bench's own process that left some 600 MiB of garbage on the heap the measured
 * console then ran in. V8 collected it when the next full collection came due: in the lead's
 * quiet run at 5021941 (`GUARDLINE_BENCH_STALL_CACHE` empty) that was in the retention sweep's
 * window, one mark-compact of 185 ms inside a 294 ms gap with 299 ms of the thread's CPU (the
 * run's stall.json, `gcInGap`); with the seed read from the cache the heap was 27 MiB and
 * the row 37.7 ms. The database file is the same either way (the cache is a copy of it).
 */
import { writeFileSync } from 'node:fs';
import { seed } from './stall.bench.ts';

const [file, incidents, out] = process.argv.slice(2);
if (!file || !incidents || !out) {
  console.error('usage: node test/bench/stall-seed.ts <console.sqlite> <incidents> <out.json>');
  process.exit(2);
}
writeFileSync(out, JSON.stringify(await seed(file, Number(incidents))));
