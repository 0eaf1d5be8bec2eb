// Throwaway (16u), copied into test/bench/ and run under the profiler:
//   node --cpu-prof --cpu-prof-dir=/tmp/16u-prof --cpu-prof-interval 100 test/bench/cpu-prof.tmp.ts
//   node test/bench/cpuprofile-top.ts --by-caller --during append /tmp/16u-prof/*.cpuprofile
// N incidents.create through the dispatch, synchronous=OFF, an event-loop turn between.
// POLICIES=default: the shipped escalation policies (each create, a high threat, starts one).
import { join } from 'node:path';
import { createConsoleCore } from '../../src-main/core/console-core.ts';
import { incidentInput } from '../support/incidents.ts';
import { tempDir } from '../support/temp.ts';
const dir = tempDir('cpu16u-');
const policies = process.env.POLICIES ?? 'none';
const core = createConsoleCore({ dataFile: join(dir.path, 'c.sqlite'), host: 'test', appVersion: 'bench', facility: 'F', unit: 'U', escalationPolicies: policies === 'default' ? undefined : [] });
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
  // RESOLVE=1: each incident resolved after its create, so its escalation closes (a real night).
  if (process.env.RESOLVE === '1') {
    const done = await core.dispatch('incidents.setStatus', { id: (r.value as { id: string }).id, to: 'resolved' }, { actor: 'bench', origin: 'test' });
    if (!done.ok) throw new Error(done.error.message);
    await turn();
  }
}
console.log('commands', N, 'ms per command', ((performance.now() - t) / N).toFixed(4));
await core.close();
process.exit(0);
