/**
 * The tray icon: the console's status at a glance, even with the window hidden.
 * Telephony monitoring (issue 4) calls `setStatus`; each level has its own icon
 * shape (circle, triangle, square, diamond) so it reads without colour.
 */
import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import type { ShellText } from './shell-text.ts';
import type { TrayLevel } from './tray-level.ts';

export { TRAY_LEVELS, type TrayLevel } from './tray-level.ts';

export interface TrayStatus {
  level: TrayLevel;
  /** Already translated, e.g. "alla linjer fungerar". */
  text: string;
}

export interface StatusTray {
  setStatus(status: TrayStatus): void;
  readonly status: TrayStatus;
  destroy(): void;
}

export interface StatusTrayOptions {
  /** Folder with `tray-<level>.png` and `tray-<level>@2x.png`. */
  iconDir: string;
  text: ShellText;
  onShow: () => void;
  onQuit: () => void;
}

export function trayIconFile(iconDir: string, level: TrayLevel): string {
  return join(iconDir, `tray-${level}.png`);
}

export function createStatusTray(options: StatusTrayOptions): StatusTray {
  let status: TrayStatus = { level: 'unknown', text: options.text.statusUnknown };
  const icon = (level: TrayLevel) => nativeImage.createFromPath(trayIconFile(options.iconDir, level));
  const tray = new Tray(icon(status.level));
  tray.setToolTip(options.text.trayTitle(status.text));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: options.text.show, click: () => options.onShow() },
      { type: 'separator' },
      { label: options.text.quit, click: () => options.onQuit() },
    ]),
  );
  // Windows and some Linux panels open the window on a plain click; macOS shows the menu.
  tray.on('click', () => options.onShow());

  return {
    get status() {
      return status;
    },
    setStatus(next) {
      if (tray.isDestroyed()) return;
      if (next.level !== status.level) tray.setImage(icon(next.level));
      status = { ...next };
      tray.setToolTip(options.text.trayTitle(next.text));
    },
    destroy() {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
