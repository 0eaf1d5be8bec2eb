import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../../src-main/core/console-core.ts';
import { isMethodName } from '../../../src-shared/api.ts';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type CallResult } from '../../../src-shared/transport.ts';
import { APP_INDEX_URL } from '../../../src-main/electron/app-url.ts';
import { FakeBrowserWindow, FakeWebContents, fake, resetFakeElectron } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const { bindConsoleIpc } = await import('../../../src-main/electron/ipc.ts');
const { isTrustedUrl } = await import('../../../src-main/electron/trusted-url.ts');

const tempDir = mkdtempSync(join(tmpdir(), 'guardline-ipc-'));
const rendererDir = '/app/out/renderer';
const incident = {
  facility: 'Testanstalten',
  unit: 'Avdelning B',
  category: 'threat',
  severity: 'high',
  title: 'Bråk i dagrummet',
  description: 'Två intagna slogs vid middagen.',
  occurredAt: '2026-11-25T17:30:00.000Z',
  location: 'Dagrum 2',
  reportedBy: 'K1234',
  peopleInvolved: [],
};

let core: ConsoleCore;
let window: FakeBrowserWindow;
let unbind: () => void;
let warnings: string[];
let dispatched: string[];
let fileNo = 0;

beforeEach(async () => {
  resetFakeElectron();
  core = createConsoleCore({
    dataFile: join(tempDir, `store-${fileNo++}.sqlite`),
    host: 'electron',
    appVersion: '0.1.0-test',
    facility: 'Testanstalten',
    unit: 'Avdelning B',
  });
  window = new FakeBrowserWindow({});
  await window.loadURL(APP_INDEX_URL);
  warnings = [];
  dispatched = [];
  unbind = bindConsoleIpc({
    core: {
      subscribe: core.subscribe,
      dispatch: (method, input, ctx) => {
        dispatched.push(method);
        return core.dispatch(method, input, ctx);
      },
    },
    getWindow: () => window as never,
    isTrustedUrl: (url) => isTrustedUrl(url, { rendererDir, devServerUrl: null }),
    log: { warn: (m) => warnings.push(m) },
  });
});

afterEach(async () => {
  unbind?.();
  await core?.close();
});

afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const call = (payload: unknown, from = window.webContents, frame = window.webContents.mainFrame) =>
  fake.ipcMain.invokeFrom(from, frame, IPC_INVOKE_CHANNEL, payload) as Promise<CallResult>;

/** With staff sign-in in the core, a page signs in before it logs incidents; do it as the page would. */
async function signInAsPage(): Promise<void> {
  if (!isMethodName('auth.bootstrapAdmin')) return;
  const result = await call({
    method: 'auth.bootstrapAdmin',
    input: { staffNumber: 'K1234', name: 'Kim Testsson', pin: '482913' },
  });
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.message}`);
}

describe('console IPC', () => {
  it('creates an incident in the store when the console page asks', async () => {
    await signInAsPage();
    const result = await call({ method: 'incidents.create', input: incident });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const created = result.value as { id: string; title: string; status: string };
    expect(created.title).toBe('Bråk i dagrummet');
    const stored = await call({ method: 'incidents.get', input: { id: created.id } });
    expect(stored.ok && (stored.value as { incident: { id: string } }).incident.id).toBe(created.id);
  });

  it('refuses a call from an iframe inside the console page, without dispatching it', async () => {
    const frame = window.webContents.subFrame(APP_INDEX_URL);
    const result = await call({ method: 'incidents.create', input: incident }, window.webContents, frame);
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect(dispatched).toEqual([]);
    expect(warnings.join()).toMatch(/not the main frame/);
  });

  it('refuses a call once the page has navigated somewhere untrusted', async () => {
    window.webContents.mainFrame.url = 'https://evil.example/';
    const result = await call({ method: 'incidents.create', input: incident });
    expect(result.ok === false && result.error.code).toBe('forbidden');
    expect(dispatched).toEqual([]);
    expect(warnings.join()).toMatch(/untrusted page https:\/\/evil\.example/);
  });

  it('refuses a call from any other webContents', async () => {
    const other = new FakeWebContents();
    other.mainFrame.url = APP_INDEX_URL;
    const result = await call({ method: 'incidents.create', input: incident }, other, other.mainFrame);
    expect(result.ok === false && result.error.code).toBe('forbidden');
    expect(dispatched).toEqual([]);
  });

  it('refuses a call whose frame is gone, or after the window closed', async () => {
    expect(await call({ method: 'system.info', input: {} }, window.webContents, null as never)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    window.close();
    expect(await call({ method: 'system.info', input: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dispatched).toEqual([]);
  });

  it('answers a malformed payload with invalid_input', async () => {
    for (const payload of [
      null,
      'incidents.list',
      { input: {} },
      { method: 42, input: {} },
      { method: 'x'.repeat(101) },
    ]) {
      const result = await call(payload);
      expect(result.ok === false && result.error.code).toBe('invalid_input');
    }
    expect(dispatched).toEqual([]);
  });

  it('answers an unknown method with unknown_method and bad input with invalid_input', async () => {
    await signInAsPage();
    const unknown = await call({ method: 'fs.readFile', input: { path: '/etc/passwd' } });
    expect(unknown.ok === false && unknown.error.code).toBe('unknown_method');
    const bad = await call({ method: 'incidents.create', input: { ...incident, title: '' } });
    expect(bad.ok === false && bad.error.code).toBe('invalid_input');
  });

  it('forwards the core’s push events to the console page', async () => {
    await signInAsPage();
    const result = await call({ method: 'incidents.create', input: incident });
    const id = result.ok ? (result.value as { id: string }).id : 'missing';
    expect(window.webContents.sent).toContainEqual({
      channel: IPC_EVENT_CHANNEL,
      args: [{ name: 'incidents.changed', payload: { ids: [id] } }],
    });
  });

  it('stops answering and forwarding once unbound', async () => {
    await signInAsPage();
    window.webContents.sent.length = 0;
    unbind();
    expect(fake.ipcMain.handlers.has(IPC_INVOKE_CHANNEL)).toBe(false);
    const created = await core.dispatch('incidents.create', incident, { actor: 'test', origin: 'test' });
    expect(created.ok).toBe(true);
    expect(window.webContents.sent).toEqual([]);
    unbind = () => {};
  });
});
