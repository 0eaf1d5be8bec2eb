/** Runs a start script (`scripts/start-web.ts`, `scripts/start.ts`) as `npm run` would, to its exit. */
import { spawn } from 'node:child_process';
import { READY_LINE } from '../../e2e/harness.ts';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run `entry` with `args` and the web root `webRoot` until it exits (the test timeout bounds a
 * hang) and collect what it said. `stopWhenReady`: SIGTERM it once it prints the web host's
 * ready line, so a script that started although it should not have fails on the assertions.
 */
export function runStartScript(
  entry: string,
  args: string[],
  webRoot: string,
  { stopWhenReady }: { stopWhenReady: boolean },
): Promise<ScriptRun> {
  const child = spawn(process.execPath, [entry, ...args], {
    env: { ...process.env, GUARDLINE_WEB_ROOT: webRoot, GUARDLINE_NO_OPEN: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
    if (stopWhenReady && READY_LINE.test(stdout)) child.kill('SIGTERM');
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
