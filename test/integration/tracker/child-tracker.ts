/** Runs `src-tracker/main.ts` as a real child process, as `npm run tracker` would. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TRACKER_READY_PREFIX } from '../../../src-tracker/config.ts';

const mainScript = fileURLToPath(new URL('../../../src-tracker/main.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

export interface ChildTracker {
  url: string;
  pid: number;
  output(): string;
  /** Resolves when a line of output matches (already printed or still to come). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  signal(signal: NodeJS.Signals): void;
  /** Exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  kill(): Promise<void>;
}

export async function startChildTracker(options: {
  args: string[];
  env: Record<string, string>;
}): Promise<ChildTracker> {
  const child = spawn(process.execPath, [mainScript, '--port', '0', '--host', '127.0.0.1', ...options.args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const listener of listeners) listener();
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  let done = false;
  void exited.then(() => (done = true));

  const waitForLine = (pattern: RegExp, timeoutMs = READY_TIMEOUT_MS) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = output.split('\n').find((l) => pattern.test(l));
        if (line !== undefined) {
          finish();
          resolve(line);
        } else if (done) {
          finish();
          reject(new Error(`tracker exited before printing ${pattern}\n${output}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`tracker did not print ${pattern} within ${timeoutMs} ms\n${output}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  const readyLine = await waitForLine(new RegExp(`^${TRACKER_READY_PREFIX}`)).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    url: readyLine.slice(TRACKER_READY_PREFIX.length).trim(),
    pid: child.pid!,
    output: () => output,
    waitForLine,
    signal: (signal) => child.kill(signal),
    exited,
    async kill() {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
}
