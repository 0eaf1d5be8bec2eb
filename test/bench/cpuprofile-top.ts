/**
 * `node test/bench/cpuprofile-top.ts [--by-caller] <file.cpuprofile>…`: the functions with
 * the most self time in profiles written by `node --cpu-prof` (e.g. the tracker during the
 * sync bench), so a write-up quotes what the profiler measured rather than a reading of a
 * flame graph.
 *
 * `--by-caller` charges each sample to the innermost function of this project's own code
 * (src-*) on its stack instead, so SQLite's native time shows up under the statement
 * that ran it (bulkInsert, refoldStreams…) and zod's under the check that called it.
 * Samples with no project frame keep their own function's name; idle time is left out.
 *
 * `--inclusive` charges each sample to every project function on its stack (once each), so
 * a caller's row holds all the time spent under it: where a receiver's time goes by stage
 * (frame decoding, the author check, the append, the escalation runner…).
 * `--during <function>` (with --by-caller) keeps only the samples between the first and the
 * last one whose stack holds that function, e.g. `--during checkPushBatch` for the drain's
 * pushes without the tracker's start-up or the pull-back after it; the window's busy and
 * idle time are printed above the table.
 */
import { readCpuProfile, type CpuProfile, type ProfileNode } from './cpuprofile.ts';
import { cpuTop } from './profile-store.ts';

const args = process.argv.slice(2);
const byCaller = args.includes('--by-caller');
const inclusive = args.includes('--inclusive');
const duringAt = args.indexOf('--during');
const during = duringAt >= 0 ? args[duringAt + 1] : undefined;
if (duringAt >= 0 && !during) throw new Error('--during needs a function name');
const files = args.filter((a, i) => a !== '--by-caller' && a !== '--inclusive' && i !== duringAt && i !== duringAt + 1);
for (const file of files) {
  const profile = readCpuProfile(file);
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  console.log(`\n${file} (${seconds.toFixed(1)} s sampled)`);
  console.table(
    inclusive
      ? chargedTop(profile, 'inclusive')
      : byCaller
        ? chargedTop(profile, 'innermost')
        : cpuTop(profile, 1).map((t) => ({
            function: t.fn,
            where: t.where,
            'self ms': t.selfMsPerCommand,
            share: `${(t.share * 100).toFixed(1)} %`,
          })),
  );
}

/** A project frame's name and place (`fn src-…/file.ts:line`), or null for a frame outside src-*. */
function projectFrame(frame: ProfileNode['callFrame']): string | null {
  const own = /\/(src-[a-z]+\/.*)$/.exec(frame.url);
  return own ? `${frame.functionName || '(anonymous)'} ${own[1]}:${frame.lineNumber + 1}` : null;
}

/**
 * Busy samples (in the --during window) charged to project functions: `innermost` charges
 * each to the innermost project frame on its stack (or its own leaf when there is none),
 * `inclusive` to every project frame on it, once each.
 */
function chargedTop(profile: CpuProfile, mode: 'innermost' | 'inclusive') {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const total = samples.length;
  const msPerSample = total ? (profile.endTime - profile.startTime) / total / 1000 : 0;
  const [from, to] = during === undefined ? [0, total - 1] : windowOf(samples, during, byId, parent);
  const charged = new Map<string, number>();
  const charge = (key: string) => charged.set(key, (charged.get(key) ?? 0) + 1);
  let busy = 0;
  let idle = 0;
  for (const sample of samples.slice(from, to + 1)) {
    const leaf = byId.get(sample)!.callFrame;
    if (leaf.functionName === '(idle)') {
      idle += 1;
      continue;
    }
    busy += 1;
    const seen = new Set<string>();
    for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
      const key = projectFrame(byId.get(at)!.callFrame);
      if (key === null || seen.has(key)) continue;
      seen.add(key);
      charge(key);
      if (mode === 'innermost') break;
    }
    if (mode === 'innermost' && seen.size === 0) charge(`(no project frame) ${leaf.functionName || '(native)'}`);
  }
  if (during !== undefined) {
    const ms = (n: number) => Math.round(n * msPerSample);
    console.log(`during ${during}: ${ms(to - from + 1)} ms, busy ${ms(busy)} ms, idle ${ms(idle)} ms`);
  }
  const label = mode === 'innermost' ? 'charged to' : 'function (and all under it)';
  return [...charged]
    .sort((a, b) => b[1] - a[1])
    .slice(0, mode === 'innermost' ? 20 : 30)
    .map(([key, hits]) => ({
      [label]: key,
      ms: Math.round(hits * msPerSample),
      'share of busy time': `${((hits / busy) * 100).toFixed(1)} %`,
    }));
}

/** Indexes of the first and last sample whose stack holds a frame of function `name`. */
function windowOf(
  samples: readonly number[],
  name: string,
  byId: Map<number, ProfileNode>,
  parent: Map<number, number>,
): [number, number] {
  const holds = (sample: number) => {
    for (let at: number | undefined = sample; at !== undefined; at = parent.get(at))
      if (byId.get(at)!.callFrame.functionName === name) return true;
    return false;
  };
  const first = samples.findIndex(holds);
  if (first < 0) throw new Error(`no sample holds ${name}`);
  let last = samples.length - 1;
  while (!holds(samples[last]!)) last -= 1;
  return [first, last];
}
