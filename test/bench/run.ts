/**
 * `npm run bench [suite…] [--quick]`: runs each benchmark suite with its baseline in the
 * same run, prints a table and writes bench/results/<suite>.json. Speed lives here, never
 * in test assertions. `--quick` is a one-minute check of the suites that scale down
 * (store, sync, profile): it writes bench/results/quick/<suite>.json, never the results
 * README.md renders.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { updateReadme } from '../../scripts/results-tables.ts';
import { printTable, round, writeResults, type BenchOptions, type BenchRow } from './report.ts';
import { reportsBench } from './reports.bench.ts';
import { storeBench } from './store.bench.ts';
import { escalationBench } from './escalation.bench.ts';
import { escalationUiBench } from './escalation-ui.bench.ts';
import { telephonyBench } from './telephony.bench.ts';
import { syncBench } from './sync.bench.ts';
import { voiceBench } from './voice.bench.ts';
import { voiceVerdictsBench } from './voice-verdicts.bench.ts';
import { hqBench } from './hq.bench.ts';
import { startupBench } from './startup.bench.ts';
import { meshBench } from './mesh.bench.ts';
import { identityBench } from './identity.bench.ts';
import { profileBench } from './profile-store.ts';
import { stallBench } from './stall.bench.ts';
import { receiveBench } from './receive.bench.ts';
import { diskSyncBench } from './disk-sync.bench.ts';
import { renderPerformanceDoc } from './performance-doc.ts';

type Suite = (options: BenchOptions) => Promise<BenchRow[] | { rows: BenchRow[]; detail: unknown }>;
const suites: Record<string, Suite> = {
  store: storeBench,
  escalation: escalationBench,
  'escalation-ui': escalationUiBench,
  telephony: telephonyBench,
  sync: syncBench,
  reports: reportsBench,
  voice: voiceBench,
  'voice-verdicts': voiceVerdictsBench,
  hq: hqBench,
  startup: startupBench,
  mesh: meshBench,
  identity: identityBench,
  profile: profileBench,
  stall: stallBench,
  receive: receiveBench,
  'disk-sync': diskSyncBench,
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
for (const name of chosen) {
  console.error(`bench ${name}${options.quick ? ' (quick)' : ''}…`);
  // The machine may be shared: the load average beside the figures says how busy it was.
  const loadAtStart = os.loadavg()[0]!;
  const out = await suites[name]!(options);
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
if (!options.quick) {
  await updateReadme();
  console.log('→ README.md tables re-rendered from bench/results');
  console.log(`→ ${await renderPerformanceDoc()}`);
}
