import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { takeInstanceLock } from '../../../src-main/core/instance-lock.ts';
import { IPC_INVOKE_CHANNEL, type CallResult } from '../../../src-shared/transport.ts';
import { FakeBrowserWindow, FakeEvent, FakeNotification, FakeTray, SHELL_PATHS, fake } from './fake-electron.ts';
import { fakeUpdater } from './fake-updater.ts';
import { shellsUnderTest } from './shells-under-test.ts';
import { createSyncSettings } from '../../../src-main/core/sync/settings.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);
// electron-updater at its edge: the AppUpdater properties and events the shell uses.
vi.mock('electron-updater', async () => (await import('./fake-updater.ts')).updaterModule);

const { startConsoleShell } = await import('../../../src-main/electron/lifecycle.ts');

const paths = SHELL_PATHS;
const shells = shellsUnderTest(startConsoleShell, 'guardline-shell-');
const { freshDir } = shells;
const start = (argv: string[], env: NodeJS.ProcessEnv = {}) => shells.start(argv, { env });
const startRunning = (argv: string[], env: NodeJS.ProcessEnv = {}) => shells.startRunning(argv, { env });

const onlyWindow = () => {
  expect(FakeBrowserWindow.instances).toHaveLength(1);
  return FakeBrowserWindow.instances[0]!;
};

