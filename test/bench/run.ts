/**
 * `npm run bench [suite…]`: runs each benchmark suite with its baseline in the same
 * run, prints a table and writes bench/results/<suite>.json. Speed lives here, never
 * in test assertions.
 */
import os from 'node:os';
import { updateReadme } from '../../scripts/results-tables.ts';
import { printTable, round, writeResults, type BenchRow } from './report.ts';
import { reportsBench } from './reports.bench.ts';
import { storeBench } from './store.bench.ts';
import { escalationBench } from './escalation.bench.ts';
import { escalationUiBench } from './escalation-ui.bench.ts';
import { telephonyBench } from './telephony.bench.ts';
import { syncBench } from './sync.bench.ts';
import { identityBench } from './identity.bench.ts';

const suites: Record<string, () => Promise<BenchRow[]>> = {
  store: storeBench,
  escalation: escalationBench,
  'escalation-ui': escalationUiBench,
  telephony: telephonyBench,
  sync: syncBench,
  reports: reportsBench,
  identity: identityBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !suites[w]);
if (unknown.length > 0) {
  console.error(`unknown bench suite(s): ${unknown.join(', ')}; available: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(suites)) {
  console.error(`bench ${name}…`);
  // The machine may be shared: the load average beside the figures says how busy it was.
  const loadAtStart = os.loadavg()[0]!;
  const rows = await suites[name]!();
  printTable(name, rows);
  const loadAverage1m = { start: round(loadAtStart, 2), end: round(os.loadavg()[0]!, 2) };
  console.log(`load average (1 min): ${loadAverage1m.start} at start, ${loadAverage1m.end} at end`);
  console.log(`→ ${writeResults(name, rows, { command: `npm run bench ${name}`, loadAverage1m })}`);
}
await updateReadme();
console.log('→ README.md tables re-rendered from bench/results');
