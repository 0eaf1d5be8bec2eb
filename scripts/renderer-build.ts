/**
 * Keep `dist-renderer/` current before a host serves it: rebuild when the build is
 * missing or older than any renderer source, so `npm run start:web` never serves a
 * stale UI and never rebuilds needlessly.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { takeLock } from './build-lock.ts';
import { packageBin, repoRoot, runNodeBin } from './node-bin.ts';

export const RENDERER_CONFIG = 'vite.renderer.config.ts';
export const rendererDist = join(repoRoot, 'dist-renderer');
/** What the renderer build reads: its sources, the shared contract and its config. */
const RENDERER_INPUTS = ['src-renderer', 'src-shared', RENDERER_CONFIG];
/** A guard against walking something unexpected (a symlinked home directory, say). */
const MAX_FILES = 20_000;

export function newestMtimeMs(paths: readonly string[]): number {
  let newest = 0;
  let seen = 0;
  const stack = [...paths];
  while (stack.length > 0 && seen < MAX_FILES) {
    const path = stack.pop() as string;
    if (!existsSync(path)) continue;
    const stats = statSync(path);
    seen += 1;
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') stack.push(join(path, entry));
    } else {
      newest = Math.max(newest, stats.mtimeMs);
    }
  }
  return newest;
}

export function rendererNeedsBuild(distDir: string, inputs: readonly string[]): boolean {
  const index = join(distDir, 'index.html');
  if (!existsSync(index)) return true;
  return newestMtimeMs(inputs) > statSync(index).mtimeMs;
}

export type BuildOutcome = { ok: true; built: boolean } | { ok: false; message: string };

export async function ensureRendererBuilt(): Promise<BuildOutcome> {
  const inputs = RENDERER_INPUTS.map((p) => join(repoRoot, p));
  if (!rendererNeedsBuild(rendererDist, inputs)) return { ok: true, built: false };
  // Parallel e2e files each start a host; one builds while the others wait, then all
  // see a fresh build. Vite empties the output folder, so two builds at once would race.
  const release = await takeLock(BUILD_LOCK, LOCK_WAIT_MS);
  if (!release) return { ok: false, message: `cannot build the renderer: ${BUILD_LOCK} stayed locked` };
  // Stopped mid-build (Ctrl-C, a test's SIGTERM): stop vite and free the lock before exiting.
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    abort.abort();
    release();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!rendererNeedsBuild(rendererDist, inputs)) return { ok: true, built: false };
    return await buildRenderer(abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    release();
  }
}

const BUILD_LOCK = join(repoRoot, 'node_modules', '.cache', 'guardline-renderer-build.lock');
const LOCK_WAIT_MS = 3 * 60_000;

async function buildRenderer(signal: AbortSignal): Promise<BuildOutcome> {
  const vite = packageBin('vite/bin/vite.js');
  if (!vite) return { ok: false, message: 'cannot build the renderer: vite is not installed (run npm ci)' };
  if (!existsSync(join(repoRoot, RENDERER_CONFIG))) {
    return { ok: false, message: `cannot build the renderer: ${RENDERER_CONFIG} is missing` };
  }
  process.stderr.write('Building the renderer (dist-renderer/ is missing or older than its sources)...\n');
  const code = await runNodeBin(vite, ['build', '--config', RENDERER_CONFIG], signal);
  if (code !== 0) return { ok: false, message: `renderer build failed (vite exited with code ${code})` };
  return { ok: true, built: true };
}
