// Throwaway (16u), copied into test/bench/ of a tree and run there (pairs.sh):
// incidents.create through the dispatch, back to back with an event-loop turn between, as the
// profile bench does. Per command: wall time and the process's CPU (getrusage, precise to the
// microsecond here), p50/p99; and the main thread's own CPU over the whole loop divided by the
// commands (/proc/thread-self/schedstat: the kernel updates it only when the thread is switched
// out, and getrusage's per-thread figure ticks in 4 ms, so per command only the mean is exact).
// synchronous=OFF (CPU only) then FULL; signing on (the shipped configuration).
// POLICIES=default: the shipped escalation policies, so every create (a high threat) starts an escalation.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { openSync, readSync } from 'node:fs';
const statFd = openSync('/proc/thread-self/schedstat', 'r');
const statBuf = Buffer.alloc(128);
const threadNs = () => { const k = readSync(statFd, statBuf, 0, 128, 0); return Number(statBuf.toString('latin1', 0, k).split(' ')[0]); };
import { createConsoleCore } from '../../src-main/core/console-core.ts';
import { incidentInput } from '../support/incidents.ts';
import { tempDir } from '../support/temp.ts';
const dir = tempDir('cpu16u-');
const policies = process.env.POLICIES ?? 'none';
const resolve = process.env.RESOLVE === '1';
const core = createConsoleCore({ dataFile: join(dir.path, 'c.sqlite'), host: 'test', appVersion: 'bench', facility: 'F', unit: 'U', escalationPolicies: policies === 'default' ? undefined : [] });
const r0 = await core.dispatch('auth.bootstrapAdmin', { staffNumber: 'BENCH', name: 'Bench', pin: '2468' }, { origin: 'test' });
if (!r0.ok) throw new Error(r0.error.message);
const turn = () => new Promise<void>((r) => setImmediate(r));
const N = Number(process.env.N ?? (policies === 'default' ? 400 : 2000));
const pct = (xs: number[], q: number) => Number([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!.toFixed(4));
const load0 = loadavg()[0]!;
const out: Record<string, unknown> = { commit: execSync('git rev-parse --short HEAD 2>/dev/null || echo none').toString().trim(), tree: process.cwd(), policies, resolve, at: new Date().toISOString() };
let n = 0;
for (const mode of ['OFF', 'FULL'] as const) {
  core.store.db.pragma(`synchronous = ${mode}`);
  for (let i = 0; i < 200; i++) {
    await core.dispatch('incidents.create', incidentInput({ title: `w ${n++}` }), { actor: 'bench', origin: 'test' });
    await turn();
  }
  const ms: number[] = [];
  const cpu: number[] = [];
  await turn();
  const thread0 = threadNs();
  for (let i = 0; i < N; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    const r = await core.dispatch('incidents.create', incidentInput({ title: `Cpu ${n++}` }), { actor: 'bench', origin: 'test' });
    ms.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
    if (!r.ok) throw new Error(r.error.message);
    await turn();
    // RESOLVE=1: the incident resolved after its timed create (so its escalation closes): only
    // the escalations of the last few commands stay open, as on a real night.
    if (resolve) {
      const id = (r.value as { id: string }).id;
      const done = await core.dispatch('incidents.setStatus', { id, to: 'resolved' }, { actor: 'bench', origin: 'test' });
      if (!done.ok) throw new Error(done.error.message);
      await turn();
    }
  }
  out[mode] = { commands: N, wallP50: pct(ms, 0.5), wallP99: pct(ms, 0.99), processCpuP50: pct(cpu, 0.5), processCpuP99: pct(cpu, 0.99), processCpuMean: Number((cpu.reduce((a, b) => a + b, 0) / N).toFixed(4)), threadCpuMean: Number(((threadNs() - thread0) / 1e6 / N).toFixed(4)) };
}
out.load = `${load0.toFixed(2)}→${loadavg()[0]!.toFixed(2)}`;
console.log(JSON.stringify(out));
await core.close();
process.exit(0);
