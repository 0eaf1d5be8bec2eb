/**
 * Run a package's CLI with the Node that runs this script. `npx` would pick whatever
 * `node` is first on PATH, which may be too old for Vite 8 / type stripping.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..');

/** `vite` -> `node_modules/vite/bin/vite.js`, or null when the package is not installed. */
export function packageBin(relativeBin: string): string | null {
  const file = join(repoRoot, 'node_modules', relativeBin);
  return existsSync(file) ? file : null;
}

/** Run to completion with output on our stderr (stdout stays for the lines tools parse). */
export function runNodeBin(bin: string, args: readonly string[], signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: ['ignore', 2, 2], signal });
    child.once('error', (error) => (error.name === 'AbortError' ? resolve(130) : reject(error)));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
