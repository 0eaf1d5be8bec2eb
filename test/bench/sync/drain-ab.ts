/**
 * Paired drains for a before/after on a shared machine: the sync bench's own Guardline
 * drain (guardline-drain.ts) of one backlog, alternating two tracker settings given as
 * environment assignments, each run printed with the load average beside it, then each
 * side's median, beside the tracker process's CPU time per 1,000 events drained (all its
 * threads, from /proc), which a loaded machine moves far less than the rate, and the
 * console's (this process's) CPU over the same span, since both share the machine's cores: a
 * change on the console's side is paired by running this file in each tree. The tracker
 * process inherits the environment, so any setting the tracker reads from it can be
 * compared (`GUARDLINE_TRACKER_PROJECTOR=inline` against `=thread`).
 *
 * usage: node test/bench/sync/drain-ab.ts <events> <pairs> <A: NAME=value,...> <B: NAME=value,...>
 * e.g.   node test/bench/sync/drain-ab.ts 50000 3 GUARDLINE_TRACKER_PROJECTOR=inline GUARDLINE_TRACKER_PROJECTOR=thread
 *        node test/bench/sync/drain-ab.ts 50000 3 GUARDLINE_BENCH_TRACKER_MAIN=/tmp/base/src-tracker/main.ts ""
 *        (an older commit unpacked with `git archive <commit> | tar -x -C /tmp/base`, node_modules linked in)
 */
import { availableParallelism, loadavg } from 'node:os';
import { percentile, round } from '../report.ts';
import { tempDir } from '../../support/temp.ts';
import { guardlineDrain, offlineConsole } from './guardline-drain.ts';

const [countArg, pairsArg, aArg, bArg] = process.argv.slice(2);
if (!countArg || !pairsArg || aArg === undefined || bArg === undefined)
  throw new Error('usage: drain-ab.ts <events> <pairs> <A: NAME=value,...> <B: NAME=value,...>');
const count = Number(countArg);
const pairs = Number(pairsArg);

function settings(arg: string): [string, string][] {
  return arg
    .split(',')
    .filter(Boolean)
    .map((kv) => {
      const at = kv.indexOf('=');
      if (at < 1) throw new Error(`not NAME=value: ${kv}`);
      return [kv.slice(0, at), kv.slice(at + 1)];
    });
}
const sides = [
  {
    name: 'A',
    arg: aArg,
    env: settings(aArg),
    rates: [] as number[],
    cpu: [] as number[],
    mainCpu: [] as number[],
    consoleCpu: [] as number[],
  },
  {
    name: 'B',
    arg: bArg,
    env: settings(bArg),
    rates: [] as number[],
    cpu: [] as number[],
    mainCpu: [] as number[],
    consoleCpu: [] as number[],
  },
];

const load = () => loadavg()[0]!.toFixed(2);
const dir = tempDir('guardline-drain-ab-');
try {
  const template = await offlineConsole(dir.path, count);
  let run = 0;
  for (let pair = 0; pair < pairs; pair++) {
    // A first in even pairs, B first in odd ones: neither always follows the other.
    const order = pair % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const saved = side.env.map(([k]) => [k, process.env[k]] as const);
      for (const [k, v] of side.env) process.env[k] = v;
      const before = load();
      try {
        const drain = await guardlineDrain(dir.path, run++, template);
        if (drain.trackerEvents !== drain.events)
          throw new Error(`tracker holds ${drain.trackerEvents} events, the console pushed ${drain.events}`);
        const rate = Math.round(drain.events / (drain.drainMs / 1000));
        side.rates.push(rate);
        // The tracker's CPU per 1,000 events during the drain, all its threads: steadier than the rate on a shared machine.
        const cpu = drain.trackerCpuMs === null ? null : round((drain.trackerCpuMs / drain.events) * 1000, 1);
        if (cpu !== null) side.cpu.push(cpu);
        // Its main thread alone: the event loop, the drain's serial stage (16t, 16ab).
        const mainCpu =
          drain.trackerMainCpuMs === null ? null : round((drain.trackerMainCpuMs / drain.events) * 1000, 1);
        if (mainCpu !== null) side.mainCpu.push(mainCpu);
        // The console's (this process's) CPU over the same span: both share the machine's cores.
        const consoleCpu = round((drain.consoleCpuMs / drain.events) * 1000, 1);
        side.consoleCpu.push(consoleCpu);
        // How much of the machine's cores the drain kept busy (tracker and console threads together):
        // below the core count, the pipeline waited (round 16t).
        const diskKb =
          drain.trackerDiskBytes === null ? null : round(drain.trackerDiskBytes / 1024 / (drain.events / 1000), 0);
        const coresBusy =
          drain.trackerCpuMs === null ? '?' : round((drain.trackerCpuMs + drain.consoleCpuMs) / drain.drainMs, 2);
        // Each thread's share, by name (workers and V8's helpers included), in ms per 1,000 events.
        const threads =
          drain.trackerThreadsCpuMs === null
            ? '?'
            : Object.entries(drain.trackerThreadsCpuMs)
                .filter(([, ms]) => ms > 0)
                .sort((a, b) => b[1] - a[1])
                .map(([name, ms]) => `${name} ${round((ms / drain.events) * 1000, 1)}`)
                .join(', ');
        console.log(
          `pair ${pair + 1} ${side.name} (${side.arg}): ${rate} events/s, tracker CPU ${cpu ?? '?'} ms per 1,000 events ` +
            `(main thread ${mainCpu ?? '?'}; by thread: ${threads}), ` +
            `console CPU ${consoleCpu} ms per 1,000 events, cores busy ${coresBusy} of ${availableParallelism()}, ` +
            `tracker disk writes ${diskKb ?? '?'} KiB per 1,000 events, load ${before} -> ${load()}`,
        );
      } finally {
        for (const [k, v] of saved) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    }
  }
  for (const side of sides)
    console.log(
      `${side.name} (${side.arg}): median ${round(percentile(side.rates, 50), 0)} events/s of ${side.rates.join(', ')}; ` +
        `tracker CPU median ${side.cpu.length > 0 ? round(percentile(side.cpu, 50), 1) : '?'} ms per 1,000 events of ${side.cpu.join(', ')}; ` +
        `main thread median ${side.mainCpu.length > 0 ? round(percentile(side.mainCpu, 50), 1) : '?'} of ${side.mainCpu.join(', ')}; ` +
        `console CPU median ${round(percentile(side.consoleCpu, 50), 1)} ms per 1,000 events of ${side.consoleCpu.join(', ')}`,
    );
} finally {
  dir.cleanup();
}
