// Throwaway (16p): incidents.create through the dispatch, back to back with an event-loop turn
// between, synchronous=OFF (CPU only) then FULL; p50/p99 per command and the process's CPU per
// command. Run in the base tree and this tree by turns (pairs.sh).
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { createConsoleCore } from '../../src-main/core/console-core.ts';
import { incidentInput } from '../support/incidents.ts';
import { tempDir } from '../support/temp.ts';
const dir = tempDir('cpu16p-');
const core = createConsoleCore({ dataFile: join(dir.path, 'c.sqlite'), host: 'test', appVersion: 'bench', facility: 'F', unit: 'U', escalationPolicies: process.env.POLICIES === 'default' ? undefined : [] });
const r0 = await core.dispatch('auth.bootstrapAdmin', { staffNumber: 'BENCH', name: 'Bench', pin: '2468' }, { origin: 'test' });
if (!r0.ok) throw new Error(r0.error.message);
const turn = () => new Promise<void>((r) => setImmediate(r));
const N = Number(process.env.N ?? 2000);
const pct = (xs: number[], q: number) => Number([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!.toFixed(3));
const load0 = loadavg()[0]!;
const out: Record<string, unknown> = { commit: execSync('git rev-parse --short HEAD 2>/dev/null || echo none').toString().trim(), tree: process.cwd(), policies: process.env.POLICIES ?? 'none' };
let n = 0;
for (const mode of ['OFF', 'FULL'] as const) {
  core.store.db.pragma(`synchronous = ${mode}`);
  for (let i = 0; i < 200; i++) await core.dispatch('incidents.create', incidentInput({ title: `w ${n++}` }), { actor: 'bench', origin: 'test' });
  const ms: number[] = [];
  let cpu = 0;
  for (let i = 0; i < N; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    const r = await core.dispatch('incidents.create', incidentInput({ title: `Cpu ${n++}` }), { actor: 'bench', origin: 'test' });
    ms.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu += d.user + d.system;
    if (!r.ok) throw new Error(r.error.message);
    await turn();
  }
  out[mode] = { commands: N, p50: pct(ms, 0.5), p90: pct(ms, 0.9), p99: pct(ms, 0.99), cpuMsPerCommand: Number((cpu / 1000 / N).toFixed(4)) };
}
out.load = `${load0.toFixed(2)}→${loadavg()[0]!.toFixed(2)}`;
out.at = new Date().toISOString();
console.log(JSON.stringify(out));
await core.close();
process.exit(0);
