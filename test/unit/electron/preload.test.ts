import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleBridge } from '../../../src-shared/transport.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../src-shared/transport.ts';
import { FakeEvent, fake } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

// Electron runs the preload once per page load; so does this file, then checks what it exposed.
const { createBridge } = await import('../../../src-main/preload/index.ts');
const exposed = new Map(fake.exposed);
const ipc = fake.ipcRenderer;

/** A fresh page: the bridge as the preload builds it, on this test's IPC. */
function loadPreload(): ConsoleBridge {
  return createBridge(ipc as unknown as Parameters<typeof createBridge>[0]);
}

beforeEach(() => {
  ipc.removeAllListeners();
  ipc.invocations.length = 0;
});

/** What the main process does with `webContents.send(IPC_EVENT_CHANNEL, frame)`. */
function push(frame: unknown) {
  ipc.emit(IPC_EVENT_CHANNEL, Object.assign(new FakeEvent(), { sender: ipc }), frame);
}

describe('preload bridge', () => {
  it('exposes only window.guardline, with only invoke and on', () => {
    const bridge = exposed.get('guardline') as ConsoleBridge;
    expect([...exposed.keys()]).toEqual(['guardline']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
  });

  it('invokes the main process on the one invoke channel with {method, input}', async () => {
    const bridge = loadPreload();
    ipc.reply = async () => ({ ok: true, value: { facility: 'Testanstalten' } });
    const result = await bridge.invoke('system.info', {});
    expect(ipc.invocations).toEqual([{ channel: IPC_INVOKE_CHANNEL, args: [{ method: 'system.info', input: {} }] }]);
    expect(result).toEqual({ ok: true, value: { facility: 'Testanstalten' } });
  });

  it('turns a failed IPC round trip into a disconnected error value', async () => {
    const bridge = loadPreload();
    ipc.reply = () => Promise.reject(new Error("No handler registered for 'guardline:invoke'"));
    const result = await bridge.invoke('system.info', {});
    expect(result.ok === false && result.error.code).toBe('disconnected');
  });

  it('delivers only the named event, and only its payload (never the IPC event)', async () => {
    const bridge = loadPreload();
    const received: unknown[][] = [];
    bridge.on('incidents.changed', (...args: unknown[]) => received.push(args));
    push({ name: 'other.event', payload: { x: 1 } });
    push('garbage');
    push(null);
    push({ name: 'incidents.changed', payload: { ids: ['a'] } });
    expect(received).toEqual([[{ ids: ['a'] }]]);
  });

  it('unsubscribes exactly the listener it was returned for', async () => {
    const bridge = loadPreload();
    const first: unknown[] = [];
    const second: unknown[] = [];
    const offFirst = bridge.on('incidents.changed', (p) => first.push(p));
    bridge.on('incidents.changed', (p) => second.push(p));
    offFirst();
    offFirst();
    push({ name: 'incidents.changed', payload: { ids: ['b'] } });
    expect(first).toEqual([]);
    expect(second).toEqual([{ ids: ['b'] }]);
  });

  it('listens on IPC once however many places subscribe, and stops with the last one', () => {
    const bridge = loadPreload();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const got = new Map<string, number>();
    const names = ['incidents.changed', 'alarm.changed', 'lines.changed', 'auth.changed'] as const;
    // The renderer subscribes at 28 places; EventEmitter warns from the 11th listener on.
    const offs = Array.from({ length: 28 }, (_, i) => {
      const name = names[i % names.length]!;
      return bridge.on(name, () => got.set(name, (got.get(name) ?? 0) + 1));
    });
    expect(ipc.listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
    push({ name: 'alarm.changed', payload: { alarms: [] } });
    expect(Object.fromEntries(got)).toEqual({ 'alarm.changed': 7 });
    for (const off of offs) off();
    expect(ipc.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
    process.off('warning', onWarning);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('delivers a push to every subscriber even when one of them throws', () => {
    const bridge = loadPreload();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const received: unknown[] = [];
    bridge.on('alarm.changed', () => {
      throw new Error('page bug');
    });
    bridge.on('alarm.changed', (p) => received.push(p));
    push({ name: 'alarm.changed', payload: { alarms: [] } });
    expect(received).toEqual([{ alarms: [] }]);
    expect(errors).toHaveBeenCalledOnce();
    errors.mockRestore();
  });

  it('refuses a listener that is not a function', async () => {
    const bridge = loadPreload();
    expect(() => bridge.on('incidents.changed', 'alert(1)' as never)).toThrow(TypeError);
    expect(ipc.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
  });
});
