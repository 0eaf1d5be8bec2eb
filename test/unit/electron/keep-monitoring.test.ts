/**
 * Issue 14: the desktop console never silently stops watching. A real console core runs
 * behind the fake Electron (telephony on the demo facility, real SQLite, real escalations);
 * the fake records what the shell asked of windows, tray, dialogs and notifications.
 */
import { describe, expect, it, vi } from 'vitest';
import type { RunningShell } from '../../../src-main/electron/lifecycle.ts';
import { incidentInput } from '../../support/incidents.ts';
import { FakeBrowserWindow, FakeEvent, FakeNotification, FakeTray, fake, resetFakeElectron } from './fake-electron.ts';
import { shellsUnderTest } from './shells-under-test.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);
vi.mock('electron-updater', async () => (await import('./fake-updater.ts')).updaterModule);

const { startConsoleShell } = await import('../../../src-main/electron/lifecycle.ts');

const shells = shellsUnderTest(startConsoleShell, 'guardline-keep-');
const WAIT = { timeout: 15_000 };

const startShell = (platform: NodeJS.Platform = 'win32', extra: string[] = []): Promise<RunningShell> =>
  shells.startRunning(['--data-dir', shells.freshDir(), '--unit', 'Avdelning B', ...extra], { platform });

const theWindow = () => FakeBrowserWindow.instances[0]!;
const trayItem = (label: string) =>
  (FakeTray.instances[0]!.menu!.template as { label?: string; click?: () => void }[]).find((i) => i.label === label)!;

async function call(running: RunningShell, method: string, input: unknown = {}) {
  const result = await running.core.dispatch(method, input, { origin: 'test' });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as Record<string, unknown>;
}

const signInAdmin = (running: RunningShell) =>
  call(running, 'auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Åsa', pin: '112233' });

const storeIsClosed = (running: RunningShell) => {
  try {
    running.core.store.verifyChain();
    return false;
  } catch (error) {
    return /not open/.test((error as Error).message);
  }
};

const quitApprovals = (running: RunningShell) =>
  (
    running.core.store.db.prepare("SELECT actor FROM events WHERE type = 'console.quit_approved'").all() as {
      actor: string;
    }[]
  ).map((r) => r.actor);

describe('closing the window', () => {
  it('hides it in the tray on every platform, and the lines are still probed', async () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const) {
      resetFakeElectron();
      const running = await startShell(platform);
      const window = theWindow();
      window.emit('ready-to-show');
      expect(window.visible).toBe(true);

      window.close();
      fake.app.emit('window-all-closed');
      expect(window.destroyed).toBe(false);
      expect(window.visible).toBe(false);
      expect(fake.app.quitCalls).toBe(0);

      if (platform !== 'win32') continue;
      // The demo facility's probes keep running: a failing emergency line still reaches the tray.
      const tray = FakeTray.instances[0]!;
      await vi.waitFor(() => expect(tray.tooltip).toBe('Guardline – alla 6 linjer fungerar'), WAIT);
      await running.core.telephony.setDemoFault('emergency', 'down');
      await vi.waitFor(() => expect(tray.tooltip).toBe('Guardline – ur funktion: Larmlinje'), WAIT);
      expect(FakeNotification.instances.map((n) => n.options.title)).toContain('Ur funktion: Larmlinje');

      trayItem('Visa').click?.();
      expect(window.visible).toBe(true);
    }
  });

  it('brings the hidden window up, on top and without taking the keyboard, with a sounding toast when an alarm starts', async () => {
    const running = await startShell();
    const window = theWindow();
    window.emit('ready-to-show');
    window.close();
    expect(window.visible).toBe(false);

    await signInAdmin(running);
    await call(running, 'incidents.create', incidentInput({ unit: 'Avdelning B', title: 'Hot i besöksrummet' }));
    await vi.waitFor(() => expect(window.alwaysOnTop).toBe(true), WAIT);
    expect(window.visible).toBe(true);
    expect(window.focused).toBe(0);
    const toast = FakeNotification.instances.find((n) => n.options.title === 'LARM: Hot i besöksrummet')!;
    // The window was hidden when the alarm came: the toast plays the OS sound too.
    expect(toast.options).toMatchObject({ silent: false, urgency: 'critical' });
    expect(window.flashes).toEqual([true]);

    const { items } = (await call(running, 'escalation.list')) as { items: { escalationId: string }[] };
    await call(running, 'escalation.acknowledge', { escalationId: items[0]!.escalationId });
    await vi.waitFor(() => expect(window.alwaysOnTop).toBe(false), WAIT);
    expect(window.flashes).toEqual([true, false]);
    // The acknowledged alarm's toast (which never times out) is taken off the screen.
    expect(toast.closed).toBe(true);
  });
});

