/**
 * Console shells started behind the fake Electron, for a test file: a fresh Electron and
 * updater before each test, every shell that came up closed after it, each on a data
 * directory of its own under one temp root, removed after the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import type { RunningShell, ShellHandle, startConsoleShell } from '../../../src-main/electron/lifecycle.ts';
import { SHELL_PATHS, fake, resetFakeElectron } from './fake-electron.ts';
import { resetFakeUpdater } from './fake-updater.ts';

export interface ShellStartOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export interface ShellsUnderTest {
  /** A data directory no shell of this file has used. */
  freshDir(): string;
  /** Start a shell on SHELL_PATHS; it is closed after the test if it comes up. */
  start(argv: string[], options?: ShellStartOptions): ShellHandle;
  /** Start a shell that must come up (throws with the error boxes shown if it does not). */
  startRunning(argv: string[], options?: ShellStartOptions): Promise<RunningShell>;
}

/** `start` is the shell's `startConsoleShell`, imported by the test file after its `vi.mock('electron')`. */
export function shellsUnderTest(start: typeof startConsoleShell, tempPrefix: string): ShellsUnderTest {
  const tempRoot = mkdtempSync(join(tmpdir(), tempPrefix));
  let dirNo = 0;
  const started: RunningShell[] = [];

  beforeEach(() => {
    resetFakeElectron();
    resetFakeUpdater();
  });
  afterEach(async () => {
    for (const running of started.splice(0)) await running.core.close().catch(() => {});
  });
  afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

  const self: ShellsUnderTest = {
    freshDir: () => join(tempRoot, `data-${dirNo++}`),
    start(argv, { env = {}, platform } = {}) {
      const handle = start({ argv, env, paths: SHELL_PATHS, ...(platform ? { platform } : {}) });
      void handle.ready.then((running) => running && started.push(running));
      return handle;
    },
    async startRunning(argv, options) {
      const running = await self.start(argv, options).ready;
      if (!running) throw new Error(`the shell did not start: ${JSON.stringify(fake.errorBoxes)}`);
      return running;
    },
  };
  return self;
}
