/**
 * Phone status in the Electron tray and as native notifications. The fake Electron
 * records what the tray and notifications were asked for; the first tests drive the
 * subscriber with scripted pushes, the last runs a real console core on the demo
 * facility through the shell's start-up and breaks its emergency line for real.
 */
import { describe, expect, it, vi } from 'vitest';
import type { PushListener } from '../../../src-main/core/console-core.ts';
import type { LineBoard, LineView } from '../../../src-shared/telephony.ts';
import { FakeNotification, FakeTray } from './fake-electron.ts';
import { shellsUnderTest } from './shells-under-test.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);
vi.mock('electron-updater', async () => (await import('./fake-updater.ts')).updaterModule);

const { watchLineStatus, trayStatusFor } = await import('../../../src-main/electron/line-status-signal.ts');
const { lineStatusText } = await import('../../../src-main/electron/line-status-text.ts');
const { createStatusTray } = await import('../../../src-main/electron/tray.ts');
const { notify } = await import('../../../src-main/electron/notifications.ts');
const { shellText } = await import('../../../src-main/electron/shell-text.ts');
const { startConsoleShell } = await import('../../../src-main/electron/lifecycle.ts');

const sv = lineStatusText('sv-SE');

function line(id: string, name: string, criticality: 'normal' | 'critical', state: LineView['state']): LineView {
  return {
    id,
    name,
    unit: 'central',
    kind: 'desk',
    criticality,
    via: null,
    probeType: 'sip-options',
    state,
    since: null,
    lastCheckAt: null,
    rttMs: null,
    code: 'no_probe',
    detail: '',
    failures: 0,
    lastSuccessAt: null,
    openOutageId: null,
    lastReport: null,
  };
}

