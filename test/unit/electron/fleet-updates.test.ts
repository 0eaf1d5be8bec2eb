/**
 * Fleet updates in the Electron shell, with electron-updater faked at its edge (the
 * events and properties its AppUpdater documents): the feed is the enrolled tracker in
 * use's /updates/ with the device token; progress and failures reach the console's page
 * through the core; a downloaded version installs at the next quit, but never while an
 * alarm stands.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../src-shared/escalation.ts';
import type { ConsoleUpdate } from '../../../src-shared/sync.ts';
import type { PushListener } from '../../../src-main/core/console-core.ts';
import { watchFleetUpdates, type FleetUpdater } from '../../../src-main/electron/fleet-updates.ts';

function fakeUpdater(check: () => Promise<unknown> = async () => null) {
  const events = new EventEmitter();
  const calls: { feed: string[]; checks: number } = { feed: [], checks: 0 };
  const updater: FleetUpdater & { emit(event: string, ...args: unknown[]): void; listeners(): number } = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    requestHeaders: null,
    setFeedURL: (o) => void calls.feed.push(o.url),
    checkForUpdates: () => {
      calls.checks += 1;
      return check();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    on: (event: string, listener: (...args: any[]) => void) => events.on(event, listener),
    removeAllListeners: () => events.removeAllListeners(),
    emit: (event, ...args) => void events.emit(event, ...args),
    listeners: () => events.eventNames().length,
  };
  return { updater, calls };
}

function fakeCore(
  initial: Alarm[],
  feed: { url: string; token: string } | null = { url: 'http://t1:8787', token: 'gld_x' },
) {
  const listeners = new Set<PushListener>();
  const shown: ConsoleUpdate[] = [];
  return {
    shown,
    core: {
      subscribe(listener: PushListener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dispatch: (async () => ({ ok: true, value: { alarms: initial } })) as never,
      releaseFeed: () => feed,
      reportUpdate: (u: ConsoleUpdate) => void shown.push(u),
    },
    push(alarms: Alarm[]) {
      for (const l of listeners) l('alarm.changed' as never, { alarms } as never);
    },
  };
}

const TEXT = {
  readyTitle: 'Ny version',
  readyBody: (v: string) => `Version ${v} installeras vid nästa omstart.`,
  heldBody: (v: string) => `Version ${v} väntar tills larmen är kvitterade.`,
};
const settle = () => new Promise((resolve) => setImmediate(resolve));
const ALARM = { escalationId: 'e1' } as unknown as Alarm;

describe('fleet updates', () => {
  it("checks the enrolled tracker's /updates/ with the device token, at start and when asked", () => {
    const { updater, calls } = fakeUpdater();
    const { core } = fakeCore([], { url: 'http://t2:8787/', token: 'gld_x' });
    const updates = watchFleetUpdates({ core, updater, notify: () => {}, text: TEXT });
    expect(calls.feed).toEqual(['http://t2:8787/updates/']);
    expect(updater.requestHeaders).toEqual({ authorization: 'Bearer gld_x' });
    expect(updater.autoDownload).toBe(true);
    expect(calls.checks).toBe(1);
    updates.check();
    expect(calls.checks).toBe(2);
    updates.stop();
    updates.check();
    expect(calls.checks).toBe(2);
    expect(updater.listeners()).toBe(0);
  });

  it('does not look before enrolment', () => {
    const { updater, calls } = fakeUpdater();
    const updates = watchFleetUpdates({ core: fakeCore([], null).core, updater, notify: () => {}, text: TEXT });
    expect(calls.checks).toBe(0);
    updates.stop();
  });

  it('installs a downloaded version at the next quit, with a notice, but never while an alarm stands', async () => {
    const { updater } = fakeUpdater();
    const { core, push, shown } = fakeCore([]);
    const notices: string[] = [];
    const updates = watchFleetUpdates({ core, updater, notify: (_title, body) => notices.push(body), text: TEXT });
    await settle();
    expect(updater.autoInstallOnAppQuit).toBe(false); // nothing downloaded yet

    updater.emit('update-available', { version: '0.3.1' });
    expect(shown.at(-1)).toEqual({ state: 'downloading', version: '0.3.1', error: null });
    push([ALARM]);
    updater.emit('update-downloaded', { version: '0.3.1' });
    expect(updates.ready()).toBe('0.3.1');
    expect(notices).toEqual(['Version 0.3.1 väntar tills larmen är kvitterade.']);
    expect(shown.at(-1)).toEqual({ state: 'held', version: '0.3.1', error: null });
    expect(updater.autoInstallOnAppQuit).toBe(false);

    push([]);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(shown.at(-1)).toEqual({ state: 'ready', version: '0.3.1', error: null });
    push([{ escalationId: 'e2' } as unknown as Alarm]);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(shown.at(-1)?.state).toBe('held');
    updates.stop();
  });

  it('holds the install while the standing alarms are not known yet', () => {
    const { updater } = fakeUpdater();
    const core = { ...fakeCore([]).core, dispatch: (() => new Promise(() => {})) as never };
    const updates = watchFleetUpdates({ core, updater, notify: () => {}, text: TEXT });
    updater.emit('update-downloaded', { version: '0.3.1' });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    updates.stop();
  });

  it('shows a failed check instead of swallowing it, and clears it when a check succeeds', async () => {
    const { updater } = fakeUpdater(async () => {
      throw new Error('HttpError: 401 Unauthorized');
    });
    const { core, shown } = fakeCore([]);
    const logged: string[] = [];
    const updates = watchFleetUpdates({
      core,
      updater,
      notify: () => {},
      text: TEXT,
      logError: (m, d) => logged.push(`${m}: ${(d as Error).message}`),
    });
    await settle();
    expect(shown.at(-1)).toEqual({ state: 'error', version: null, error: 'HttpError: 401 Unauthorized' });
    expect(logged).toEqual(['console update failed: HttpError: 401 Unauthorized']);
    updater.emit('update-not-available', { version: '0.3.0' });
    expect(shown.at(-1)).toEqual({ state: 'none', version: null, error: null });
    updates.stop();
  });

  it('keeps a downloaded version ready when a later check fails, and says both', async () => {
    const { updater } = fakeUpdater();
    const { core, shown } = fakeCore([]);
    const updates = watchFleetUpdates({ core, updater, notify: () => {}, text: TEXT, logError: () => {} });
    await settle();
    updater.emit('update-downloaded', { version: '0.3.1' });
    updater.emit('error', new Error('connect ECONNREFUSED 10.0.0.1:8787'));
    expect(shown.at(-1)).toEqual({ state: 'ready', version: '0.3.1', error: 'connect ECONNREFUSED 10.0.0.1:8787' });
    expect(updater.autoInstallOnAppQuit).toBe(true);
    updates.stop();
  });
});
