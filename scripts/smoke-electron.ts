/**
 * `npm run smoke:electron`: the real Electron shell, end to end, on a machine where the
 * Electron binary runs (not our build machines; not part of `npm test`). Issue 14.
 *
 *   npm run smoke:electron                       builds out/ and drives `electron .`
 *   npm run smoke:electron -- --no-build         drives an existing out/
 *   npm run smoke:electron -- --app <exe>        drives a packaged app (release/…)
 *
 * Each run: a fresh temp data dir, wait for the window, sign in (first admin), close the
 * window (it must hide, not quit), raise a test alarm with a high-severity incident (the
 * window must come back, on top), check the console's event log and the shell's output,
 * acknowledge, quit, and check the data file afterwards. Every step prints a line; the
 * first failure stops the run with exit code 1 (2: Electron cannot run here).
 *
 * `electron .` is driven through Playwright's Electron support (main-process checks
 * included). A packaged app has the `--inspect` fuse off, so Playwright cannot attach to
 * its main process: it is started with Chromium's `--remote-debugging-port` instead, the
 * page is driven over CDP, window state is read from the page, and it quits on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { _electron, chromium, type Page } from 'playwright-core';
import { chooseHost, probeElectron } from './electron-probe.ts';
import { packageBin, repoRoot, runNodeBin } from './node-bin.ts';
import { smokeConsole, type SmokeCall, type SmokeTarget } from './smoke-console.ts';

const { values } = parseArgs({
  options: {
    app: { type: 'string' },
    'no-build': { type: 'boolean' },
    keep: { type: 'boolean' },
    'timeout-seconds': { type: 'string' },
  },
});
const timeoutMs = Number(values['timeout-seconds'] ?? '60') * 1000;
if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
  process.stderr.write('smoke: --timeout-seconds must be a positive number\n');
  process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'guardline-smoke-'));
const output: string[] = [];
const started = Date.now();

function say(line: string): void {
  process.stdout.write(`smoke: ${line}\n`);
}

/** Polls until `check` gives a value, within the run's time limit. */
async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ''}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function collect(child: ChildProcess): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean)));
  }
}

/** Calls through the preload's bridge, as the console page does. */
function bridgeCall(page: Page): SmokeCall {
  return async (method, input = {}) => {
    const result = await page.evaluate(async ([m, i]) => window.guardline!.invoke(m as never, i), [
      method,
      input,
    ] as const);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.value as never;
  };
}

const bridgeReady = (page: Page) => async () => {
  await page.waitForFunction(() => typeof window.guardline?.invoke === 'function', null, { timeout: timeoutMs });
  return page.url();
};

async function driveUnpacked(binary: string): Promise<SmokeTarget> {
  const app = await _electron.launch({
    executablePath: binary,
    args: ['.', '--data-dir', dataDir],
    cwd: repoRoot,
    timeout: timeoutMs,
  });
  collect(app.process());
  const page = await app.firstWindow({ timeout: timeoutMs });
  return {
    host: 'electron',
    dataDir,
    call: bridgeCall(page),
    pageReady: bridgeReady(page),
    window: {
      state: () =>
        app.evaluate(({ BrowserWindow }) => {
          const all = BrowserWindow.getAllWindows();
          const w = all[0];
          return {
            visible: !!w && w.isVisible() && !w.isMinimized(),
            onTop: w ? w.isAlwaysOnTop() : null,
            windows: all.length,
          };
        }),
      close: () => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close()),
    },
    output: () => output,
    async quit() {
      const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
      await app.close();
      return exited;
    },
  };
}

async function drivePackaged(executable: string): Promise<SmokeTarget> {
  const port = await freePort();
  const child = spawn(executable, ['--data-dir', dataDir, `--remote-debugging-port=${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  collect(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const browser = await until('the app opens its debugging port', () =>
    chromium.connectOverCDP(`http://127.0.0.1:${port}`),
  );
  const page = await until('the console page exists', async () =>
    browser
      .contexts()
      .flatMap((c) => c.pages())
      .find((p) => p.url().startsWith('app://guardline/')),
  );
  return {
    host: 'electron',
    dataDir,
    call: bridgeCall(page),
    pageReady: bridgeReady(page),
    window: {
      state: async () => ({
        visible: await page.evaluate(() => document.visibilityState === 'visible'),
        onTop: null,
        windows: null,
      }),
      // In Electron a page's window.close() closes its BrowserWindow through the same
      // cancellable 'close' as the title bar's button, which the shell turns into hide().
      close: () => page.evaluate(() => window.close()),
    },
    output: () => output,
    async quit() {
      await browser.close().catch(() => {});
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function main(): Promise<void> {
  let target: SmokeTarget;
  if (values.app) {
    say(`packaged app ${values.app}, data dir ${dataDir}`);
    target = await drivePackaged(values.app);
  } else {
    const choice = chooseHost(await probeElectron());
    if (choice.host !== 'electron') {
      say(choice.notice.replace(/starting the browser host instead\.$/, 'the smoke test needs it.'));
      process.exitCode = 2;
      return;
    }
    if (!values['no-build']) {
      const electronVite = packageBin('electron-vite/bin/electron-vite.js');
      if (!electronVite) throw new Error('electron-vite is not installed (npm ci)');
      say('electron-vite build …');
      const code = await runNodeBin(electronVite, ['build']);
      if (code !== 0) throw new Error(`electron-vite build: exit code ${code}`);
    }
    say(`electron ${choice.binary}, data dir ${dataDir}`);
    target = await driveUnpacked(choice.binary);
  }
  await smokeConsole(target, { timeoutMs, say });
  say(`passed in ${Date.now() - started} ms`);
}

try {
  await main();
} catch (error) {
  say(`failed: ${(error as Error).message}`);
  // The app's last words help find why.
  if (output.length > 0) say(`app output (last 20 lines):\n${output.slice(-20).join('\n')}`);
  process.exitCode = 1;
} finally {
  if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
  else say(`data kept in ${dataDir}`);
}
