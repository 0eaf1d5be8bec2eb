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
import Database from 'better-sqlite3';
import { _electron, chromium, type Page } from 'playwright-core';
import { chooseHost, probeElectron } from './electron-probe.ts';
import { packageBin, repoRoot, runNodeBin } from './node-bin.ts';

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

const ADMIN = { staffNumber: 'SMOKE1', name: 'Smoke Test', pin: '135790' };
const dataDir = mkdtempSync(join(tmpdir(), 'guardline-smoke-'));
const output: string[] = [];
const started = Date.now();

function say(line: string): void {
  process.stdout.write(`smoke: ${line}\n`);
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    const result = await run();
    say(`${name} … ok (${Date.now() - t0} ms)`);
    return result;
  } catch (error) {
    say(`${name} … FAILED: ${(error as Error).message}`);
    throw error;
  }
}

/** Polls until `check` returns a value (not undefined/false), within the run's time limit. */
async function until<T>(what: string, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
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

type Call = <T = Record<string, unknown>>(method: string, input?: unknown) => Promise<T>;

function pageCall(page: Page): Call {
  return async (method, input = {}) => {
    const result = await page.evaluate(async ([m, i]) => window.guardline!.invoke(m as never, i), [
      method,
      input,
    ] as const);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.value as never;
  };
}

interface Driven {
  page: Page;
  /** Window state as the shell sees it (main process), or as the page sees it (packaged). */
  windowState(): Promise<{ visible: boolean; onTop: boolean | null; windows: number | null }>;
  closeWindow(): Promise<void>;
  quit(): Promise<number | null>;
}

async function driveUnpacked(binary: string): Promise<Driven> {
  const app = await _electron.launch({
    executablePath: binary,
    args: ['.', '--data-dir', dataDir],
    cwd: repoRoot,
    timeout: timeoutMs,
  });
  collect(app.process());
  const page = await app.firstWindow({ timeout: timeoutMs });
  return {
    page,
    windowState: () =>
      app.evaluate(({ BrowserWindow }) => {
        const all = BrowserWindow.getAllWindows();
        const w = all[0];
        return {
          visible: !!w && w.isVisible() && !w.isMinimized(),
          onTop: w ? w.isAlwaysOnTop() : null,
          windows: all.length,
        };
      }),
    closeWindow: () => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close()),
    async quit() {
      const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
      await app.close();
      return exited;
    },
  };
}

async function drivePackaged(executable: string): Promise<Driven> {
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
    page,
    windowState: async () => ({
      visible: await page.evaluate(() => document.visibilityState === 'visible'),
      onTop: null,
      windows: null,
    }),
    // In Electron a page's window.close() closes its BrowserWindow through the same
    // cancellable 'close' as the title bar's button, which the shell turns into hide().
    closeWindow: () => page.evaluate(() => window.close()),
    async quit() {
      await browser.close().catch(() => {});
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function main(): Promise<void> {
  let driven: Driven;
  if (values.app) {
    say(`packaged app ${values.app}, data dir ${dataDir}`);
    driven = await step('start the packaged app', () => drivePackaged(values.app!));
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
      await step('electron-vite build', async () => {
        const code = await runNodeBin(electronVite, ['build']);
        if (code !== 0) throw new Error(`exit code ${code}`);
      });
    }
    say(`electron ${choice.binary}, data dir ${dataDir}`);
    driven = await step('start electron .', () => driveUnpacked(choice.binary));
  }
  const { page } = driven;
  const call = pageCall(page);

  await step('the window shows the console from app://guardline/', async () => {
    await page.waitForFunction(() => typeof window.guardline?.invoke === 'function', null, { timeout: timeoutMs });
    if (!page.url().startsWith('app://guardline/')) throw new Error(`page is ${page.url()}`);
    await until('window visible', async () => (await driven.windowState()).visible);
  });

  const info = await step('sign in as the first admin', async () => {
    const session = await call<{ rosterEmpty: boolean }>('auth.session');
    if (!session.rosterEmpty) throw new Error('a fresh data dir should have an empty roster');
    await call('auth.bootstrapAdmin', ADMIN);
    return call<{ unit: string; facility: string; host: string }>('system.info');
  });
  if (info.host !== 'electron') throw new Error(`host is ${info.host}`);

  await step('closing the window hides it; the app keeps running', async () => {
    await driven.closeWindow();
    await until('window hidden', async () => !(await driven.windowState()).visible);
    const state = await driven.windowState();
    if (state.windows !== null && state.windows !== 1) throw new Error(`${state.windows} windows`);
    await call('system.info'); // the core still answers
  });

  const incident = await step('raise a test alarm (high-severity incident on this unit)', async () => {
    const created = await call<{ id: string }>('incidents.create', {
      facility: info.facility,
      unit: info.unit,
      category: 'threat',
      severity: 'high',
      title: 'Röktest: larm',
      description: 'Skapat av npm run smoke:electron.',
      peopleInvolved: [],
      location: 'Röktest',
      occurredAt: new Date().toISOString(),
      reportedBy: ADMIN.staffNumber,
    });
    await until('the alarm stands', async () => (await call<{ alarms: unknown[] }>('alarms.list')).alarms.length > 0);
    return created;
  });

  await step('the alarm brings the window back (on top)', async () => {
    const state = await until('window visible again', async () => {
      const s = await driven.windowState();
      return s.visible && (s.onTop === null || s.onTop) ? s : undefined;
    });
    if (state.onTop === null) say('  (packaged: on-top state is not readable over CDP)');
  });

  await step('the event log holds the incident and its escalation', async () => {
    const { items } = await call<{ items: { type: string }[] }>('audit.query', { incidentId: incident.id });
    const types = new Set(items.map((e) => e.type));
    for (const type of ['incident.created', 'escalation.started']) {
      if (!types.has(type)) throw new Error(`no ${type} in the log (${[...types].join(', ')})`);
    }
  });

  await step('the shell logged no error', async () => {
    const errors = output.filter((l) => /\[guardline\].*(fail|error)/i.test(l));
    if (errors.length > 0) throw new Error(errors.slice(0, 5).join(' | '));
  });

  await step('acknowledge the alarm', async () => {
    const { items } = await call<{ items: { escalationId: string; incidentId: string }[] }>('escalation.list', {});
    const escalation = items.find((e) => e.incidentId === incident.id);
    if (!escalation) throw new Error('no escalation for the test incident');
    await call('escalation.acknowledge', { escalationId: escalation.escalationId });
    await until('no alarm stands', async () => (await call<{ alarms: unknown[] }>('alarms.list')).alarms.length === 0);
  });

  const code = await step('quit', () => driven.quit());
  if (code !== 0) throw new Error(`the app exited with code ${code}`);

  await step('the data file is intact after quitting', async () => {
    const db = new Database(join(dataDir, 'guardline.sqlite'), { readonly: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new Error(`integrity_check: ${String(integrity)}`);
      const { n } = db.prepare("SELECT count(*) AS n FROM events WHERE type = 'incident.created'").get() as {
        n: number;
      };
      if (n !== 1) throw new Error(`${n} incident.created events`);
    } finally {
      db.close();
    }
  });
  say(`passed in ${Date.now() - started} ms`);
}

try {
  await main();
} catch {
  // The failed step has been printed; the app's last words help find why.
  if (output.length > 0) say(`app output (last 20 lines):\n${output.slice(-20).join('\n')}`);
  process.exitCode = 1;
} finally {
  if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
  else say(`data kept in ${dataDir}`);
}
