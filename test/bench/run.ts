/**
 * `npm run bench [suite…]`: runs each benchmark suite with its baseline in the same
 * run, prints a table and writes bench/results/<suite>.json. Speed lives here, never
 * in test assertions.
 */
import { printTable, writeResults, type BenchRow } from './report.ts';
import { reportsBench } from './reports.bench.ts';
import { storeBench } from './store.bench.ts';
import { escalationBench } from './escalation.bench.ts';
import { escalationUiBench } from './escalation-ui.bench.ts';
import { telephonyBench } from './telephony.bench.ts';
import { syncBench } from './sync.bench.ts';
import { meshBench } from './mesh.bench.ts';
import { identityBench } from './identity.bench.ts';

const suites: Record<string, () => Promise<BenchRow[]>> = {
  store: storeBench,
  escalation: escalationBench,
  'escalation-ui': escalationUiBench,
  telephony: telephonyBench,
  sync: syncBench,
  reports: reportsBench,
  mesh: meshBench,
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
  const rows = await suites[name]!();
  printTable(name, rows);
  console.log(`→ ${writeResults(name, rows)}`);
}
