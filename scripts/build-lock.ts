/**
 * A cross-process lock for the renderer build. mkdir is atomic, so whoever creates the
 * directory holds the lock; the holder's pid inside lets a waiter break a lock whose
 * holder died (kill -9 mid-build) at once instead of waiting out a timeout.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** A lock older than any real build, even without a readable pid, was abandoned. */
const STALE_LOCK_MS = 5 * 60_000;
const POLL_MS = 100;

export type ReleaseLock = () => void;

export async function takeLock(dir: string, waitMs: number): Promise<ReleaseLock | null> {
  mkdirSync(dirname(dir), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isAbandoned(dir)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() >= deadline) return null;
    await delay(POLL_MS);
  }
}

function isAbandoned(dir: string): boolean {
  const stats = statSync(dir, { throwIfNoEntry: false });
  if (!stats) return false;
  let pid = Number.NaN;
  try {
    pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
  } catch {
    // Just created, pid not written yet: only age can tell.
  }
  if (Number.isInteger(pid) && pid > 0) return !isAlive(pid);
  return Date.now() - stats.mtimeMs > STALE_LOCK_MS;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
