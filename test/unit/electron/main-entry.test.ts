import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, FakeEvent, FakeTray, fake } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const dataDir = mkdtempSync(join(tmpdir(), 'guardline-main-'));
fake.app.userData = dataDir;
// The entry starts the shell as soon as it is loaded, exactly as Electron loads it.
await import('../../../src-main/electron/main.ts');
await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));

afterAll(async () => {
  // Quit as Electron would, so the shell closes its store before the folder goes.
  fake.app.emit('will-quit', new FakeEvent());
  await vi.waitFor(() => expect(fake.app.quitCalls).toBe(1));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Electron entry', () => {
  // Built, main.ts is out/main/index.js; here it is src-main/electron/main.ts: either way its
  // parent folder holds preload/ and renderer/ side by side.
  const outDir = join(import.meta.dirname, '../../../src-main');

  it('points the window at the built preload (CommonJS) and renderer next to main', () => {
    const window = FakeBrowserWindow.instances[0]!;
    expect((window.options.webPreferences as Record<string, unknown>).preload).toBe(
      join(outDir, 'preload', 'index.cjs'),
    );
    // The renderer folder is served as app://guardline/, never loaded from file://.
    expect(window.loadedUrl).toBe('app://guardline/index.html');
    expect(window.loadedFile).toBeNull();
    expect(fake.protocol.handlers.has('app')).toBe(true);
    expect(fake.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });

  it('loads tray and window icons from the shipped assets folder', () => {
    expect(FakeTray.instances[0]?.image).toEqual({ path: join(process.cwd(), 'assets', 'tray', 'tray-unknown.png') });
    expect(FakeBrowserWindow.instances[0]!.options.icon).toBe(join(process.cwd(), 'assets', 'icons', '256x256.png'));
  });
});
