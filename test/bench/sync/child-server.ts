/**
 * Runs a baseline server script as its own process, like the tracker: each server
 * gets a core of its own and the client's work never shares its event loop. The
 * script prints `READY <url>` once it listens.
 */
import { spawn } from 'node:child_process';

export const READY = 'READY ';

export interface ChildServer {
  url: string;
  kill(): Promise<void>;
}

export async function startChildServer(
  script: URL,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<ChildServer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, [script.pathname, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${script.pathname}: ${why}\n${output}`));
    };
    let ready = false;
    const onData = (chunk: Buffer) => {
      if (ready) return;
      output += chunk.toString('utf8');
      const line = output.split('\n').find((l) => l.startsWith(READY));
      if (line === undefined) return;
      ready = true;
      clearTimeout(timer);
      resolve(line.slice(READY.length).trim());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => fail('exited before it was ready'));
  });
  return {
    url,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
