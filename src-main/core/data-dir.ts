/**
 * The data directory, made ready before anything opens a file in it: created (with its
 * missing parents) and proved writable, or a `DataDirError` whose message is one line a
 * person can act on.
 *
 * Hand-written rather than `mkdirSync(dir, { recursive: true })`: Node's recursive mkdir
 * never returns under a virtual file system that answers ENOENT to every mkdir (`/proc/x`
 * spins forever), and a console that hangs without a word on its first start is worse
 * than one that names the directory it cannot use.
 */
import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class DataDirError extends Error {
  readonly dir: string;
  constructor(dir: string, reason: string) {
    super(`data directory ${dir}: ${reason}`);
    this.name = 'DataDirError';
    this.dir = dir;
  }
}

function reasonOf(error: unknown, doing: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `${doing}: permission denied`;
    case 'EROFS':
      return `${doing}: read-only file system`;
    case 'ENOSPC':
      return `${doing}: no space left on the device`;
    case 'ENOENT':
      return `${doing}: the file system does not allow it here`;
    case 'ENOTDIR':
      return `${doing}: a part of the path is a file, not a directory`;
    default:
      return `${doing}: ${code ?? (error as Error).message}`;
  }
}

/** mkdir -p, one level at a time, bounded by the path's depth. */
export function ensureDir(dir: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    const stats = statSync(at, { throwIfNoEntry: false });
    if (stats) {
      if (!stats.isDirectory()) throw new DataDirError(target, `${at} is a file, not a directory`);
      break;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break; // a root that does not exist (an unmapped drive)
    at = parent;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(path).isDirectory()) continue;
      throw new DataDirError(target, reasonOf(error, `cannot create ${path}`));
    }
  }
}

/** Created if needed and writable (a probe file is created and removed), or a `DataDirError`. */
export function prepareDataDir(dir: string): void {
  const target = resolve(dir);
  ensureDir(target);
  const probe = `${target}/.guardline-write-check-${process.pid}`;
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (error) {
    throw new DataDirError(target, reasonOf(error, 'cannot write in it'));
  }
  try {
    unlinkSync(probe);
  } catch {
    // removing a file we just created cannot fail in a writable directory; if it does, it is harmless
  }
}
