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
 */
import { readFileSync } from 'node:fs';
import { cpuTop, type ProfileNode } from './profile-store.ts';

interface Profile {
  nodes: (ProfileNode & { children?: number[] })[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

const args = process.argv.slice(2);
const byCaller = args.includes('--by-caller');
const inclusive = args.includes('--inclusive');
for (const file of args.filter((a) => a !== '--by-caller' && a !== '--inclusive')) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  console.log(`\n${file} (${seconds.toFixed(1)} s sampled)`);
  console.table(
    inclusive
      ? inclusiveTop(profile)
      : byCaller
        ? callerTop(profile)
        : cpuTop(profile, 1).map((t) => ({
            function: t.fn,
            where: t.where,
            'self ms': t.selfMsPerCommand,
            share: `${(t.share * 100).toFixed(1)} %`,
          })),
  );
}

function callerTop(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = profile.samples?.length ?? 0;
  const msPerSample = total ? (profile.endTime - profile.startTime) / total / 1000 : 0;
  const charged = new Map<string, number>();
  let busy = 0;
  for (const sample of profile.samples ?? []) {
    const leaf = byId.get(sample)!.callFrame;
    if (leaf.functionName === '(idle)') continue;
    busy += 1;
    let key = `(no project frame) ${leaf.functionName || '(native)'}`;
    for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const own = /\/(src-[a-z]+\/.*)$/.exec(frame.url);
      if (own) {
        key = `${frame.functionName || '(anonymous)'} ${own[1]}:${frame.lineNumber + 1}`;
        break;
      }
    }
    charged.set(key, (charged.get(key) ?? 0) + 1);
  }
  return [...charged]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([caller, hits]) => ({
      'charged to': caller,
      ms: Math.round(hits * msPerSample),
      'share of busy time': `${((hits / busy) * 100).toFixed(1)} %`,
    }));
}

function inclusiveTop(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = profile.samples?.length ?? 0;
  const msPerSample = total ? (profile.endTime - profile.startTime) / total / 1000 : 0;
  const charged = new Map<string, number>();
  let busy = 0;
  for (const sample of profile.samples ?? []) {
    if (byId.get(sample)!.callFrame.functionName === '(idle)') continue;
    busy += 1;
    const seen = new Set<string>();
    for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const own = /\/(src-[a-z]+\/.*)$/.exec(frame.url);
      if (!own) continue;
      const key = `${frame.functionName || '(anonymous)'} ${own[1]}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      charged.set(key, (charged.get(key) ?? 0) + 1);
    }
  }
  return [...charged]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(([fn, hits]) => ({
      'function (and all under it)': fn,
      ms: Math.round(hits * msPerSample),
      'share of busy time': `${((hits / busy) * 100).toFixed(1)} %`,
    }));
}
