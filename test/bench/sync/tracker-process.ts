/**
 * The tracker as the bench runs it: `src-tracker/main.ts` in its own process, as
 * `npm run tracker` would, logging at its default level to a file. Not to a pipe: the
 * bench process is busy driving load and reads a pipe late, and a tracker blocked on
 * a full stdout pipe would be measuring the bench, not itself.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TRACKER_READY_PREFIX } from '../../../src-tracker/config.ts';
import { ADMIN_TOKEN } from '../../integration/sync/sync-lab.ts';

/**
 * GUARDLINE_BENCH_TRACKER_MAIN: another tree's `src-tracker/main.ts` (an unpacked older
 * commit), so drain-ab.ts can pair this tree's tracker with an earlier one's.
 */
const ownMain = fileURLToPath(new URL('../../../src-tracker/main.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const POLL_MS = 20;

export interface TrackerProcess {
  url: string;
  /**
   * CPU time the tracker process has used so far, every thread (user + system, from
   * /proc/<pid>/stat in USER_HZ ticks, 100 a second on Linux): unlike a rate, it barely moves
   * with the machine's load. Null where /proc is not there.
   */
  cpuMs(): number | null;
  /** The same for its main thread alone (the event loop: the drain's serial stage, rounds 16t, 16ab). */
  mainThreadCpuMs(): number | null;
  /**
   * CPU time so far by thread name (/proc/<pid>/task/<tid>/comm: the main thread under the process's
   * name, workers and V8's and libuv's helpers under theirs), threads of one name added up; null without /proc.
   */
  threadCpuMs(): Record<string, number> | null;
  /**
   * Bytes the tracker process has written so far (`write_bytes` of /proc/<pid>/io: what it sent
   * to the block layer, its WAL, database file and log; not its sockets), or null where /proc is
   * not there. The page size decides how many bytes a commit writes (round 16t).
   */
  diskBytes(): number | null;
  kill(): Promise<void>;
}

const USER_HZ = 100;

function processCpuMs(pid: number | undefined, thread?: number): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

function threadCpuMs(pid: number | undefined): Record<string, number> | null {
  if (pid === undefined) return null;
  try {
    const out: Record<string, number> = {};
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const name = Number(tid) === pid ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out[name] = (out[name] ?? 0) + (processCpuMs(pid, Number(tid)) ?? 0);
    }
    return out;
  } catch {
    return null;
  }
}

function processDiskBytes(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const bytes = /^write_bytes:\s*(\d+)/m.exec(io)?.[1];
    return bytes === undefined ? null : Number(bytes);
  } catch {
    return null;
  }
}

export async function startTrackerProcess(dataFile: string, logFile: string): Promise<TrackerProcess> {
  const log = openSync(logFile, 'a');
  // GUARDLINE_BENCH_PROFILE_DIR: the tracker writes a CPU profile there (docs/performance.md),
  // and is stopped with SIGTERM so it exits cleanly and the profile is written.
  const profileDir = process.env.GUARDLINE_BENCH_PROFILE_DIR;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  // Read at each start, not at import: drain-ab.ts sets it per run.
  const mainScript = process.env.GUARDLINE_BENCH_TRACKER_MAIN || ownMain;
  const child = spawn(
    process.execPath,
    [...profiling, mainScript, '--port', '0', '--host', '127.0.0.1', '--data', dataFile],
    {
      env: { ...process.env, GUARDLINE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info' },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const kill = async () => {
    if (!gone) child.kill(profileDir ? 'SIGTERM' : 'SIGKILL');
    await exited;
  };
  for (let waited = 0; waited < READY_TIMEOUT_MS; waited += POLL_MS) {
    const line = readFileSync(logFile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(TRACKER_READY_PREFIX));
    if (line)
      return {
        url: line.slice(TRACKER_READY_PREFIX.length).trim(),
        cpuMs: () => processCpuMs(child.pid),
        // A process's main thread has the process's id.
        mainThreadCpuMs: () => processCpuMs(child.pid, child.pid),
        threadCpuMs: () => threadCpuMs(child.pid),
        diskBytes: () => processDiskBytes(child.pid),
        kill,
      };
    if (gone) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await kill();
  throw new Error(`tracker did not start:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}