describe('Electron shell lifecycle', () => {
  it('quits at once as a second instance, opening no store and no window', async () => {
    fake.app.lockGranted = false;
    const dataDir = freshDir();
    expect(await start(['--data-dir', dataDir]).ready).toBeNull();
    expect(fake.app.quitCalls).toBe(1);
    expect(FakeBrowserWindow.instances).toEqual([]);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(existsSync(join(dataDir, 'guardline.sqlite'))).toBe(false);
  });

  it('brings the running console to the front when started again', async () => {
    await startRunning(['--data-dir', freshDir()]);
    const window = onlyWindow();
    window.minimized = true;
    fake.app.emit('second-instance', new FakeEvent(), ['--data-dir', 'x'], '/');
    expect(window.minimized).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.focused).toBe(1);
  });

  it('opens a sandboxed, guarded window on its data dir and answers the page over IPC', async () => {
    const dataDir = freshDir();
    const running = await startRunning(['--data-dir', dataDir, '--facility', 'Testanstalten']);
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.app.setPaths).toEqual([['userData', dataDir]]);

    const window = onlyWindow();
    expect(window.loadedUrl).toBe('app://guardline/index.html');
    expect((window.options.webPreferences as Record<string, unknown>).preload).toBe(paths.preloadFile);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(fake.session.permissionRequestHandler).not.toBeNull();
    expect(fake.session.beforeRequest).not.toBeNull();

    const result = (await fake.ipcMain.invokeFrom(
      window.webContents,
      window.webContents.mainFrame,
      IPC_INVOKE_CHANNEL,
      {
        method: 'system.info',
        input: {},
      },
    )) as CallResult;
    expect(result).toMatchObject({
      ok: true,
      value: { host: 'electron', facility: 'Testanstalten', dataFile: join(dataDir, 'guardline.sqlite') },
    });
    expect(running.core.info().dataFile).toBe(join(dataDir, 'guardline.sqlite'));
    expect(FakeTray.instances[0]?.tooltip).toBe('Guardline – status okänd');
    expect((fake.applicationMenu?.template as { label?: string }[]).map((m) => m.label)).toContain('Arkiv');
  });

  it('keeps its data in Electron’s userData dir when no --data-dir is given', async () => {
    fake.app.userData = freshDir();
    const running = await startRunning([]);
    expect(running.options.dataDir).toBe(fake.app.userData);
    expect(running.core.info().dataFile).toBe(join(fake.app.userData, 'guardline.sqlite'));
    expect(fake.app.setPaths).toEqual([]);
  });

  it('closes the core before it quits, then lets the quit through', async () => {
    const running = await startRunning(['--data-dir', freshDir()]);
    const first = new FakeEvent();
    fake.app.emit('will-quit', first);
    expect(first.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(1));
    expect(() => running.core.store.verifyChain()).toThrow(/not open/);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(FakeTray.instances[0]?.destroyed).toBe(true);

    const second = new FakeEvent();
    fake.app.emit('will-quit', second);
    expect(second.defaultPrevented).toBe(false);
  });

  it('refuses a store written by a newer Guardline with one clear dialog, and exits', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, 'guardline.sqlite'));
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (999);');
    db.close();

    expect(await start(['--data-dir', dataDir]).ready).toBeNull();
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]!.title).toBe('Guardline kan inte starta');
    expect(fake.errorBoxes[0]!.content).toMatch(/newer Guardline/);
    expect(fake.app.exitCodes).toEqual([1]);
    expect(FakeBrowserWindow.instances).toEqual([]);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('refuses a data dir a browser host already runs on, naming its address, and opens no store', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir, { recursive: true });
    const web = takeInstanceLock(dataDir, 'web');
    if (!web.ok) throw new Error('the test could not take the lock');
    web.lock.setUrl('http://127.0.0.1:4321/');
    try {
      expect(await start(['--data-dir', dataDir]).ready).toBeNull();
      expect(fake.errorBoxes).toHaveLength(1);
      expect(fake.errorBoxes[0]!.content).toContain('http://127.0.0.1:4321/');
      expect(fake.app.exitCodes).toEqual([1]);
      expect(FakeBrowserWindow.instances).toEqual([]);
      expect(existsSync(join(dataDir, 'guardline.sqlite'))).toBe(false);
    } finally {
      web.lock.release();
    }
  });

  it('holds its data dir while running and lets it go when it quits', async () => {
    const dataDir = freshDir();
    await startRunning(['--data-dir', dataDir]);
    expect(takeInstanceLock(dataDir, 'web').ok).toBe(false);
    const quit = new FakeEvent();
    fake.app.emit('will-quit', quit);
    await vi.waitFor(() => expect(fake.app.quitCalls).toBeGreaterThan(0));
    const after = takeInstanceLock(dataDir, 'web');
    expect(after.ok).toBe(true);
    if (after.ok) after.lock.release();
  });

  it('refuses bad launch options with a dialog instead of starting', async () => {
    expect(await start(['--port', 'many']).ready).toBeNull();
    expect(fake.errorBoxes[0]?.content).toMatch(/--port/);
    expect(fake.app.exitCodes).toEqual([1]);
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app and loads its own files', async () => {
    fake.app.isPackaged = true;
    await startRunning(['--data-dir', freshDir()], { ELECTRON_RENDERER_URL: 'https://evil.example/' });
    const window = onlyWindow();
    expect(window.loadedUrls).toEqual(['app://guardline/index.html']);
    expect((window.options.webPreferences as Record<string, unknown>).devTools).toBe(false);
  });

  it('loads the dev server, with DevTools, under electron-vite dev', async () => {
    await startRunning(['--data-dir', freshDir()], { ELECTRON_RENDERER_URL: 'http://localhost:5173' });
    const window = onlyWindow();
    expect(window.loadedUrl).toBe('http://localhost:5173/');
    expect((window.options.webPreferences as Record<string, unknown>).devTools).toBe(true);
  });
  it('updates from the enrolled tracker in use, shows it on the page and installs it at the next quit', async () => {
    const running = await startRunning(['--data-dir', freshDir()]);
    expect(fakeUpdater.feeds).toEqual([]); // not enrolled: nowhere to look
    createSyncSettings(running.core.store).saveEnrolment(
      'http://127.0.0.1:9 http://127.0.0.1:10',
      'gld_dev',
      'anstalt-a',
    );
    running.updates.check();
    expect(fakeUpdater.feeds).toEqual(['http://127.0.0.1:9/updates/']);
    expect(fakeUpdater.requestHeaders).toEqual({ authorization: 'Bearer gld_dev' });
    expect(fakeUpdater.autoDownload).toBe(true);
    expect(fakeUpdater.autoInstallOnAppQuit).toBe(false);

    const window = onlyWindow();
    const status = async () =>
      (
        (await fake.ipcMain.invokeFrom(window.webContents, window.webContents.mainFrame, IPC_INVOKE_CHANNEL, {
          method: 'update.status',
          input: {},
        })) as CallResult & { ok: true }
      ).value;
    await vi.waitFor(() => expect(fakeUpdater.autoInstallOnAppQuit).toBe(false));
    fakeUpdater.emit('update-downloaded', { version: '9.9.9' });
    expect(await status()).toEqual({ state: 'ready', version: '9.9.9', error: null });
    expect(fakeUpdater.autoInstallOnAppQuit).toBe(true);
    expect(FakeNotification.instances.at(-1)?.options.body).toMatch(/9\.9\.9 .*startas om/);
    expect(window.webContents.sent.some((m) => JSON.stringify(m.args).includes('update.changed'))).toBe(true);

    fakeUpdater.emit('error', new Error('HttpError: 404 Not Found'));
    expect(await status()).toEqual({ state: 'ready', version: '9.9.9', error: 'HttpError: 404 Not Found' });
  });
});
