/**
 * The application menu: only what a console operator needs. Reload and DevTools
 * exist only under `electron-vite dev`; a production build cannot open DevTools
 * from the menu or its accelerators. Quit always goes through `onQuit` (the quit
 * request: confirm, supervisor, no alarm), also on macOS, whose standard app menu
 * (role 'appMenu', with role 'quit') would quit at once.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { ShellText } from './shell-text.ts';

export interface AppMenuOptions {
  text: ShellText;
  isDev: boolean;
  platform: NodeJS.Platform;
  onAbout: () => void;
  onQuit: () => void;
}

export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const { text, isDev } = options;
  const devItems: MenuItemConstructorOptions[] = isDev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  const template: MenuItemConstructorOptions[] = [
    {
      label: text.fileMenu,
      submenu: [{ label: text.quit, accelerator: 'CmdOrCtrl+Q', click: () => options.onQuit() }],
    },
    // Without an Edit menu, copy and paste shortcuts do nothing in text fields on macOS.
    {
      label: text.editMenu,
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: text.viewMenu,
      submenu: [
        ...devItems,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: text.helpMenu, submenu: [{ label: text.about, click: () => options.onAbout() }] },
  ];
  if (options.platform !== 'darwin') return template;
  // macOS puts the app's own menu first: the standard items, our Quit, never DevTools.
  const appMenu: MenuItemConstructorOptions = {
    label: 'Guardline',
    submenu: [
      { label: text.about, click: () => options.onAbout() },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { label: text.quit, accelerator: 'Cmd+Q', click: () => options.onQuit() },
    ],
  };
  // The File menu's Quit moved to the app menu (one item per accelerator).
  const [, ...rest] = template;
  return [appMenu, ...rest];
}

export function installAppMenu(options: AppMenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options)));
}
