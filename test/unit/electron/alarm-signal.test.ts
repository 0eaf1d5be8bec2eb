/**
 * Alarms outside the Electron window: native notifications and a flashing tray. The
 * fake Electron records what the tray and notifications were asked for; a scripted
 * core pushes alarm lists; fake timers drive the flashing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PushListener } from '../../../src-main/core/console-core.ts';
import type { Alarm } from '../../../src-shared/escalation.ts';
import type { CallResult } from '../../../src-shared/transport.ts';
import type { RunningShell } from '../../../src-main/electron/lifecycle.ts';
import { incidentInput } from '../../support/incidents.ts';
import { FakeBrowserWindow, FakeNotification, FakeTray, SHELL_PATHS, resetFakeElectron } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);
vi.mock('electron-updater', async () => (await import('./fake-updater.ts')).updaterModule);

const { watchAlarms, TRAY_FLASH_MS } = await import('../../../src-main/electron/alarm-signal.ts');
const { alarmSignalText } = await import('../../../src-main/electron/alarm-signal-text.ts');
const { createStatusTray } = await import('../../../src-main/electron/tray.ts');
const { notify } = await import('../../../src-main/electron/notifications.ts');
const { shellText } = await import('../../../src-main/electron/shell-text.ts');
const { startConsoleShell } = await import('../../../src-main/electron/lifecycle.ts');

const tempRoot = mkdtempSync(join(tmpdir(), 'guardline-alarm-signal-'));
const started: RunningShell[] = [];
afterAll(async () => {
  for (const running of started.splice(0)) await running.core.close().catch(() => {});
  rmSync(tempRoot, { recursive: true, force: true });
});

function alarm(id: string, over: Partial<Alarm> = {}): Alarm {
  return {
    escalationId: id,
    incidentId: `inc-${id}`,
    title: `Hot ${id}`,
    severity: 'high',
    unit: 'Avdelning B',
    level: 1,
    round: 1,
    since: 0,
    acknowledgedBy: [],
    needsSecondAck: false,
    exhausted: false,
    ...over,
  };
}

/** A console whose standing alarms and pushes the test decides. */
function scriptedCore(standing: Alarm[]) {
  const listeners = new Set<PushListener>();
  return {
    core: {
      subscribe(listener: PushListener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      dispatch: async (method: string): Promise<CallResult> =>
        method === 'alarms.list'
          ? { ok: true, value: { alarms: standing } }
          : { ok: false, error: { code: 'unknown_method', message: method } },
    },
    push(alarms: Alarm[]) {
      for (const l of listeners) l('alarm.changed', { alarms });
    },
  };
}

async function setUp(standing: Alarm[] = [], visible = { now: true }) {
  const c = scriptedCore(standing);
  const tray = createStatusTray({
    iconDir: '/app/assets/tray',
    text: shellText('sv-SE'),
    onShow: () => {},
    onQuit: () => {},
  });
  tray.setStatus({ level: 'ok', text: 'alla 2 linjer fungerar' });
  const flashes: boolean[] = [];
  const shown: string[] = [];
  const attention: boolean[] = [];
  const dismissed: string[] = [];
  const stop = watchAlarms({
    core: c.core,
    tray,
    notify,
    flashWindow: (on) => flashes.push(on),
    windowVisible: () => visible.now,
    attention: (on) => attention.push(on),
    dismiss: (tag) => dismissed.push(tag),
    text: alarmSignalText('sv-SE'),
    onShow: () => shown.push('show'),
  });
  await vi.advanceTimersByTimeAsync(0); // the standing-alarms answer
  const notes = () => FakeNotification.instances.map((n) => `${n.options.title}|${n.options.body}`);
  return { c, tray, fake: FakeTray.instances[0]!, flashes, shown, stop, notes, attention, dismissed };
}

beforeEach(() => {
  resetFakeElectron();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('alarm signals outside the window', () => {
  it('notifies urgently but silently (the visible page sounds) for an alarm standing at start-up', async () => {
    const { notes, shown } = await setUp([alarm('e1')]);
    expect(notes()).toEqual(['LARM: Hot e1|Allvarlighet hög · Avdelning B · nivå 1. Kvittera i Guardline.']);
    const note = FakeNotification.instances[0]!;
    expect(note.options).toMatchObject({ silent: true, urgency: 'critical', timeoutType: 'never' });
    expect(note.shown).toBe(true);
    note.emit('click');
    expect(shown).toEqual(['show']);
  });

  it('sounds the toast and brings the window up when the window is hidden, and lets go when acknowledged', async () => {
    const visible = { now: false };
    const { c, attention } = await setUp([], visible);
    c.push([alarm('e1')]);
    expect(FakeNotification.instances[0]!.options).toMatchObject({ silent: false, urgency: 'critical' });
    expect(attention).toEqual([true]);
    visible.now = true; // the shell brought it up
    c.push([alarm('e1'), alarm('e2')]);
    expect(FakeNotification.instances[1]!.options).toMatchObject({ silent: true });
    expect(attention).toEqual([true, true]);
    c.push([alarm('e1'), alarm('e2')]); // nothing new: no toast, no raise
    expect(FakeNotification.instances).toHaveLength(2);
    expect(attention).toEqual([true, true]);
    c.push([]);
    expect(attention).toEqual([true, true, false]);
  });

  it('dismisses the toasts of an alarm once it no longer stands, and only its own', async () => {
    const { c, dismissed } = await setUp();
    c.push([alarm('e1'), alarm('e2')]);
    c.push([alarm('e2')]);
    expect(dismissed).toEqual(['alarm:e1']);
    c.push([]);
    expect(dismissed).toEqual(['alarm:e1', 'alarm:e2']);
  });

  it('notifies once per new alarm, and again only when it climbs a level', async () => {
    const { c, notes } = await setUp();
    expect(notes()).toEqual([]);
    c.push([alarm('e1')]);
    c.push([alarm('e1'), alarm('e2', { title: 'Brand' })]);
    c.push([alarm('e1', { acknowledgedBy: ['S1'], needsSecondAck: true }), alarm('e2', { title: 'Brand' })]);
    c.push([alarm('e1', { level: 2 }), alarm('e2', { title: 'Brand' })]);
    expect(notes().map((n) => n.split('|')[0])).toEqual(['LARM: Hot e1', 'LARM: Brand', 'LARM: Hot e1']);
    expect(notes()[2]).toContain('nivå 2');
  });

  it('flashes the tray between the alarm and the phone status, and the window asks for attention', async () => {
    const { c, fake, flashes } = await setUp();
    c.push([alarm('e1')]);
    expect(flashes).toEqual([true]);
    expect(fake.tooltip).toBe('Guardline – LARM – okvitterat');
    expect(fake.image.path).toBe('/app/assets/tray/tray-down.png');
    await vi.advanceTimersByTimeAsync(TRAY_FLASH_MS);
    expect(fake.tooltip).toBe('Guardline – alla 2 linjer fungerar');
    expect(fake.image.path).toBe('/app/assets/tray/tray-ok.png');
    await vi.advanceTimersByTimeAsync(TRAY_FLASH_MS);
    expect(fake.tooltip).toBe('Guardline – LARM – okvitterat');
  });

  it('returns to the phone status set meanwhile when the last alarm is acknowledged, and stops flashing', async () => {
    const { c, tray, fake, flashes } = await setUp();
    c.push([alarm('e1')]);
    c.push([alarm('e1'), alarm('e2')]); // the count changes the alarm text; the old one is still ours
    await vi.advanceTimersByTimeAsync(TRAY_FLASH_MS);
    // Phone status changes while the alarm flashes (line-status-signal sets it).
    tray.setStatus({ level: 'down', text: 'ur funktion: Larmlinje' });
    await vi.advanceTimersByTimeAsync(TRAY_FLASH_MS * 3);
    c.push([]);
    expect(fake.tooltip).toBe('Guardline – ur funktion: Larmlinje');
    expect(flashes).toEqual([true, false]);
    const settled = fake.tooltip;
    await vi.advanceTimersByTimeAsync(TRAY_FLASH_MS * 5);
    expect(fake.tooltip).toBe(settled);
  });

  it('knows its own alarm text after the count changed, so the phone status comes back', async () => {
    const { c, fake } = await setUp();
    c.push([alarm('e1')]);
    c.push([alarm('e1'), alarm('e2')]);
    await vi.advanceTimersByTimeAsync(TRAY_FLASH_MS * 3);
    c.push([]);
    expect(fake.tooltip).toBe('Guardline – alla 2 linjer fungerar');
  });

  it('stops flashing and listening when stopped', async () => {
    const { c, stop, fake, notes } = await setUp([alarm('e1')]);
    stop();
    expect(fake.tooltip).toBe('Guardline – alla 2 linjer fungerar');
    c.push([alarm('e2')]);
    await vi.advanceTimersByTimeAsync(TRAY_FLASH_MS * 3);
    expect(notes()).toHaveLength(1);
    expect(fake.tooltip).toBe('Guardline – alla 2 linjer fungerar');
  });
});

describe('the Electron shell with a real console core', () => {
  it('notifies and flashes tray and taskbar for a threat on its own unit, and stops once acknowledged', async () => {
    vi.useRealTimers();
    const handle = startConsoleShell({
      argv: ['--data-dir', join(tempRoot, 'data'), '--unit', 'Avdelning B'],
      env: {},
      paths: SHELL_PATHS,
    });
    const running = await handle.ready;
    if (!running) throw new Error('the shell did not start');
    started.push(running);
    // The fake window lacks flashFrame; record what the shell asks of the real one.
    const flashes: boolean[] = [];
    Object.assign(FakeBrowserWindow.instances[0]!, { flashFrame: (on: boolean) => flashes.push(on) });
    const call = async (method: string, input: unknown) => {
      const result = await running.core.dispatch(method, input, { origin: 'test' });
      if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
      return result.value as unknown;
    };
    await call('auth.bootstrapAdmin', { staffNumber: 'A1', name: 'Åsa', pin: '112233' });
    await call('incidents.create', incidentInput({ unit: 'Avdelning B', title: 'Hot i besöksrummet' }));

    const tray = FakeTray.instances[0]!;
    await vi.waitFor(
      () => expect(FakeNotification.instances.map((n) => n.options.title)).toContain('LARM: Hot i besöksrummet'),
      {
        timeout: 15_000,
      },
    );
    await vi.waitFor(() => expect(tray.tooltip).toBe('Guardline – LARM – okvitterat'), { timeout: 15_000 });
    expect(flashes).toEqual([true]);

    const [escalation] = (
      (await running.core.dispatch('escalation.list', {}, { origin: 'test' })) as {
        ok: true;
        value: { items: { escalationId: string }[] };
      }
    ).value.items;
    await call('escalation.acknowledge', { escalationId: escalation!.escalationId });
    await vi.waitFor(() => expect(flashes).toEqual([true, false]), { timeout: 15_000 });
    expect(tray.tooltip).not.toContain('LARM');
  });
});
