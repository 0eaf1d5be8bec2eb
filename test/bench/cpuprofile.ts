/** V8's CPU profile (`node --cpu-prof`'s .cpuprofile files): the members the profile tools read. */
import { readFileSync } from 'node:fs';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: (ProfileNode & { children?: number[] })[];
  /** Microseconds on the machine's monotonic clock, shared by its threads and processes. */
  startTime: number;
  endTime: number;
  /** The node sampled, sample by sample. */
  samples?: number[];
  /** Microseconds before each sample (the first: since `startTime`). */
  timeDeltas?: number[];
}

export function readCpuProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}
