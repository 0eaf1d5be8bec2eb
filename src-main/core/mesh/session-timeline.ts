/**
 * Bench instrumentation: a peer session's timeline (issue 12m). With GUARDLINE_MESH_TIMELINE=<dir>
 * set in a console's environment, each of its peer sessions records what it did and when — a
 * frame's bytes in, posted to the frame worker, prepared, queued, stored (with this thread's CPU
 * time, so the gaps between stores show whether the thread was idle or busy elsewhere), acks
 * sent and received, the sender's feed reads and frames written — and writes them as one JSON
 * line each to `<dir>/<deviceId>-<role>-<pid>-<n>.jsonl` when the session closes.
 * `node test/bench/mesh-timeline.ts <dir>` reads both sides' files and prints where the
 * receiving console's thread waited and on what.
 *
 * Off (the variable unset) it is null, and every call site is one `?.` on it. Times are
 * `performance.timeOrigin + performance.now()` in ms, comparable between the processes of one
 * machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TimelineMark {
  /** ms since the epoch (performance.timeOrigin + performance.now()). */
  at: number;
  /** This thread's CPU time (ms) at the mark. */
  cpu: number;
  kind: string;
  [field: string]: unknown;
}

export interface SessionTimeline {
  mark(kind: string, fields?: Record<string, unknown>): void;
  /** Writes the marks (once); `name` says whose session it was. */
  write(name: string): void;
}

let opened = 0;

/** Process-wide tallies written with each session's timeline (`countInTimeline`); empty when off. */
const counters: Record<string, number> = {};

/** Adds `n` to a tally the timelines of this process report (bench only: a no-op when timelines are off). */
export function countInTimeline(name: string, n: number, env: NodeJS.ProcessEnv = process.env): void {
  if (!env.GUARDLINE_MESH_TIMELINE) return;
  counters[name] = (counters[name] ?? 0) + n;
}

const cpuMs = () => {
  const used = process.threadCpuUsage();
  return (used.user + used.system) / 1000;
};

/** The wall clock the timeline uses, for a mark made elsewhere (the frame worker's start and end). */
export const timelineNow = () => performance.timeOrigin + performance.now();

/** Whether timelines are on in this process (the frame worker times its jobs only then). */
export const timelineOn = (env: NodeJS.ProcessEnv = process.env) => Boolean(env.GUARDLINE_MESH_TIMELINE);

export function openSessionTimeline(role: string, env: NodeJS.ProcessEnv = process.env): SessionTimeline | null {
  const dir = env.GUARDLINE_MESH_TIMELINE;
  if (!dir) return null;
  const marks: TimelineMark[] = [];
  const n = ++opened;
  let written = false;
  return {
    mark(kind, fields) {
      marks.push({ at: timelineNow(), cpu: cpuMs(), kind, ...fields });
    },
    write(name) {
      if (written) return;
      written = true;
      marks.push({ at: timelineNow(), cpu: cpuMs(), kind: 'counters', ...counters });
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name.replace(/[^\w.-]/g, '_')}-${role}-${process.pid}-${n}.jsonl`);
      writeFileSync(file, marks.map((m) => JSON.stringify(m)).join('\n') + '\n');
    },
  };
}
