/**
 * `node test/bench/cpuprofile-top.ts <file.cpuprofile>…`: the functions with the most self
 * time in profiles written by `node --cpu-prof` (e.g. the tracker during the sync bench),
 * so a write-up quotes what the profiler measured rather than a reading of a flame graph.
 */
import { readFileSync } from 'node:fs';
import { cpuTop, type ProfileNode } from './profile-store.ts';

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples?: number[];
  };
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  console.log(`\n${file} (${seconds.toFixed(1)} s sampled)`);
  console.table(
    cpuTop(profile, 1).map((t) => ({
      function: t.fn,
      where: t.where,
      'self ms': t.selfMsPerCommand,
      share: `${(t.share * 100).toFixed(1)} %`,
    })),
  );
}
