import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeTray, resetFakeElectron } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const { createStatusTray } = await import('../../../src-main/electron/tray.ts');
const { shellText } = await import('../../../src-main/electron/shell-text.ts');

beforeEach(() => resetFakeElectron());

function setUp(locale = 'sv-SE') {
  const calls: string[] = [];
  const status = createStatusTray({
    iconDir: '/app/assets/tray',
    text: shellText(locale),
    onShow: () => calls.push('show'),
    onQuit: () => calls.push('quit'),
  });
  return { status, tray: FakeTray.instances[0]!, calls };
}

describe('status tray', () => {
  it('starts with the unknown icon and says so in the tooltip', () => {
    const { tray } = setUp();
    expect(tray.image).toEqual({ path: '/app/assets/tray/tray-unknown.png' });
    expect(tray.tooltip).toBe('Guardline – status okänd');
  });

  it('switches icon and tooltip when the status changes', () => {
    const { status, tray } = setUp();
    status.setStatus({ level: 'down', text: '2 linjer nere' });
    expect(tray.tooltip).toBe('Guardline – 2 linjer nere');
    expect(tray.image).toEqual({ path: '/app/assets/tray/tray-down.png' });
    expect(status.status).toEqual({ level: 'down', text: '2 linjer nere' });
    status.setStatus({ level: 'ok', text: 'alla linjer fungerar' });
    expect(tray.tooltip).toBe('Guardline – alla linjer fungerar');
    expect(tray.image).toEqual({ path: '/app/assets/tray/tray-ok.png' });
  });

  it('offers Visa and Avsluta in its menu, and opens the window on click', () => {
    const { tray, calls } = setUp();
    const items = tray.menu!.template as { label?: string; click?: () => void }[];
    expect(items.filter((i) => i.label).map((i) => i.label)).toEqual(['Visa', 'Avsluta…']);
    for (const item of items) item.click?.();
    tray.emit('click');
    expect(calls).toEqual(['show', 'quit', 'show']);
  });

  it('speaks English on an English desktop', () => {
    const { tray } = setUp('en-GB');
    expect(tray.tooltip).toBe('Guardline – status unknown');
    expect((tray.menu!.template as { label?: string }[]).map((i) => i.label).filter(Boolean)).toEqual([
      'Show',
      'Quit…',
    ]);
  });

  it('ignores status changes once destroyed', () => {
    const { status, tray } = setUp();
    status.destroy();
    status.setStatus({ level: 'warn', text: 'en linje störd' });
    expect(tray.destroyed).toBe(true);
    expect(tray.tooltip).toBe('Guardline – status okänd');
  });
});
