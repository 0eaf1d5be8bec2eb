/**
 * `node test/bench/cpuprofile-stalls.ts [--top N] [--from S] [--to S] <file.cpuprofile>…`:
 * the longest stretches a thread ran without going idle (what an event-loop stall is,
 * seen from the profiler), each with what ran in it. Written for issue 16's stall bench:
 * run it under `node --cpu-prof`, then point this at the main thread's profile.
 *
 * A stretch is consecutive samples none of which is `(idle)` or `(program)` (what the
 * thread shows between two tasks); its time is the sum of the samples' time deltas. Two
 * tasks run back to back with no such sample between them count as one stretch, so a
 * stretch is an upper bound of the longest task in it. Each sample is charged as `cpuprofile-top.ts --by-caller`
 * does: to the innermost function of this project (src-*, test/*), so SQLite's native
 * time shows under the statement that ran it; GC and anything without a project frame
 * keep their own name. `--from`/`--to` (seconds since the profile began) keep only
 * stretches starting in that window; `--window <from>-<to>` takes it in microseconds on
 * the profile's clock, as the stall bench prints each job's window.
 */
import { readCpuProfile } from './cpuprofile.ts';

const args = process.argv.slice(2);
const option = (name: string): number | null => {
  const at = args.indexOf(name);
  if (at < 0) return null;
  const value = Number(args[at + 1]);
  args.splice(at, 2);
  return value;
};
const top = option('--top') ?? 10;
let from = option('--from');
let to = option('--to');
// --window <from>-<to>: microseconds on the profile's own clock, as the stall bench prints them.
const windowAt = args.indexOf('--window');
const window = windowAt < 0 ? null : args.splice(windowAt, 2)[1]!.split('-').map(Number);

for (const file of args) {
  const profile = readCpuProfile(file);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyCache = new Map<number, string>();
  const chargedTo = (sample: number): string => {
    const cached = keyCache.get(sample);
    if (cached) return cached;
    const leaf = byId.get(sample)!.callFrame;
    let key = `(no project frame) ${leaf.functionName || '(native)'}`;
    if (leaf.functionName === '(garbage collector)') key = leaf.functionName;
    else
      for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        const own = /\/((src-[a-z]+|test)\/.*)$/.exec(frame.url);
        if (own) {
          key = `${frame.functionName || '(anonymous)'} ${own[1]}:${frame.lineNumber + 1}`;
          break;
        }
      }
    keyCache.set(sample, key);
    return key;
  };

  if (window) {
    from = (window[0]! - profile.startTime) / 1e6;
    to = (window[1]! - profile.startTime) / 1e6;
  }
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  type Stretch = { startUs: number; us: number; charged: Map<string, number> };
  const stretches: Stretch[] = [];
  let now = profile.startTime;
  let open: Stretch | null = null;
  for (let i = 0; i < samples.length; i++) {
    now += deltas[i] ?? 0;
    // A sample's time is the delta to the next one (the profiler's own accounting).
    const us = deltas[i + 1] ?? 0;
    // Between two tasks the thread shows idle, or `(program)` (V8's own code, no JS on the stack).
    const name = byId.get(samples[i]!)!.callFrame.functionName;
    const idle = name === '(idle)' || name === '(program)';
    if (idle) {
      if (open) stretches.push(open);
      open = null;
      continue;
    }
    open ??= { startUs: now - profile.startTime, us: 0, charged: new Map() };
    open.us += us;
    const key = chargedTo(samples[i]!);
    open.charged.set(key, (open.charged.get(key) ?? 0) + us);
  }
  if (open) stretches.push(open);
  const kept = stretches.filter(
    (s) => (from === null || s.startUs >= from * 1e6) && (to === null || s.startUs < to * 1e6),
  );
  kept.sort((a, b) => b.us - a.us);
  console.log(`\n${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s sampled`);
  for (const s of kept.slice(0, top)) {
    console.log(`\n  ${(s.us / 1000).toFixed(1)} ms busy from ${(s.startUs / 1e6).toFixed(3)} s`);
    for (const [key, us] of [...s.charged].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
      console.log(`    ${(us / 1000).toFixed(1).padStart(7)} ms  ${key}`);
    }
  }
}
