/**
 * A stand-in for `electron-updater`, for the shell's unit tests: the real module loads
 * Electron's binary-backed APIs as soon as `autoUpdater` is read. The fake is an
 * EventEmitter with the AppUpdater properties and methods the shell uses
 * (https://www.electron.build/auto-update#appupdater): `setFeedURL`, `checkForUpdates`,
 * `autoDownload`, `autoInstallOnAppQuit`, `requestHeaders`, and the events
 * 'update-available', 'update-not-available', 'update-downloaded', 'error'. Tests emit the
 * events electron-updater would after downloading from the feed.
 */
import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders } from 'node:http';

class FakeAutoUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  requestHeaders: OutgoingHttpHeaders | null = null;
  feeds: string[] = [];
  checks = 0;
  setFeedURL(options: { provider: string; url: string }): void {
    this.feeds.push(options.url);
  }
  checkForUpdates(): Promise<null> {
    this.checks += 1;
    return Promise.resolve(null);
  }
}

export let fakeUpdater = new FakeAutoUpdater();

export function resetFakeUpdater(): void {
  fakeUpdater = new FakeAutoUpdater();
}

export const updaterModule = {
  default: {
    get autoUpdater() {
      return fakeUpdater;
    },
  },
};
