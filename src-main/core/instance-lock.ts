/**
 * One console per data directory. Two consoles on one database would run two monitors,
 * two sets of escalation timers and record every outage twice.
 *
 * The lock is the operating system's: an exclusive SQLite lock on `guardline.lock` (a
 * byte-range lock, POSIX or Windows), held for the process's life and released by the
 * kernel when it dies, so a crash never leaves a stale lock behind. Next to it,
 * `guardline.instance.json` (mode 0600) says who holds it: pid, host and the URL, which
 * the browser host adds once it listens, so a second start can name the running one.
 */
import Database from 'better-sqlite3';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'guardline.lock';
export const HOLDER_FILE = 'guardline.instance.json';

export interface InstanceHolder {
  pid: number;
  host: string;
  url: string | null;
  startedAt: string;
}

export interface InstanceLock {
  /** Record where this instance can be reached, for the next one that tries to start. */
  setUrl(url: string): void;
  release(): void;
}

export type InstanceLockResult = { ok: true; lock: InstanceLock } | { ok: false; holder: InstanceHolder | null };

function readHolder(dataDir: string): InstanceHolder | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, HOLDER_FILE), 'utf8')) as InstanceHolder;
  } catch {
    return null; // still starting, or written by something else
  }
}

function writeHolder(dataDir: string, holder: InstanceHolder): void {
  const file = join(dataDir, HOLDER_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Take the data directory's lock, or learn who holds it. The directory must exist. */
export function takeInstanceLock(dataDir: string, host: string): InstanceLockResult {
  const db = new Database(join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return { ok: false, holder: readHolder(dataDir) };
    throw error;
  }
  const holder: InstanceHolder = { pid: process.pid, host, url: null, startedAt: new Date().toISOString() };
  writeHolder(dataDir, holder);
  let released = false;
  return {
    ok: true,
    lock: {
      setUrl(url) {
        if (!released) writeHolder(dataDir, { ...holder, url });
      },
      release() {
        if (released) return;
        released = true;
        rmSync(join(dataDir, HOLDER_FILE), { force: true });
        db.close();
      },
    },
  };
}

/** The one line a second start prints. */
export function describeHolder(dataDir: string, holder: InstanceHolder | null): string {
  if (!holder) return `another Guardline console is already running on ${dataDir} (it is starting up)`;
  const where = holder.url ?? `pid ${holder.pid}, still starting`;
  return `another Guardline console is already running on ${dataDir}: ${where} (pid ${holder.pid}, ${holder.host} host)`;
}
