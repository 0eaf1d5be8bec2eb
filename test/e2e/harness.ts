/**
 * End-to-end harness: runs the real `npm run start:web` script as a child process and
 * drives the system Chromium through playwright-core. The Electron binary cannot be
 * installed on the build machines, so the browser host is what e2e tests exercise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const startWebScript = fileURLToPath(new URL('../../scripts/start-web.ts', import.meta.url));

/** The one line `scripts/start-web.ts` prints once the host listens. */
export const READY_LINE = /^Guardline web host: (http:\/\/\S+)$/m;

const READY_TIMEOUT_MS = 30_000;

export interface RunningWebHost {
  /** `http://127.0.0.1:<port>/#token=<token>` */
  url: string;
  /** The child's stdout and stderr so far, for assertions and failure messages. */
  output(): string;
  /** SIGTERM (clean shutdown) and wait for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL (crash) and wait for the process to exit. */
  kill(): Promise<void>;
  /** The host's process id, e.g. to SIGSTOP it so a call is caught in flight. */
  pid: number;
}

export async function startWebHost(opts: { dataDir: string; env?: Record<string, string> }): Promise<RunningWebHost> {
  // GUARDLINE_WEB_HOST_NODE_ARGS="<flags>": Node/V8 flags on the host's command line, for those
  // Node refuses in NODE_OPTIONS (V8's heap sizes set when the heap is made: --min-semi-space-size,
  // --initial-heap-size…; round 12ab measured them on the mesh bench's receiving console).
  const nodeArgs = (process.env.GUARDLINE_WEB_HOST_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(
    process.execPath,
    [...nodeArgs, startWebScript, '--data-dir', opts.dataDir, '--port', '0', '--no-open'],
    {
      cwd: repoRoot,
      env: { ...process.env, GUARDLINE_NO_OPEN: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`web host not ready after ${READY_TIMEOUT_MS} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: string) => {
      stdout += chunk;
      const match = READY_LINE.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(
        new Error(
          `web host exited (code ${code}, signal ${signal}) before ready\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
  // Keep draining stdout after ready so the child never blocks on a full pipe.
  child.stdout.on('data', (chunk: string) => (stdout += chunk));

  return {
    url,
    output: () => `${stdout}${stderr}`,
    stop: () => endChild(child, 'SIGTERM', exited),
    kill: () => endChild(child, 'SIGKILL', exited),
    pid: child.pid!,
  };
}

async function endChild(child: ChildProcess, signal: NodeJS.Signals, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  await exited;
}

/** `extraArgs` for tests that need more, e.g. `--host-resolver-rules` to play a rebound DNS name. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}
