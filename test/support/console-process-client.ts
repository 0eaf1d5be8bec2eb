/** The test's side of test/support/console-process.ts: start it (in a namespace), call it, stop it. */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SyncStatus } from '../../src-shared/sync.ts';
import type { ConsoleProcessOptions } from './console-process.ts';

export const CONSOLE_PROCESS_SCRIPT = fileURLToPath(new URL('./console-process.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

export interface ConsoleProcess {
  deviceId: string;
  mesh: string;
  call<T = unknown>(method: string, input?: unknown): Promise<T>;
  status(): Promise<SyncStatus>;
  /** stderr so far (the console's log), for assertions and failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** `spawn(command, args)` runs the console's node (e.g. inside a namespace). */
export async function startConsoleProcess(
  spawn: (command: string, args: string[]) => ChildProcess,
  options: ConsoleProcessOptions,
): Promise<ConsoleProcess> {
  const child = spawn(process.execPath, [CONSOLE_PROCESS_SCRIPT, JSON.stringify(options)]);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: string }>();
  let next = 0;
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<{ deviceId: string; mesh: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`console ${options.name} not ready in ${READY_TIMEOUT_MS} ms\n${stderr}`)),
      READY_TIMEOUT_MS,
    );
    void exited.then(() => reject(new Error(`console ${options.name} exited before ready\n${stderr}`)));
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(6)) as { deviceId: string; mesh: string });
        return;
      }
      const answer = JSON.parse(line) as { id: number; ok: boolean; value?: unknown; error?: unknown };
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      if (answer.ok) p.resolve(answer.value);
      else p.reject(new Error(`${options.name}: ${p.method}: ${JSON.stringify(answer.error)}`));
    });
  });
  const info = await ready.catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const call = <T>(method: string, input: unknown = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      child.stdin!.write(`${JSON.stringify({ id, method, input })}\n`);
    });
  return {
    ...info,
    call,
    status: () => call<SyncStatus>('test.status'),
    log: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.stdin!.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
