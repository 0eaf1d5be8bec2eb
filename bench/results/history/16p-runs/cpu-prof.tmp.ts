// Throwaway (16p), run from test/bench/ under the profiler:
//   node --cpu-prof --cpu-prof-dir=/tmp/16p-prof --cpu-prof-interval 100 test/bench/cpu-prof.tmp.ts
//   node test/bench/cpuprofile-top.ts --by-caller --during append /tmp/16p-prof/*.0.001.cpuprofile
// 4,000 incidents.create through the dispatch, synchronous=OFF, an event-loop turn between.
import { join } from 'node:path';
import { createConsoleCore } from '../../src-main/core/console-core.ts';
import { incidentInput } from '../support/incidents.ts';
import { tempDir } from '../support/temp.ts';
const dir = tempDir('cpu16p-');
const core = createConsoleCore({ dataFile: join(dir.path, 'c.sqlite'), host: 'test', appVersion: 'bench', facility: 'F', unit: 'U', escalationPolicies: [] });
const r0 = await core.dispatch('auth.bootstrapAdmin', { staffNumber: 'BENCH', name: 'Bench', pin: '2468' }, { origin: 'test' });
if (!r0.ok) throw new Error(r0.error.message);
core.store.db.pragma('synchronous = OFF');
const turn = () => new Promise<void>((r) => setImmediate(r));
const N = Number(process.env.N ?? 4000);
const t = performance.now();
for (let i = 0; i < N; i++) {
  const r = await core.dispatch('incidents.create', incidentInput({ title: `Cpu ${i}` }), { actor: 'bench', origin: 'test' });
  if (!r.ok) throw new Error(r.error.message);
  await turn();
}
console.log('commands', N, 'ms per command', ((performance.now() - t) / N).toFixed(4));
await core.close();
process.exit(0);
