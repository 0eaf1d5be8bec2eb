/**
 * Keep `dist-renderer/` current before a host serves it: rebuild when the build is
 * missing or older than any renderer source, so `npm run start:web` never serves a
 * stale UI and never rebuilds needlessly.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
  const vite = packageBin('vite/bin/vite.js');
  if (!vite) return { ok: false, message: 'cannot build the renderer: vite is not installed (run npm ci)' };
  if (!existsSync(join(repoRoot, RENDERER_CONFIG))) {
    return { ok: false, message: `cannot build the renderer: ${RENDERER_CONFIG} is missing` };
  }
  process.stderr.write('Building the renderer (dist-renderer/ is missing or older than its sources)...\n');
  const code = await runNodeBin(vite, ['build', '--config', RENDERER_CONFIG]);
  if (code !== 0) return { ok: false, message: `renderer build failed (vite exited with code ${code})` };
  return { ok: true, built: true };
}
