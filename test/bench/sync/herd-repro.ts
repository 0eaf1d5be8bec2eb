/**
 * The sync bench's herd step alone, repeated, each tracker's log kept (issue 16r): to look
 * for failures that only show under load, e.g. with CPU profiling on
 * (`GUARDLINE_BENCH_PROFILE_DIR`) and another process busying the cores.
 *
 *   node test/bench/sync/herd-repro.ts <dir> [runs]
 *
 * Each run's tracker log is `<dir>/run<N>/herd.log`; a run's failure is printed and the
 * next run goes on. Prints the load average before each run.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ingestLatency } from './ingest-latency.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node test/bench/sync/herd-repro.ts <dir> [runs]');
const runs = Number(process.argv[3] ?? 3);
for (let run = 0; run < runs; run++) {
  const runDir = `${dir}/run${run}`;
  mkdirSync(runDir, { recursive: true });
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  try {
    const { ms } = await ingestLatency(runDir, {
      name: 'herd',
      consoles: 50,
      pushesPerConsole: 20,
      eventsPerPush: 25,
      pauseMs: 0,
    });
    console.log(`run ${run}: ok ${Math.round(ms)} ms (load average before: ${load})`);
  } catch (error) {
    console.log(`run ${run}: FAILED ${(error as Error).message} (load average before: ${load})`);
  }
}