/** A console that pushes what the test tells it to; its board starts before the config loaded. */
function scriptedCore() {
  let board: LineBoard = {
    facility: null,
    units: [],
    lines: [],
    fallbackActive: false,
    reserveProcedure: null,
    demo: false,
  };
  const listeners = new Set<PushListener>();
  return {
    core: {
      subscribe(listener: PushListener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      telephony: { board: () => board },
    },
    setBoard(next: Partial<LineBoard>) {
      board = { ...board, facility: { id: 'f', name: 'F' }, ...next };
    },
    push(lines: LineView[], fallbackActive: boolean) {
      for (const l of listeners) l('lines.changed', { lines, fallbackActive });
    },
    listeners,
  };
}

function setUp() {
  const c = scriptedCore();
  const tray = createStatusTray({
    iconDir: '/app/assets/tray',
    text: shellText('sv-SE'),
    onShow: () => {},
    onQuit: () => {},
  });
  const shown: string[] = [];
  const stop = watchLineStatus({ core: c.core, tray, notify, text: sv, onShow: () => shown.push('show') });
  const notes = () =>
    FakeNotification.instances.map((n) => `${n.options.title}|${n.options.body}|${n.options.urgency ?? ''}`);
  return { c, tray, fake: FakeTray.instances[0]!, stop, notes, shown };
}

const shells = shellsUnderTest(startConsoleShell, 'guardline-line-status-');

describe('tray status from the lines', () => {
  it('counts critical lines only, and says which are worst', () => {
    const lines = [line('t', 'Trunk', 'critical', 'UP'), line('i', 'Porttelefon', 'normal', 'DOWN')];
    expect(trayStatusFor(lines, false, sv)).toEqual({ level: 'ok', text: 'alla 2 linjer fungerar' });
    expect(trayStatusFor([...lines, line('e', 'Larmlinje', 'critical', 'DOWN')], true, sv)).toEqual({
      level: 'down',
      text: 'ur funktion: Larmlinje',
    });
    expect(trayStatusFor([line('t', 'Trunk', 'critical', 'DEGRADED')], false, sv)).toEqual({
      level: 'warn',
      text: 'störd: Trunk',
    });
  });

  it('shows the fallback as down even while every probe answers (a confirmed report)', () => {
    expect(trayStatusFor([line('t', 'Trunk', 'critical', 'UP')], true, sv)).toEqual({
      level: 'down',
      text: 'reservrutin gäller',
    });
  });
});

describe('line status subscriber', () => {
  it('keeps "status okänd" until telephony has loaded, then follows the lines silently at start-up', () => {
    const { c, fake, notes } = setUp();
    expect(fake.tooltip).toBe('Guardline – status okänd');
    c.setBoard({ lines: [line('e', 'Larmlinje', 'critical', 'UNKNOWN')] });
    c.push([line('e', 'Larmlinje', 'critical', 'UNKNOWN'), line('d', 'Expedition', 'normal', 'UNKNOWN')], false);
    expect(fake.image).toEqual({ path: '/app/assets/tray/tray-unknown.png' });
    c.push([line('e', 'Larmlinje', 'critical', 'UP'), line('d', 'Expedition', 'normal', 'UP')], false);
    expect(fake.tooltip).toBe('Guardline – alla 2 linjer fungerar');
    expect(fake.image).toEqual({ path: '/app/assets/tray/tray-ok.png' });
    expect(notes()).toEqual([]);
  });

  it('notifies urgently when a critical line goes down, and again when it comes back', () => {
    const { c, fake, notes, shown } = setUp();
    c.push([line('e', 'Larmlinje', 'critical', 'UP'), line('d', 'Expedition', 'normal', 'UP')], false);
    c.push([line('e', 'Larmlinje', 'critical', 'DOWN')], true);
    expect(fake.image).toEqual({ path: '/app/assets/tray/tray-down.png' });
    expect(fake.tooltip).toBe('Guardline – ur funktion: Larmlinje');
    c.push([line('e', 'Larmlinje', 'critical', 'UP')], false);
    expect(fake.image).toEqual({ path: '/app/assets/tray/tray-ok.png' });
    expect(notes()).toEqual([
      `Ur funktion: Larmlinje|${sv.fallbackBody}|critical`,
      `Fungerar igen: Larmlinje|${sv.fallbackEnded}|`,
    ]);
    FakeNotification.instances[0]!.emit('click');
    expect(shown).toEqual(['show']);
  });

  it('stays quiet about lines that are not critical and about repeated states', () => {
    const { c, notes } = setUp();
    c.push([line('e', 'Larmlinje', 'critical', 'UP'), line('d', 'Expedition', 'normal', 'UP')], false);
    c.push([line('d', 'Expedition', 'normal', 'DOWN')], false);
    c.push([line('e', 'Larmlinje', 'critical', 'UP')], false);
    expect(notes()).toEqual([]);
  });

  it('announces the reserve procedure when a confirmed report starts it, and its end', () => {
    const { c, notes } = setUp();
    c.push([line('e', 'Larmlinje', 'critical', 'UP')], false);
    c.push([line('e', 'Larmlinje', 'critical', 'UP')], true);
    c.push([line('e', 'Larmlinje', 'critical', 'UP')], false);
    expect(notes()).toEqual([`Reservrutin gäller|${sv.fallbackBody}|critical`, `${sv.fallbackEnded}||`]);
  });

  it('stops listening when stopped', () => {
    const { c, stop } = setUp();
    expect(c.listeners.size).toBe(1);
    stop();
    expect(c.listeners.size).toBe(0);
  });
});

describe('the Electron shell on the demo facility', () => {
  it('turns the tray red and notifies when the emergency line really fails', async () => {
    const running = await shells.startRunning(['--data-dir', shells.freshDir()]);
    const tray = FakeTray.instances[0]!;
    await vi.waitFor(() => expect(tray.tooltip).toBe('Guardline – alla 6 linjer fungerar'), { timeout: 15_000 });

    await running.core.telephony.setDemoFault('emergency', 'down');
    await vi.waitFor(() => expect(tray.image).toEqual({ path: '/app/assets/tray/tray-down.png' }), {
      timeout: 15_000,
    });
    expect(tray.tooltip).toBe('Guardline – ur funktion: Larmlinje');
    expect(FakeNotification.instances.map((n) => n.options.title)).toContain('Ur funktion: Larmlinje');
  });
});
