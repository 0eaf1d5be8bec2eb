/**
 * Fleet updates in the Electron shell, with electron-updater faked at its edge: the feed
 * is the enrolled tracker's /updates/ with the device token; a downloaded version shows a
 * notice and installs at the next quit, but never while an alarm stands.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../src-shared/escalation.ts';
import type { PushListener } from '../../../src-main/core/console-core.ts';
import { watchFleetUpdates, type FleetUpdater } from '../../../src-main/electron/fleet-updates.ts';

function fakeUpdater() {
  const events = new EventEmitter();
  const calls: { feed: string[]; checks: number } = { feed: [], checks: 0 };
  const updater: FleetUpdater & { emit(event: string, ...args: unknown[]): void } = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    requestHeaders: null,
    setFeedURL: (o) => void calls.feed.push(o.url),
    checkForUpdates: async () => void (calls.checks += 1),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    on: (event: string, listener: (...args: any[]) => void) => events.on(event, listener),
    emit: (event, ...args) => void events.emit(event, ...args),
  };
  return { updater, calls };
}

function fakeCore(initial: Alarm[]) {
  const listeners = new Set<PushListener>();
  return {
    core: {
      subscribe(listener: PushListener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dispatch: (async () => ({ ok: true, value: { alarms: initial } })) as never,
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

describe('fleet updates', () => {
  it("checks the enrolled tracker's /updates/ with the device token", async () => {
    const { updater, calls } = fakeUpdater();
    const { core } = fakeCore([]);
    const updates = watchFleetUpdates({
      core,
      updater,
      feed: () => ({ trackerUrl: 'http://t1:8787/ http://t2:8787', token: 'gld_x' }),
      notify: () => {},
      text: TEXT,
    });
    expect(calls.feed).toEqual(['http://t1:8787/updates/']);
    expect(updater.requestHeaders).toEqual({ authorization: 'Bearer gld_x' });
    expect(updater.autoDownload).toBe(true);
    expect(calls.checks).toBe(1);
    updates.stop();
  });

  it('does not look before enrolment', () => {
    const { updater, calls } = fakeUpdater();
    const updates = watchFleetUpdates({
      core: fakeCore([]).core,
      updater,
      feed: () => null,
      notify: () => {},
      text: TEXT,
    });
    expect(calls.checks).toBe(0);
    updates.stop();
  });

  it('installs a downloaded version at the next quit, with a notice, but never while an alarm stands', async () => {
    const { updater } = fakeUpdater();
    const { core, push } = fakeCore([]);
    const notices: string[] = [];
    const updates = watchFleetUpdates({
      core,
      updater,
      feed: () => ({ trackerUrl: 'http://t1:8787', token: 'gld_x' }),
      notify: (_title, body) => notices.push(body),
      text: TEXT,
    });
    await settle();
    expect(updater.autoInstallOnAppQuit).toBe(false); // nothing downloaded yet

    push([{ escalationId: 'e1' } as unknown as Alarm]);
    updater.emit('update-downloaded', { version: '0.3.1' });
    expect(updates.ready()).toBe('0.3.1');
    expect(notices).toEqual(['Version 0.3.1 väntar tills larmen är kvitterade.']);
    expect(updater.autoInstallOnAppQuit).toBe(false);

    push([]);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    push([{ escalationId: 'e2' } as unknown as Alarm]);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    updates.stop();
  });

  it('holds the install while the standing alarms are not known yet', () => {
    const { updater } = fakeUpdater();
    const core = { ...fakeCore([]).core, dispatch: (() => new Promise(() => {})) as never };
    const updates = watchFleetUpdates({
      core,
      updater,
      feed: () => ({ trackerUrl: 'http://t1:8787', token: 'gld_x' }),
      notify: () => {},
      text: TEXT,
    });
    updater.emit('update-downloaded', { version: '0.3.1' });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    updates.stop();
  });
});
