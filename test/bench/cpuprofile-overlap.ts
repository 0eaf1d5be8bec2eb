/**
 * `node test/bench/cpuprofile-overlap.ts --during <function> <window.cpuprofile> <other.cpuprofile>…`:
 * how many of the profiled threads were busy at once during a window, so a drain's waits
 * show beside its CPU (issue 16, round 16t). V8's profiles time their samples on the
 * monotonic clock shared by every thread and process of the machine, so the tracker's
 * threads and the console's can be laid on one time line.
 *
 * The window runs from the first to the last sample of the first file whose stack holds
 * `<function>` (e.g. `checkPushBatch` in the drain tracker's main thread). The window is cut
 * into 2 ms slots (`--slot <ms>`); a slot counts a thread busy when most of that thread's sampled
 * time in it was outside `(idle)`. Printed: each thread's busy ms (the spans of its busy samples),
 * their sum against the window × the machine's cores, and how much of the window had 0, 1, 2, 3+
 * threads busy at once (by slots: a loaded machine leaves slots without samples, so read it as a shape).
 */
import { availableParallelism, loadavg } from 'node:os';
import { basename } from 'node:path';
import { readCpuProfile, type CpuProfile } from './cpuprofile.ts';

const args = process.argv.slice(2);
const duringAt = args.indexOf('--during');
const stripAt = args.indexOf('--strip');
// `--strip <ms>`: also print the window's middle <ms> as one row per thread, one character a slot ('#' busy, '.' idle, ' ' no sample).
const stripMs = stripAt >= 0 ? Number(args[stripAt + 1]) : 0;
// `--slot <ms>`: the slot's length (default 2: V8 samples about every millisecond, later under load).
const slotAt = args.indexOf('--slot');
const SLOT_US = (slotAt >= 0 ? Number(args[slotAt + 1]) : 2) * 1000;
const during = duringAt >= 0 ? args[duringAt + 1] : undefined;
if (!during)
  throw new Error('usage: cpuprofile-overlap.ts --during <function> <window.cpuprofile> <other.cpuprofile>…');
const files = args.filter((_, i) => ![duringAt, stripAt, slotAt].some((at) => at >= 0 && (i === at || i === at + 1)));
if (files.length === 0) throw new Error('no profile given');

/** Sample times (µs, monotonic) and whether each was busy, plus which samples hold `name`. */
function timeline(profile: CpuProfile, name?: string) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const times: number[] = [];
  const busy: boolean[] = [];
  const holds: boolean[] = [];
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i += 1) {
    t += deltas[i] ?? 0;
    times.push(t);
    busy.push(byId.get(samples[i]!)!.callFrame.functionName !== '(idle)');
    if (name !== undefined) {
      let found = false;
      for (let at: number | undefined = samples[i]; at !== undefined && !found; at = parent.get(at))
        found = byId.get(at)!.callFrame.functionName === name;
      holds.push(found);
    }
  }
  return { times, busy, holds };
}

const lines = files.map((file) => ({ file, ...timeline(readCpuProfile(file), during) }));
const first = lines[0]!;
const from = first.times[first.holds.indexOf(true)];
const to = first.times[first.holds.lastIndexOf(true)];
if (from === undefined || to === undefined) throw new Error(`no sample of ${files[0]} holds ${during}`);
const slots = Math.max(1, Math.ceil((to - from) / SLOT_US));

// Per thread and slot: 'busy' or 'idle' by most of its sampled time there, 'none' with no sample in it
// (the thread was not running: waiting for a core, or in a call the profiler cannot interrupt).
type Slot = 'busy' | 'idle' | 'none';
// Each thread's busy time in the window as the profile accounts it: the spans of its busy samples.
const busyMsOf: number[] = [];
const slotsOf = lines.map(({ times, busy }): Slot[] => {
  const busyUs = new Float64Array(slots);
  const sampledUs = new Float64Array(slots);
  for (let i = 1; i < times.length; i += 1) {
    const at = times[i]!;
    if (at < from || at >= to) continue;
    const span = at - times[i - 1]!;
    const slot = Math.floor((at - from) / SLOT_US);
    sampledUs[slot] = sampledUs[slot]! + span;
    if (busy[i]) busyUs[slot] = busyUs[slot]! + span;
  }
  busyMsOf.push(busyUs.reduce((a, b) => a + b, 0) / 1000);
  return Array.from(busyUs, (b, s): Slot => (sampledUs[s] === 0 ? 'none' : b * 2 > sampledUs[s]! ? 'busy' : 'idle'));
});
const busySlots = slotsOf.map((line) => line.map((slot) => slot === 'busy'));

const cores = availableParallelism();
const windowMs = (to - from) / 1000;
console.log(
  `window: ${during} in ${basename(files[0]!)}, ${windowMs.toFixed(0)} ms; cores ${cores}; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
let sum = 0;
console.table(
  lines.map(({ file }, i) => {
    const ms = Math.round(busyMsOf[i]!);
    sum += ms;
    const unsampled = slotsOf[i]!.filter((slot) => slot === 'none').length * (SLOT_US / 1000);
    return {
      thread: basename(file),
      'busy ms': ms,
      'share of window': `${((ms / windowMs) * 100).toFixed(1)} %`,
      'unsampled ms': unsampled,
    };
  }),
);
console.log(
  `busy, all threads: ${sum} ms = ${((sum / (windowMs * cores)) * 100).toFixed(1)} % of ${cores} × the window`,
);
// A sample's span runs from the one before, so it includes time the thread waited for a core:
// on an oversubscribed machine the sum passes the cores' time and the waits cannot be seen.
if (sum > windowMs * cores)
  console.log(
    'more than the cores could run: the spans include waiting for a core (a loaded machine); no bubbles can be read here',
  );
const atOnce = new Map<string, number>();
for (let s = 0; s < slots; s += 1) {
  const n = busySlots.reduce((count, line) => count + (line[s] ? 1 : 0), 0);
  const key = n >= 3 ? '3+' : String(n);
  atOnce.set(key, (atOnce.get(key) ?? 0) + 1);
}
console.table(
  ['0', '1', '2', '3+'].map((key) => ({
    'threads busy at once': key,
    ms: (atOnce.get(key) ?? 0) * (SLOT_US / 1000),
    'share of window': `${(((atOnce.get(key) ?? 0) / slots) * 100).toFixed(1)} %`,
  })),
);

if (stripMs > 0) {
  const start = Math.max(0, Math.floor(slots / 2 - stripMs / 2));
  const end = Math.min(slots, start + stripMs);
  console.log(`slots ${start}–${end} of the window ('#' busy, '.' idle, ' ' no sample):`);
  lines.forEach(({ file }, i) => {
    const row = slotsOf[i]!.slice(start, end)
      .map((slot) => (slot === 'busy' ? '#' : slot === 'idle' ? '.' : ' '))
      .join('');
    console.log(`${basename(file).padEnd(46)} ${row}`);
  });
}
