/**
 * A console window that never appears leaves staff with a tray icon only. The fake
 * window records what was loaded and shown; the test emits what Chromium would
 * (ready-to-show, did-fail-load, render-process-gone); fake timers drive retries.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, FakeEvent, resetFakeElectron } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const { superviseLoading, RETRY_MS, SHOW_WITHIN_MS } = await import('../../../src-main/electron/page-load.ts');
const { shellText } = await import('../../../src-main/electron/shell-text.ts');

const PAGE = 'app://guardline/index.html';
let logged: string[];

function supervised(options: { startHidden?: boolean } = {}) {
  const window = new FakeBrowserWindow({ show: false });
  const stop = superviseLoading(window as never, {
    url: PAGE,
    text: shellText('sv-SE'),
    log: (m) => logged.push(m),
    ...options,
  });
  return { window, stop };
}

const failLoad = (window: FakeBrowserWindow, code = -105, isMainFrame = true, url = PAGE) =>
  window.webContents.emit('did-fail-load', new FakeEvent(), code, 'ERR_NAME_NOT_RESOLVED', url, isMainFrame);
const crash = (window: FakeBrowserWindow, reason = 'crashed') =>
  window.webContents.emit('render-process-gone', new FakeEvent(), { reason, exitCode: 139 });
const decoded = (url: string | null) => decodeURIComponent(url ?? '');

beforeEach(() => {
  resetFakeElectron();
  vi.useFakeTimers();
  logged = [];
});
afterEach(() => vi.useRealTimers());

describe('loading the console page', () => {
  it('loads the app page and shows the window once it is ready to show', () => {
    const { window } = supervised();
    expect(window.loadedUrls).toEqual([PAGE]);
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('shows the window anyway when ready-to-show never comes', async () => {
    const { window } = supervised();
    await vi.advanceTimersByTimeAsync(SHOW_WITHIN_MS - 1);
    expect(window.visible).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(window.visible).toBe(true);
    expect(logged.join()).toMatch(/not ready within/);
  });

  it('stays in the tray when started hidden at log-in', async () => {
    const { window } = supervised({ startHidden: true });
    window.emit('ready-to-show');
    await vi.advanceTimersByTimeAsync(SHOW_WITHIN_MS * 2);
    expect(window.visible).toBe(false);
  });

  it('shows an error page when the page fails to load, and retries until it loads', async () => {
    const { window } = supervised();
    failLoad(window);
    expect(window.visible).toBe(true);
    expect(window.loadedUrl).toMatch(/^data:text\/html/);
    expect(decoded(window.loadedUrl)).toContain('Konsolen kunde inte visas');
    expect(decoded(window.loadedUrl)).toContain('ERR_NAME_NOT_RESOLVED (-105)');
    expect(decoded(window.loadedUrl)).not.toMatch(/<script/i);
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(window.loadedUrl).toBe(PAGE);
    failLoad(window);
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(window.loadedUrls.filter((u) => u === PAGE)).toHaveLength(3);
    // This time it loads: no further retries.
    await vi.advanceTimersByTimeAsync(RETRY_MS * 5);
    expect(window.loadedUrls.filter((u) => u === PAGE)).toHaveLength(3);
  });

  it('ignores sub-frame failures, aborted navigations and its own error page', () => {
    const { window } = supervised();
    failLoad(window, -105, false);
    failLoad(window, -3);
    failLoad(window, -105, true, 'data:text/html,x');
    expect(window.loadedUrls).toEqual([PAGE]);
    expect(window.visible).toBe(false);
  });

  it('reloads the page at once after a renderer crash, and backs off when it crashes again', async () => {
    const { window } = supervised();
    crash(window);
    expect(window.loadedUrls).toEqual([PAGE, PAGE]);
    crash(window, 'oom');
    expect(decoded(window.loadedUrl)).toContain('kraschat upprepade gånger');
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(window.loadedUrl).toBe(PAGE);
    expect(logged.join('\n')).toMatch(/renderer is gone \(oom, exit code 139\)/);
  });

  it('leaves a renderer that exited cleanly alone, and does nothing once stopped', async () => {
    const { window, stop } = supervised();
    crash(window, 'clean-exit');
    expect(window.loadedUrls).toEqual([PAGE]);
    stop();
    failLoad(window);
    await vi.advanceTimersByTimeAsync(SHOW_WITHIN_MS + RETRY_MS);
    expect(window.loadedUrls.filter((u) => u === PAGE)).toHaveLength(1);
  });
});
