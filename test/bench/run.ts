/**
 * `npm run bench [suite…] [--quick]`: runs each benchmark suite with its baseline in the
 * same run, prints a table and writes bench/results/<suite>.json. Speed lives here, never
 * in test assertions. `--quick` is a one-minute check of the suites that scale down
 * (store, sync, profile): it writes bench/results/quick/<suite>.json, never the results
 * README.md renders.
 *
 * Each suite runs in a process of its own, and only its own modules are loaded (issue 16s):
 * the stall suite measures the console's thread, and a suite that ran before it in the same
 * process (or a module of another suite: playwright-core, the mesh's and sync's harnesses,
 * prettier for the tables) left its heap to the collector there. In the quiet run of stop 25
 * (`mesh sync store profile identity stall …` in one process) the stall suite's console shared
 * a 143 MiB heap with them, and a full collection of it paused the console's thread for as
 * long as the "no long job" control measured. With several suites named, this process only
 * starts one child per suite (the same Node and flags: `--cpu-prof` gives each its own
 * profile), then renders the tables.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { printTable, round, writeResults, type BenchOptions, type BenchRow } from './report.ts';

type Suite = (options: BenchOptions) => Promise<BenchRow[] | { rows: BenchRow[]; detail: unknown }>;
/** Each suite's module, loaded only when that suite runs. */
const suites: Record<string, () => Promise<Suite>> = {
  store: async () => (await import('./store.bench.ts')).storeBench,
  escalation: async () => (await import('./escalation.bench.ts')).escalationBench,
  'escalation-ui': async () => (await import('./escalation-ui.bench.ts')).escalationUiBench,
  telephony: async () => (await import('./telephony.bench.ts')).telephonyBench,
  sync: async () => (await import('./sync.bench.ts')).syncBench,
  reports: async () => (await import('./reports.bench.ts')).reportsBench,
  voice: async () => (await import('./voice.bench.ts')).voiceBench,
  'voice-verdicts': async () => (await import('./voice-verdicts.bench.ts')).voiceVerdictsBench,
  hq: async () => (await import('./hq.bench.ts')).hqBench,
  startup: async () => (await import('./startup.bench.ts')).startupBench,
  mesh: async () => (await import('./mesh.bench.ts')).meshBench,
  identity: async () => (await import('./identity.bench.ts')).identityBench,
  profile: async () => (await import('./profile-store.ts')).profileBench,
  stall: async () => (await import('./stall.bench.ts')).stallBench,
  receive: async () => (await import('./receive.bench.ts')).receiveBench,
  'disk-sync': async () => (await import('./disk-sync.bench.ts')).diskSyncBench,
};
const QUICK_SUITES = ['store', 'sync', 'profile'];

const args = process.argv.slice(2);
const options: BenchOptions = { quick: args.includes('--quick') };
const wanted = args.filter((a) => a !== '--quick');
const unknown = wanted.filter((w) => !suites[w]);
if (unknown.length > 0) {
  console.error(`unknown bench suite(s): ${unknown.join(', ')}; available: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
// The commit measured, so a result can be told apart from one measured with other code.
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const chosen = wanted.length ? wanted : options.quick ? QUICK_SUITES : Object.keys(suites);
if (chosen.length > 1) {
  // One process per suite; a suite that fails stops the run, as it did in one process.
  for (const name of chosen) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), name, ...(options.quick ? ['--quick'] : [])],
      { stdio: 'inherit', env: { ...process.env, GUARDLINE_BENCH_NO_TABLES: '1' } },
    );
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
} else {
  const name = chosen[0]!;
  console.error(`bench ${name}${options.quick ? ' (quick)' : ''}…`);
  // GUARDLINE_BENCH_DRY_RUN=1: load the suite and say which process would run it (test/unit/bench).
  if (process.env.GUARDLINE_BENCH_DRY_RUN) {
    await suites[name]!();
    console.log(`suite ${name} loaded in process ${process.pid} (parent ${process.ppid})`);
    process.exit(0);
  }
  // The machine may be shared: the load average beside the figures says how busy it was.
  const loadAtStart = os.loadavg()[0]!;
  const out = await (await suites[name]!())(options);
  const rows = Array.isArray(out) ? out : out.rows;
  printTable(name, rows);
  const loadAverage1m = { start: round(loadAtStart, 2), end: round(os.loadavg()[0]!, 2) };
  console.log(`load average (1 min): ${loadAverage1m.start} at start, ${loadAverage1m.end} at end`);
  const command = `npm run bench ${name}${options.quick ? ' -- --quick' : ''}`;
  const extra = {
    command,
    commit,
    loadAverage1m,
    quick: options.quick,
    ...(Array.isArray(out) ? {} : { detail: out.detail }),
  };
  console.log(`→ ${writeResults(name, rows, extra, options)}`);
}
// The tables are rendered once, by the process the suites were named to (prettier loads only here).
if (!options.quick && !process.env.GUARDLINE_BENCH_NO_TABLES && !process.env.GUARDLINE_BENCH_DRY_RUN) {
  const { updateReadme } = await import('../../scripts/results-tables.ts');
  const { renderPerformanceDoc } = await import('./performance-doc.ts');
  await updateReadme();
  console.log('→ README.md tables re-rendered from bench/results');
  console.log(`→ ${await renderPerformanceDoc()}`);
}
