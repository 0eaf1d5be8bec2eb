import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const { appMenuTemplate, installAppMenu } = await import('../../../src-main/electron/menu.ts');
const { shellText } = await import('../../../src-main/electron/shell-text.ts');

type Item = { label?: string; role?: string; click?: () => void; submenu?: Item[] };

function allItems(items: Item[]): Item[] {
  return items.flatMap((i) => [i, ...allItems(i.submenu ?? [])]);
}

const calls: string[] = [];
const options = (isDev: boolean, platform: NodeJS.Platform = 'linux') => ({
  text: shellText('sv-SE'),
  isDev,
  platform,
  onAbout: () => calls.push('about'),
  onQuit: () => calls.push('quit'),
});

beforeEach(() => {
  resetFakeElectron();
  calls.length = 0;
});

describe('application menu', () => {
  it('has Arkiv, Redigera, Visa and Hjälp', () => {
    expect((appMenuTemplate(options(false)) as Item[]).map((m) => m.label)).toEqual([
      'Arkiv',
      'Redigera',
      'Visa',
      'Hjälp',
    ]);
  });

  it('offers no DevTools and no reload in production, on any platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const roles = allItems(appMenuTemplate(options(false, platform)) as Item[]).map((i) => i.role?.toLowerCase());
      expect(roles).not.toContain('toggledevtools');
      expect(roles).not.toContain('reload');
      expect(roles).not.toContain('forcereload');
      expect(roles).toEqual(expect.arrayContaining(['zoomin', 'zoomout', 'resetzoom', 'togglefullscreen']));
    }
  });

  it('adds reload and DevTools under the dev server', () => {
    const roles = allItems(appMenuTemplate(options(true)) as Item[]).map((i) => i.role);
    expect(roles).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('quits from Arkiv and shows the about panel from Hjälp', () => {
    const items = allItems(appMenuTemplate(options(false)) as Item[]);
    items.find((i) => i.label === 'Avsluta…')?.click?.();
    items.find((i) => i.label === 'Om Guardline')?.click?.();
    expect(calls).toEqual(['quit', 'about']);
  });

  it('quits on macOS only through the quit request, never through the quit role', () => {
    const items = allItems(appMenuTemplate(options(false, 'darwin')) as Item[]);
    expect(items.map((i) => i.role?.toLowerCase())).not.toContain('quit');
    expect(items.map((i) => i.role?.toLowerCase())).not.toContain('appmenu');
    const quits = items.filter((i) => i.label === 'Avsluta…');
    expect(quits).toHaveLength(1);
    quits[0]!.click?.();
    expect(calls).toEqual(['quit']);
  });

  it('installs itself as the application menu', () => {
    installAppMenu(options(false));
    expect((fake.applicationMenu?.template as Item[]).map((m) => m.label)).toEqual([
      'Arkiv',
      'Redigera',
      'Visa',
      'Hjälp',
    ]);
  });
});