describe('quitting', () => {
  it('asks first, and does nothing when staff cancel', async () => {
    const running = await startShell();
    await signInAdmin(running);
    trayItem('Avsluta…').click?.();
    await vi.waitFor(() => expect(fake.messageBoxes).toHaveLength(1));
    expect(fake.messageBoxes[0]!.options).toMatchObject({
      message: 'Avsluta Guardline?',
      buttons: ['Avsluta', 'Avbryt'],
    });
    expect(await running.requestQuit()).toBe('cancelled');
    expect(fake.app.quitCalls).toBe(0);
    expect(quitApprovals(running)).toEqual([]);
  });

  it('refuses without a signed-in supervisor or admin, and shows the console to sign in', async () => {
    const running = await startShell();
    fake.messageBoxAnswers.push(0);
    expect(await running.requestQuit()).toBe('refused');
    expect(fake.messageBoxes[1]!.options.message).toBe(
      'Logga in som arbetsledare eller administratör i konsolen för att avsluta.',
    );
    expect(theWindow().visible).toBe(true);
    expect(fake.app.quitCalls).toBe(0);
    theWindow().close();
    expect(theWindow().destroyed).toBe(false);
  });

  it('refuses while an alarm stands', async () => {
    const running = await startShell();
    await signInAdmin(running);
    await call(running, 'incidents.create', incidentInput({ unit: 'Avdelning B', title: 'Brand' }));
    await vi.waitFor(async () => expect((await call(running, 'alarms.list')).alarms).toHaveLength(1), WAIT);
    fake.messageBoxAnswers.push(0);
    expect(await running.requestQuit()).toBe('refused');
    expect(fake.messageBoxes[1]!.options.message).toBe(
      'Guardline kan inte avslutas medan ett larm står. Kvittera larmet först.',
    );
    expect(fake.app.quitCalls).toBe(0);
    expect(quitApprovals(running)).toEqual([]);
  });

  it('quits for a signed-in admin from the tray: logged, the window may close, the store closes', async () => {
    const running = await startShell();
    await signInAdmin(running);
    fake.messageBoxAnswers.push(0);
    trayItem('Avsluta…').click?.();
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(1));
    expect(quitApprovals(running)).toEqual(['A1']);
    theWindow().close();
    expect(theWindow().destroyed).toBe(true);
    const willQuit = new FakeEvent();
    fake.app.emit('will-quit', willQuit);
    expect(willQuit.defaultPrevented).toBe(true);
    expect(storeIsClosed(running)).toBe(true);
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(2));
  });

  it('lets a quit Electron starts itself (Dock, test driver) close the window', async () => {
    await startShell('darwin');
    fake.app.emit('before-quit', new FakeEvent());
    theWindow().close();
    expect(theWindow().destroyed).toBe(true);
  });
});

describe('the OS session ending', () => {
  it('closes the store on Windows log-off (session-end, where will-quit never comes)', async () => {
    const running = await startShell('win32');
    theWindow().emit('session-end', FakeEvent.with({ reasons: ['logoff'] }));
    expect(storeIsClosed(running)).toBe(true);
    expect(fake.app.quitCalls).toBe(1);
    expect(FakeTray.instances[0]!.destroyed).toBe(true);
    theWindow().close();
    expect(theWindow().destroyed).toBe(true);
    // The quit that follows finds nothing left to close.
    const willQuit = new FakeEvent();
    fake.app.emit('will-quit', willQuit);
    expect(willQuit.defaultPrevented).toBe(false);
  });

  it('delays a Linux or macOS shutdown just long enough to close the store', async () => {
    const running = await startShell('linux');
    const shutdown = new FakeEvent();
    fake.powerMonitor.emit('shutdown', shutdown);
    expect(shutdown.defaultPrevented).toBe(true);
    expect(storeIsClosed(running)).toBe(true);
    expect(fake.app.quitCalls).toBe(1);
  });
});

describe('identity and start-up', () => {
  it('sets the Windows app user model id to the installer’s appId, and nothing elsewhere', async () => {
    await startShell('win32');
    expect(fake.app.appUserModelId).toBe('se.guardline.console');
    resetFakeElectron();
    await startShell('linux');
    expect(fake.app.appUserModelId).toBeNull();
  });

  it('refuses to run a packaged console without the Chromium sandbox, naming the fix', async () => {
    fake.app.isPackaged = true;
    fake.app.switches.add('no-sandbox');
    expect(await shells.start(['--data-dir', shells.freshDir()]).ready).toBeNull();
    expect(fake.errorBoxes[0]?.title).toBe('Guardline startar inte utan sandlåda');
    expect(fake.errorBoxes[0]?.content).toContain('docs/linux.md');
    expect(fake.app.exitCodes).toEqual([1]);
    expect(FakeBrowserWindow.instances).toEqual([]);
  });

  it('starts in the tray with --hidden (OS log-in) and shows the window on request', async () => {
    await startShell('win32', ['--hidden']);
    const window = theWindow();
    window.emit('ready-to-show');
    expect(window.visible).toBe(false);
    expect(FakeTray.instances).toHaveLength(1);
    trayItem('Visa').click?.();
    expect(window.visible).toBe(true);
  });
});
