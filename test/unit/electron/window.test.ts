import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetFakeElectron, type FakeBrowserWindow } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const { createMainWindow, focusWindow } = await import('../../../src-main/electron/window.ts');

const open = (devServerUrl: string | null = null) =>
  createMainWindow({
    preloadFile: '/app/out/preload/index.cjs',
    isDev: devServerUrl !== null,
  }) as unknown as FakeBrowserWindow;

beforeEach(() => resetFakeElectron());

describe('console window', () => {
  it('isolates and sandboxes the page, with no Node and no way around web security', () => {
    const prefs = open().options.webPreferences as Record<string, unknown>;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('sets every secure preference and nothing beyond the reviewed set', () => {
    expect(open().options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      devTools: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      navigateOnDragDrop: false,
      autoplayPolicy: 'no-user-gesture-required',
      backgroundThrottling: false,
    });
  });

  it('lets an alarm sound without a prior click, also while the window is hidden', () => {
    const prefs = open().options.webPreferences as Record<string, unknown>;
    expect(prefs.autoplayPolicy).toBe('no-user-gesture-required');
    expect(prefs.backgroundThrottling).toBe(false);
  });

  it('has DevTools only under the dev server', () => {
    expect((open().options.webPreferences as Record<string, unknown>).devTools).toBe(false);
    expect((open('http://localhost:5173').options.webPreferences as Record<string, unknown>).devTools).toBe(true);
  });

  it('opens at 1280×800, no smaller than 1024×640, hidden (page-load.ts shows it)', () => {
    const window = open();
    expect(window.options).toMatchObject({ width: 1280, height: 800, minWidth: 1024, minHeight: 640, show: false });
    expect(window.visible).toBe(false);
    expect(window.loadedUrl).toBeNull();
    expect(window.loadedFile).toBeNull();
  });

  it('restores, shows and focuses a minimised window when brought to the front', () => {
    const window = open();
    window.minimized = true;
    focusWindow(window as never);
    expect(window.minimized).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.focused).toBe(1);
    focusWindow(null);
  });
});
